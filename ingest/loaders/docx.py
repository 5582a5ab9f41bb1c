"""Word .docx loader: heading styles, list paragraphs and tables, in document order.

Word has no fixed pages (pagination happens when the document is laid out), so ``Page.number`` is None
and citations point at the heading path instead.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.headings import is_numbered_heading
from ingest.types import Block, LoadedDocument, Page

_HEADING_STYLE = re.compile(r"^heading\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"\blist\b", re.IGNORECASE)


def load_docx(path: Path, data: bytes) -> LoadedDocument:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises zip, KeyError or PackageNotFoundError for damaged input
        raise IngestError(
            str(path), "not a valid Word .docx file: the file is damaged or not an Office Open XML document"
        ) from None
    blocks: list[Block] = []
    first_heading = ""
    try:
        for item in _body_items(document, Paragraph, Table):
            if isinstance(item, Table):
                table = _table_text(item)
                if table:
                    blocks.append(Block("table", table))
                continue
            block = _paragraph_block(item)
            if block is not None:
                blocks.append(block)
                if block.kind == "heading" and not first_heading:
                    first_heading = block.text
        core_title = (document.core_properties.title or "").strip()
    except Exception:
        raise IngestError(
            str(path),
            "not a valid Word .docx file: its content could not be read (the document body is damaged)",
        ) from None
    if not blocks:
        raise IngestError(str(path), "Word document contains no text")
    title = core_title or first_heading or path.stem
    return LoadedDocument(str(path), title, (Page(None, tuple(blocks)),))


def _body_items(document, paragraph_cls, table_cls):  # noqa: ANN001, ANN202
    """Paragraphs and tables of the body in document order."""
    if hasattr(document, "iter_inner_content"):
        yield from document.iter_inner_content()
        return
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield paragraph_cls(child, document._body)  # noqa: SLF001
        elif tag == "tbl":
            yield table_cls(child, document._body)  # noqa: SLF001


def _style_name(paragraph) -> str:  # noqa: ANN001
    try:
        style = paragraph.style
        return (style.name or "") if style is not None else ""
    except (KeyError, AttributeError, ValueError):
        return ""


def _paragraph_block(paragraph) -> Block | None:  # noqa: ANN001
    text = " ".join(paragraph.text.replace("\u00ad", "").split())
    if not text:
        return None
    style = _style_name(paragraph)
    m = _HEADING_STYLE.match(style)
    if m:
        return Block("heading", text, max(1, int(m.group(1))))
    if style.lower() == "title":
        return Block("heading", text, 1)
    outline = _outline_level(paragraph)
    if outline is not None and len(text) <= 120:
        return Block("heading", text, outline)
    ppr = paragraph._p.pPr  # noqa: SLF001
    if _LIST_STYLE.search(style) or (ppr is not None and ppr.numPr is not None):
        return Block("paragraph", f"- {text}")
    numbered, level = is_numbered_heading(text)
    if numbered:
        return Block("heading", text, level)
    if len(text) <= 80 and text[-1] not in ".,;:!?" and _all_bold(paragraph):
        return Block("heading", text, 2)
    return Block("paragraph", text)


def _all_bold(paragraph) -> bool:  # noqa: ANN001
    runs = [r for r in paragraph.runs if r.text.strip()]
    if not runs:
        return False
    style_bold = bool(
        paragraph.style is not None and paragraph.style.font is not None and paragraph.style.font.bold
    )
    return all(r.bold or (r.bold is None and style_bold) for r in runs)


def _outline_level(paragraph) -> int | None:  # noqa: ANN001
    """Outline level set directly on the paragraph (w:outlineLvl, 0-based; 9 means body text)."""
    ppr = paragraph._p.pPr  # noqa: SLF001
    if ppr is None:
        return None
    for child in ppr.iterchildren():
        if child.tag.endswith("}outlineLvl"):
            val = next((v for k, v in child.attrib.items() if k.endswith("}val")), None)
            if val is not None and val.isdigit() and int(val) < 9:
                return int(val) + 1
    return None


def _table_text(table) -> str:  # noqa: ANN001
    """Rows as "a | b | c"; a merged cell is written once per row."""
    rows: list[str] = []
    for row in table.rows:
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # noqa: SLF001 - horizontally merged cells repeat the same element
                continue
            seen.add(id(cell._tc))  # noqa: SLF001
            cells.append(" ".join(cell.text.replace("|", "/").split()))
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)
