"""PDF loader (pypdf): one Page per PDF page with its real 1-based number, text grouped into blocks.

Pages without a text layer are skipped but keep their numbering, so the page of every block is the
page a reader sees in a PDF viewer (the physical page index, not a printed page label).
"""

from __future__ import annotations

import io
import logging
import re
from collections import Counter
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.headings import Numbering, is_page_furniture, lines_to_blocks
from ingest.types import LoadedDocument, Page

log = logging.getLogger(__name__)

PASSWORD_PROTECTED = "PDF is password-protected; remove the password and ingest again"
NO_TEXT = ("PDF has no extractable text — scanned document? OCR is not available, so run OCR or export "
           "the document with a text layer and ingest again")


def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    # pypdf logs every quirk of a damaged file (at ERROR level, some with whole encoding tables); the
    # user gets one clear IngestError or warning instead, so its logger is quiet while we read.
    pypdf_log = logging.getLogger("pypdf")
    previous = pypdf_log.level
    pypdf_log.setLevel(logging.CRITICAL)
    try:
        return _load_pdf(path, data)
    finally:
        pypdf_log.setLevel(previous)


def _load_pdf(path: Path, data: bytes) -> LoadedDocument:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    name = str(path)
    if b"%%EOF" not in data[-4096:]:
        raise IngestError(name, "PDF is damaged or truncated: the end-of-file marker is missing (was the file "
                                "cut off during download or copy?)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise IngestError(name, "PDF is encrypted with AES, which this installation cannot decrypt "
                                        "(the 'cryptography' package is missing); remove the encryption and "
                                        "ingest again") from None
            if not opened:
                raise IngestError(name, PASSWORD_PROTECTED)
        pages = list(reader.pages)
    except IngestError:
        raise
    except FileNotDecryptedError:
        raise IngestError(name, PASSWORD_PROTECTED) from None
    except Exception as exc:  # pypdf raises many exception types for a damaged structure
        log.debug("pypdf could not open %s: %r", name, exc)
        raise IngestError(name, "PDF is damaged or truncated: its internal structure cannot be read") from None
    if not pages:
        raise IngestError(name, "PDF is damaged or truncated: it has no pages")

    texts: list[str | None] = []
    unreadable: list[int] = []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except FileNotDecryptedError:
            raise IngestError(name, PASSWORD_PROTECTED) from None
        except Exception as exc:  # a broken content stream on one page should not lose the others
            log.debug("pypdf could not extract page %d of %s: %r", number, name, exc)
            texts.append(None)
            unreadable.append(number)

    page_lines = _strip_furniture([_lines(t) for t in texts])
    numbering = Numbering.for_lines([line for lines in page_lines for line in lines])
    out: list[Page] = []
    empty: list[int] = []
    for number, lines in enumerate(page_lines, 1):
        blocks = lines_to_blocks(lines, numbering=numbering)
        if blocks:
            out.append(Page(number, tuple(blocks)))
        elif number not in unreadable:
            empty.append(number)
    if not out:
        if unreadable and not empty:
            raise IngestError(name, "PDF is damaged or truncated: the text of its pages cannot be decoded")
        raise IngestError(name, NO_TEXT)

    warnings: list[str] = []
    if empty:
        warnings.append(f"{_pages(empty)} no extractable text (scanned or image-only pages are skipped; "
                        "OCR is not available)")
    if unreadable:
        warnings.append(f"{_pages(unreadable)} could not be read (damaged page content); skipped")
    return LoadedDocument(name, _title(reader, out, path), tuple(out), tuple(warnings))


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    return "pages " + ", ".join(str(n) for n in numbers) + " have"


def _lines(text: str | None) -> list[str]:
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    return [" ".join(line.split()) for line in text.split("\n")]


def _strip_furniture(pages: list[list[str]]) -> list[list[str]]:
    """Remove page numbers and running headers/footers from the top and bottom lines of each page.

    A running line is either the same text on most pages, or a text whose number follows the page
    number ("Chapter 4: Access Control 9" on page 12, "... 10" on page 13) on three pages or more.
    """
    with_text = [p for p in pages if any(p)]
    edges = [_edge_indexes(lines) for lines in pages]
    repeated: set[str] = set()
    numbered: Counter[tuple[str, int]] = Counter()
    counts: Counter[str] = Counter()
    for number, (lines, idx) in enumerate(zip(pages, edges), 1):
        counts.update({_norm(lines[i]) for i in idx})
        numbered.update({k for i in idx if (k := _numbered_key(lines[i], number)) is not None})
    if len(with_text) >= 3:
        repeated = {ln for ln, c in counts.items() if ln and c >= max(3, 0.6 * len(with_text))}
    running = {k for k, c in numbered.items() if c >= 3}
    cleaned: list[list[str]] = []
    for number, (lines, idx) in enumerate(zip(pages, edges), 1):
        cleaned.append([
            "" if i in idx and (is_page_furniture(ln) or _norm(ln) in repeated
                                or _numbered_key(ln, number) in running) else ln
            for i, ln in enumerate(lines)
        ])
    return cleaned


def _edge_indexes(lines: list[str]) -> set[int]:
    nonblank = [i for i, ln in enumerate(lines) if ln]
    return set(nonblank[:2] + nonblank[-2:])


def _numbered_key(line: str, page: int) -> tuple[str, int] | None:
    """(text without its leading or trailing number, page minus that number), or None."""
    m = re.fullmatch(r"(?P<text>.*[^\d\s.])\s+(?P<n>\d{1,4})|(?P<n2>\d{1,4})\s+(?P<text2>[^\d\s.].*)", line)
    if m is None:
        return None
    text, n = (m.group("text"), m.group("n")) if m.group("n") else (m.group("text2"), m.group("n2"))
    return text.strip().lower(), page - int(n)


def _norm(line: str) -> str:
    """A running header/footer with its page number masked ("Acme – page 3" and "Acme – page 4" match).

    A bare leading or trailing number is masked only next to a separator ("Acme Corp | 3"), so that
    headings such as "Finding 1", "Finding 2" at the top of consecutive pages are kept.
    """
    line = line.strip().lower()
    line = re.sub(r"\bpage\s+\d+(?:\s*(?:of|/)\s*\d+)?|\b\d+\s*(?:of|/)\s*\d+\b", "page #", line)
    return re.sub(r"(?:^\d+\s+|\s+\d+$)", " #", line) if re.search(r"[|–—·•-]", line) else line


def _title(reader, pages: list[Page], path: Path) -> str:  # noqa: ANN001
    try:
        meta = reader.metadata
        title = str(meta.title).strip() if meta is not None and meta.title else ""
    except Exception:  # metadata is optional and sometimes malformed
        title = ""
    title = re.sub(r"^Microsoft (?:Word|PowerPoint|Excel) - ", "", title)
    if title and not re.fullmatch(r"(?i)untitled|document\d*|[\w-]+\.(?:docx?|pdf)", title):
        return title
    for page in pages[:1]:
        for block in page.blocks[:3]:
            if block.kind == "heading":
                return block.text
    return path.stem
