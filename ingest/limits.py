"""Limits on what one file may cost to parse, checked before and after the parser runs.

Cheap checks on the raw bytes come first, so a hostile file fails in milliseconds instead of after the
parser has spent minutes and gigabytes on it:

- zip-based formats (DOCX, XLSX, PPTX): the declared uncompressed size of all members, the compression
  ratio, the number of members (Python's ``zipfile`` never inflates a member past its declared size, so
  the declared sizes bound the work), the cells a workbook declares (``<dimension ref="A1:XFD300"/>``)
  and the slides of a deck;
- PDF: the page count declared in the page tree (``/Count``), read without walking the pages;
- after parsing: pages and characters of the result.

Each failure is an :class:`IngestError` for this file alone, whose reason names the limit and the
setting that raises it. Wall time and memory are enforced by :mod:`ingest.sandbox`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from ingest.errors import IngestError
from ingest.types import LoadedDocument

_MB = 1024 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?(?::([A-Z]{1,3})(\d+))?"')
_PDF_COUNT = re.compile(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", re.S)


@dataclass(frozen=True)
class ParseLimits:
    """What one file may cost. Each field is a setting (``VCISO_PARSING__<FIELD>``)."""

    max_uncompressed_mb: float = 200.0
    max_compression_ratio: float = 100.0
    max_zip_members: int = 10_000
    max_pages: int = 5_000
    max_cells: int = 2_000_000
    max_chars: int = 20_000_000
    timeout_s: float = 120.0
    memory_mb: int = 2048


def check_before(name: str, kind: str, data: bytes, limits: ParseLimits) -> None:
    """Fail ``name`` if its bytes already show that parsing it would exceed ``limits``."""
    if kind in ("docx", "xlsx", "pptx"):
        _check_zip(name, kind, data, limits)
    elif kind == "pdf":
        pages = declared_pdf_pages(data)
        if pages is not None and pages > limits.max_pages:
            raise IngestError(
                name,
                f"the PDF has {pages:,} pages, over the limit of {limits.max_pages:,} "
                "(setting parsing.max_pages)",
            )


def check_after(name: str, doc: LoadedDocument, limits: ParseLimits) -> None:
    """Fail ``name`` if the parsed document is larger than ``limits`` allow."""
    if len(doc.pages) > limits.max_pages:
        raise IngestError(
            name,
            f"the document has {len(doc.pages):,} pages, over the limit of "
            f"{limits.max_pages:,} (setting parsing.max_pages)",
        )
    chars = sum(len(b.text) for p in doc.pages for b in p.blocks)
    if chars > limits.max_chars:
        raise IngestError(
            name,
            f"the document holds {chars:,} characters of text, over the limit of "
            f"{limits.max_chars:,} (setting parsing.max_chars)",
        )


def _check_zip(name: str, kind: str, data: bytes, limits: ParseLimits) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return  # not a readable zip: the loader says so in its own words
    if len(members) > limits.max_zip_members:
        raise IngestError(
            name,
            f"the file holds {len(members):,} parts, over the limit of "
            f"{limits.max_zip_members:,} (setting parsing.max_zip_members)",
        )
    expanded = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if expanded > limits.max_uncompressed_mb * _MB:
        raise IngestError(
            name,
            f"the file expands to {expanded / _MB:,.0f} MB when unpacked, over the limit of "
            f"{limits.max_uncompressed_mb:g} MB (setting parsing.max_uncompressed_mb); "
            "it may be a zip bomb",
        )
    if kind == "xlsx":
        cells = declared_cells(archive, members)
        if cells > limits.max_cells:
            raise IngestError(
                name,
                f"the workbook holds {cells:,} cells, over the limit of "
                f"{limits.max_cells:,} (setting parsing.max_cells)",
            )
    if kind == "pptx":
        slides = sum(1 for m in members if re.fullmatch(r"ppt/slides/slide\d+\.xml", m.filename))
        if slides > limits.max_pages:
            raise IngestError(
                name,
                f"the deck has {slides:,} slides, over the limit of {limits.max_pages:,} "
                "(setting parsing.max_pages)",
            )
    ratio = expanded / packed
    if expanded > 10 * _MB and ratio > limits.max_compression_ratio:
        raise IngestError(
            name,
            f"the file is compressed {ratio:,.0f} to 1, over the limit of "
            f"{limits.max_compression_ratio:g} to 1 (setting parsing.max_compression_ratio); "
            "it may be a zip bomb",
        )


def declared_cells(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> int:
    """Cells of the workbook's sheets: for each sheet the larger of what its ``<dimension>`` declares
    (rows x columns, from the first 4 KB) and the ``<c>`` tags it really holds (counted while streaming,
    so a sheet that understates its dimension is still counted; the unpacked size is already bounded)."""
    total = 0
    for m in members:
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", m.filename):
            continue
        with archive.open(m) as f:
            head = f.read(4096)
            declared = 0
            found = _DIMENSION.search(head)
            if found and found.group(3):
                rows = int(found.group(4)) - int(found.group(2) or 1) + 1
                cols = _column(found.group(3)) - _column(found.group(1) or "A") + 1
                declared = max(rows, 0) * max(cols, 0)
            if declared > 10 * _MB:  # already far past any sensible limit: no need to read on
                total += declared
                continue
            count = head.count(b"<c ") + head.count(b"<c>")
            tail = head[-2:]
            while chunk := f.read(1 << 20):
                window = tail + chunk
                count += window.count(b"<c ") + window.count(b"<c>")
                tail = chunk[-2:]
            total += max(declared, count)
    return total


def _column(letters: str | bytes) -> int:
    if isinstance(letters, bytes):
        letters = letters.decode()
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def declared_pdf_pages(data: bytes) -> int | None:
    """The largest ``/Count`` of a ``/Type /Pages`` node in the file's uncompressed objects (the root's
    count is the document's page count), or None when the page tree sits in compressed object streams."""
    best = None
    for m in _PDF_COUNT.finditer(data):
        n = int(m.group(1) or m.group(2))
        best = n if best is None else max(best, n)
    if best is not None:
        return best
    try:
        from pypdf import PdfReader

        root: Any = PdfReader(io.BytesIO(data)).trailer["/Root"]
        return int(root["/Pages"]["/Count"])
    except Exception:  # noqa: BLE001 — an unreadable page tree is the loader's to report
        return None
