"""Turn a file into a ``LoadedDocument``: pick the loader from the suffix, check the content matches it.

Every failure is an ``IngestError`` whose reason says in plain words what is wrong with the file and,
where there is one, what to do about it.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ingest.errors import IngestError
from ingest.injection import find_injection
from ingest.normalise import normalise_document
from ingest.types import LoadedDocument

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".pdf",
    ".docx",
    ".doc",
    ".pptx",
    ".eml",
    ".md",
    ".markdown",
    ".txt",
    ".text",
    ".html",
    ".htm",
    ".xlsx",
    ".xlsm",
    ".csv",
)
_TEXT_SUFFIXES = {".md", ".markdown", ".txt", ".text", ".html", ".htm", ".csv"}
_MB = 1024 * 1024


def load(path: Path, *, max_bytes: int) -> LoadedDocument:
    """Load one file. Raises ``IngestError(str(path), reason)`` when it cannot be ingested."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix == ".xls":
        raise IngestError(
            name,
            "legacy Excel .xls files are not supported; open the file in Excel and save it "
            "as .xlsx, then ingest again",
        )
    if suffix not in SUPPORTED_SUFFIXES:
        shown = f"'{suffix}'" if suffix else "(no file extension)"
        raise IngestError(name, f"unsupported file type {shown}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    try:
        if path.is_dir():
            raise IngestError(name, "path is a directory, not a file")
        size = path.stat().st_size
        if size == 0:
            raise IngestError(name, "file is empty (0 bytes)")
        if size > max_bytes:
            raise IngestError(name, f"file is {size / _MB:.1f} MB, over the {max_bytes / _MB:.1f} MB limit")
        data = path.read_bytes()
    except FileNotFoundError:
        raise IngestError(name, "file not found") from None
    except PermissionError:
        raise IngestError(name, "file cannot be read: permission denied") from None
    except IsADirectoryError:
        raise IngestError(name, "path is a directory, not a file") from None
    except OSError as exc:
        raise IngestError(name, f"file cannot be read: {exc.strerror or 'input/output error'}") from None
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise IngestError(name, "file is empty (it contains only whitespace)")

    loader = _pick_loader(path, suffix, data)
    doc = normalise_document(loader(path, data))
    return _with_injection_warnings(doc)


def _pick_loader(path: Path, suffix: str, data: bytes) -> Callable[[Path, bytes], LoadedDocument]:
    name = str(path)
    kind = sniff(data)
    if suffix == ".pdf":
        if kind != "pdf":
            raise IngestError(name, f"file is not a PDF (content looks like {describe(kind)})")
        from ingest.loaders.pdf import load_pdf

        return load_pdf
    if suffix == ".doc":
        if kind == "docx":
            raise IngestError(
                name, "file named .doc is a Word .docx document; rename it to .docx and ingest again"
            )
        if kind != "ole":
            raise IngestError(name, f"not a legacy Word .doc file (content looks like {describe(kind)})")
        if _ole_encrypted(data):
            raise IngestError(name, "Word file is password-protected; remove the password and ingest again")
        from ingest.loaders.office import load_doc

        return load_doc
    if suffix == ".pptx":
        if kind != "pptx":
            raise IngestError(
                name, f"not a valid PowerPoint .pptx file (content looks like {describe(kind)})"
            )
        from ingest.loaders.office import load_pptx

        return load_pptx
    if suffix in (".docx", ".xlsx", ".xlsm"):
        want, label = ("docx", "Word .docx file") if suffix == ".docx" else ("xlsx", "Excel .xlsx workbook")
        if kind == "ole":
            what = "Word" if want == "docx" else "Excel"
            if _ole_encrypted(data):
                raise IngestError(
                    name, f"{what} file is password-protected; remove the password and ingest again"
                )
            legacy = ".doc" if want == "docx" else ".xls"
            raise IngestError(
                name,
                f"not a valid {label}: it is a legacy {what} {legacy} file with a "
                f"{suffix} name; save it as {suffix} in {what} and ingest again",
            )
        if kind != want:
            raise IngestError(name, f"not a valid {label} (content looks like {describe(kind)})")
        if want == "docx":
            from ingest.loaders.docx import load_docx

            return load_docx
        from ingest.loaders.sheet import load_xlsx

        return load_xlsx
    if suffix == ".eml":
        if kind not in ("text", "html"):
            raise IngestError(
                name, f"file named .eml is not an e-mail message (content looks like {describe(kind)})"
            )
        from ingest.loaders.mail import load_eml

        return load_eml
    # text formats
    if kind not in ("text", "html"):
        raise IngestError(name, f"file named {suffix} is not text (content looks like {describe(kind)})")
    if suffix in (".md", ".markdown"):
        from ingest.loaders.text import load_markdown

        return load_markdown
    if suffix in (".html", ".htm"):
        from ingest.loaders.html import load_html

        return load_html
    if suffix == ".csv":
        from ingest.loaders.sheet import load_csv

        return load_csv
    if kind == "html":
        from ingest.loaders.html import load_html

        return load_html  # a .txt that is really a saved web page
    from ingest.loaders.text import load_text

    return load_text


def sniff(data: bytes) -> str:
    """A coarse content kind from the first bytes: pdf, docx, xlsx, zip, ole, image, html, text, binary ..."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "ppt/presentation.xml" in names:
            return "pptx"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.startswith(
        (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
    ) or (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "image"
    if head.startswith((b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe")):
        return "executable"
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh")):
        return "archive"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return "text"
    if b"\x00" in head and not _utf16_like(head):
        return "binary"
    lowered = head.lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:200]:
        return "html"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if head and controls > 0.05 * len(head):
        return "binary"
    return "text"


def _utf16_like(head: bytes) -> bool:
    return len(head) >= 4 and (
        head[1::2].count(0) > 0.3 * len(head) / 2 or head[0::2].count(0) > 0.3 * len(head) / 2
    )


def describe(kind: str) -> str:
    return {
        "pdf": "a PDF document",
        "docx": "a Word .docx document",
        "xlsx": "an Excel .xlsx workbook",
        "pptx": "a PowerPoint presentation",
        "zip": "a ZIP archive",
        "ole": "a legacy Microsoft Office file",
        "image": "an image",
        "executable": "a program (executable)",
        "archive": "a compressed archive",
        "rtf": "an RTF document",
        "html": "an HTML page",
        "text": "plain text",
        "binary": "binary data",
    }.get(kind, "an unknown format")


def _ole_encrypted(data: bytes) -> bool:
    """Encrypted .docx/.xlsx files are OLE containers holding an "EncryptionInfo" stream."""
    return "EncryptionInfo".encode("utf-16-le") in data[:1_000_000]


def _with_injection_warnings(doc: LoadedDocument) -> LoadedDocument:
    """Detection runs over the whole document (a phrase split across two pages is seen whole); each
    finding names the page that holds it, or says it spans pages."""
    warnings = list(doc.warnings)
    by_page = [(page.number, find_injection(page.text)) for page in doc.pages]
    for number, found in by_page:
        for description in found:
            where = f" on page {number}" if number is not None else ""
            warnings.append(f"text that reads like an instruction to an AI assistant{where}: {description}")
    on_pages = {d.split(":", 1)[0] for _, found in by_page for d in found}
    for description in find_injection("\n".join(page.text for page in doc.pages)):
        if description.split(":", 1)[0] not in on_pages:
            warnings.append(
                f"text that reads like an instruction to an AI assistant across pages: {description}"
            )
    if len(warnings) == len(doc.warnings):
        return doc
    log.info("%s: %d instruction-like passage(s) flagged", doc.path, len(warnings) - len(doc.warnings))
    return replace(doc, warnings=tuple(warnings))
