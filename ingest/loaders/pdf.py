"""PDF loader: one Page per PDF page, as a PDF viewer shows it.

- Encrypted PDFs that open without a password (AES or RC4 with an empty user password, as many
  published reports are) are read; a PDF that needs a password fails with "password-protected PDF: …".
- ``Page.number`` is the physical 1-based page; ``Page.label`` is the printed page number: from the
  PDF's /PageLabels when it declares them, else the number printed in the page header/footer
  (:mod:`ingest.loaders.pdf_layout`).
- Running headers and footers and page numbers are removed from the text.
- Tables (pdfplumber, :mod:`ingest.loaders.pdf_tables`) become table blocks: rows with their header;
  only pages that draw enough lines to hold a table are laid out by pdfplumber
  (:mod:`ingest.loaders.pdf_survey`), the others keep pypdf's text.
- A page without a meaningful text layer that holds a page-sized image is a scanned page: it is read
  by OCR (:mod:`ingest.loaders.pdf_ocr`) and marked ``ocr``; without Tesseract it is reported in the
  document's warnings and skipped, and the other pages are ingested.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.headings import Numbering, is_page_furniture, lines_to_blocks
from ingest.loaders.pdf_fonts import fonts_parsed_once
from ingest.loaders.pdf_layout import (
    edge_indexes,
    printed_page_numbers,
    running_key,
    running_lines,
    strip_furniture,
)
from ingest.loaders.pdf_ocr import OcrError, has_meaningful_text, ocr_available, ocr_page
from ingest.loaders.pdf_survey import survey
from ingest.loaders.pdf_tables import Table, page_segments, use_lean_objects
from ingest.normalise import normalise_line
from ingest.types import Block, LoadedDocument, Page

log = logging.getLogger(__name__)

PASSWORD_PROTECTED = (
    "password-protected PDF: it cannot be opened without its password; save a copy "
    "without the password and ingest again"
)
NO_TEXT = (
    "PDF has no extractable text — scanned document? OCR is not available, so run OCR or export "
    "the document with a text layer and ingest again"
)
NO_TEXT_AFTER_OCR = (
    "PDF has no extractable text: its pages are blank or hold only pictures in which OCR found no text"
)
SCANNED_IMAGE_SHARE = 0.4  # an image covering this share of the page makes a text-less page "scanned"


@dataclass
class _PageData:
    number: int
    items: list[str | Table] = field(default_factory=list)  # text lines and tables, top to bottom
    unreadable: bool = False
    scanned: bool = False  # holds a page-sized image
    ocr: bool = False


def load_pdf(path: Path, data: bytes) -> LoadedDocument:
    # pypdf and pdfminer log every quirk of a damaged file (at ERROR level, some with whole encoding
    # tables); the user gets one clear IngestError or warning instead, so their loggers are quiet.
    quiet = [logging.getLogger(n) for n in ("pypdf", "pdfminer", "pdfplumber")]
    previous = [lg.level for lg in quiet]
    for lg in quiet:
        lg.setLevel(logging.CRITICAL)
    try:
        return _load_pdf(path, data)
    finally:
        for lg, level in zip(quiet, previous):
            lg.setLevel(level)


def _open(name: str, data: bytes):  # noqa: ANN202 - a pypdf PdfReader
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if b"%%EOF" not in data[-4096:]:
        raise IngestError(
            name,
            "PDF is damaged or truncated: the end-of-file marker is missing (was the file "
            "cut off during download or copy?)",
        )
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError:
                raise IngestError(
                    name,
                    "PDF is encrypted with AES, which this installation cannot decrypt "
                    "(the 'cryptography' package is missing: pip install cryptography)",
                ) from None
            if not opened:
                raise IngestError(name, PASSWORD_PROTECTED)
        if not list(reader.pages):
            raise IngestError(name, "PDF is damaged or truncated: it has no pages")
    except IngestError:
        raise
    except FileNotDecryptedError:
        raise IngestError(name, PASSWORD_PROTECTED) from None
    except Exception as exc:  # pypdf raises many exception types for a damaged structure
        log.debug("pypdf could not open %s: %r", name, exc)
        raise IngestError(
            name, "PDF is damaged or truncated: its internal structure cannot be read"
        ) from None
    return reader


def _load_pdf(path: Path, data: bytes) -> LoadedDocument:
    from pypdf.errors import FileNotDecryptedError

    name = str(path)
    reader = _open(name, data)
    pages = [_PageData(n) for n in range(1, len(reader.pages) + 1)]
    with fonts_parsed_once():
        for pd, page in zip(pages, reader.pages):
            try:
                pd.items = [normalise_line(ln) for ln in (page.extract_text() or "").split("\n")]
            except FileNotDecryptedError:
                raise IngestError(name, PASSWORD_PROTECTED) from None
            except Exception as exc:  # a broken content stream on one page should not lose the others
                log.debug("pypdf could not extract page %d of %s: %r", pd.number, name, exc)
                pd.unreadable = True
    _add_tables_and_images(data, pages)

    raw = [_line_view(pd) for pd in pages]
    labels = _declared_labels(reader) or printed_page_numbers(raw)
    running = running_lines(raw)
    for pd, lines in zip(pages, strip_furniture(raw)):
        pd.items = [it if isinstance(it, Table) else ln for it, ln in zip(pd.items, lines)]

    warnings: list[str] = []
    _read_scanned_pages(data, pages, running, warnings)
    numbering = Numbering.for_lines([it for pd in pages for it in pd.items if isinstance(it, str)])
    out: list[Page] = []
    empty: list[int] = []
    for pd, label in zip(pages, labels):
        blocks = _blocks(pd.items, numbering)
        if blocks:
            out.append(Page(pd.number, tuple(blocks), label=label, ocr=pd.ocr))
        elif not pd.unreadable and not pd.scanned:
            empty.append(pd.number)
    unreadable = [pd.number for pd in pages if pd.unreadable]
    if not out:
        if unreadable and not empty and not any(pd.scanned for pd in pages):
            raise IngestError(name, "PDF is damaged or truncated: the text of its pages cannot be decoded")
        raise IngestError(name, NO_TEXT_AFTER_OCR if ocr_available() else NO_TEXT)
    if empty:
        warnings.append(f"{_pages(empty)} no extractable text (blank or picture-only pages are skipped)")
    if unreadable:
        warnings.append(f"{_pages(unreadable)} could not be read (damaged page content); skipped")
    return LoadedDocument(name, _title(reader, out, path), tuple(out), tuple(warnings))


def _add_tables_and_images(data: bytes, pages: list[_PageData]) -> None:
    """Mark pages covered by an image, and with pdfplumber replace the text of pages holding real
    tables by text + table items. pypdfium2 tells which pages draw an image and which draw enough
    lines to hold a table (:mod:`ingest.loaders.pdf_survey`), so pdfplumber's layout pass, the slow
    part, runs only on those; a PDF pdfium cannot read is looked at page by page with pdfplumber. A
    PDF pdfplumber cannot read keeps pypdf's text."""
    surveyed = survey(data)
    if surveyed is not None and len(surveyed) == len(pages):
        for pd, found in zip(pages, surveyed):
            pd.scanned = not pd.unreadable and found.image_share >= SCANNED_IMAGE_SHARE
        todo = {pd.number for pd, found in zip(pages, surveyed) if found.may_hold_table}
    else:
        surveyed = None
        todo = {pd.number for pd in pages}
    todo -= {pd.number for pd in pages if pd.unreadable}
    if not todo:
        return
    try:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(data), password="") as pdf:
            for pd, page in zip(pages, pdf.pages):
                if pd.number not in todo:
                    continue
                use_lean_objects(page)
                if surveyed is None:
                    area = float(page.width * page.height) or 1.0
                    pd.scanned = any(
                        float(im["width"] * im["height"]) >= SCANNED_IMAGE_SHARE * area for im in page.images
                    )
                segments = page_segments(page)
                page.close()  # its parsed objects are not needed any more
                if segments is None:
                    continue
                items: list[str | Table] = []
                for seg in segments:
                    items.extend([seg] if isinstance(seg, Table) else [normalise_line(ln) for ln in seg])
                pd.items = items
    except Exception as exc:  # tables are an improvement, never a reason to fail
        log.debug("pdfplumber could not read the PDF: %r", exc)


def _line_view(pd: _PageData) -> list[str]:
    """The page's lines for header/footer analysis: a table stands in as a unique non-blank line."""
    return [f"\x00table {pd.number}.{i}" if isinstance(it, Table) else it for i, it in enumerate(pd.items)]


def _declared_labels(reader) -> list[str | None] | None:  # noqa: ANN001
    """The PDF's own page labels (/PageLabels in the catalog), or None when it declares none."""
    try:
        if "/PageLabels" not in reader.trailer["/Root"]:
            return None
        return [str(label) or None for label in reader.page_labels]
    except Exception as exc:  # a malformed number tree: fall back to printed numbers
        log.debug("page labels unreadable: %r", exc)
        return None


def _read_scanned_pages(data: bytes, pages: list[_PageData], running: set[str], warnings: list[str]) -> None:
    """OCR every scanned page whose text layer holds nothing meaningful (a running header alone does
    not count); report them when OCR is not installed."""
    textless = [
        pd
        for pd in pages
        if not pd.unreadable
        and not any(isinstance(i, Table) for i in pd.items)
        and not has_meaningful_text([i for i in pd.items if isinstance(i, str)])
    ]
    if all(not any(isinstance(i, str) and i for i in pd.items) for pd in pages):
        for pd in textless:  # no page has any text layer: a scan, whatever its images look like
            pd.scanned = True
    todo = [pd for pd in textless if pd.scanned]
    if not todo:
        return
    if not ocr_available():
        for pd in todo:
            pd.items = []
        warnings.append(
            f"{len(todo)} scanned page{'s' if len(todo) != 1 else ''} not read: OCR not installed "
            f"(install tesseract-ocr and tesseract-ocr-eng) — {_numbers(todo)}"
        )
        return
    failed = []
    for pd in todo:
        try:
            lines = [normalise_line(ln) for ln in ocr_page(data, pd.number - 1)]
        except OcrError:
            failed.append(pd)
            pd.items = []
            continue
        edges = set(edge_indexes(lines))
        pd.items = [
            "" if i in edges and (running_key(ln) in running or is_page_furniture(ln)) else ln
            for i, ln in enumerate(lines)
        ]
        pd.ocr = True
    log.info("OCR read %d scanned page(s)", len(todo) - len(failed))
    if failed:
        warnings.append(
            f"{len(failed)} scanned page{'s' if len(failed) != 1 else ''} could not be read by OCR "
            f"— {_numbers(failed)}"
        )


def _blocks(items: list[str | Table], numbering: Numbering) -> list[Block]:
    blocks: list[Block] = []
    run: list[str] = []
    for it in items:
        if isinstance(it, Table):
            blocks.extend(lines_to_blocks(run, numbering=numbering))
            run = []
            blocks.append(Block("table", it.text()))
        else:
            run.append(it)
    blocks.extend(lines_to_blocks(run, numbering=numbering))
    return blocks


def _numbers(pages: list[_PageData]) -> str:
    nums = [pd.number for pd in pages]
    return ("page " if len(nums) == 1 else "pages ") + ", ".join(map(str, nums))


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]} has"
    return "pages " + ", ".join(str(n) for n in numbers) + " have"


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
