"""PowerPoint decks (.pptx, python-pptx) and legacy Word .doc files (Debian's ``antiword``).

- A deck gives one Page per slide, numbered as the slide number: the slide title is a heading, text
  frames are paragraphs (one per text paragraph, bullets kept as lines), tables are table blocks, and
  the speaker notes follow as a paragraph headed "Notes". Hidden slides are skipped.
- A .doc file is converted to text by ``antiword`` (a program, run with a time limit); without it,
  or when it fails, the file fails with "convert to .docx".
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
from pathlib import Path

from ingest.errors import IngestError
from ingest.loaders.headings import lines_to_blocks
from ingest.types import Block, LoadedDocument, Page

log = logging.getLogger(__name__)

ANTIWORD_TIMEOUT_S = 60
CONVERT_DOC = "open the file in Word or LibreOffice and save it as .docx, then ingest again"


def load_pptx(path: Path, data: bytes) -> LoadedDocument:
    from pptx import Presentation

    name = str(path)
    try:
        deck = Presentation(io.BytesIO(data))
        slides = list(deck.slides)
    except Exception as exc:  # python-pptx raises KeyError, XMLSyntaxError, ... for broken packages
        log.debug("python-pptx could not open %s: %r", name, exc)
        raise IngestError(name, "not a valid PowerPoint .pptx file: its contents cannot be read") from None
    pages: list[Page] = []
    for number, slide in enumerate(slides, 1):
        if slide._element.get("show") == "0":  # hidden slide
            continue
        blocks = _slide_blocks(slide)
        if blocks:
            pages.append(Page(number, tuple(blocks), label=str(number)))
    if not pages:
        raise IngestError(name, "presentation has no text on its slides")
    title = ""
    try:
        title = (deck.core_properties.title or "").strip()
    except Exception:  # core properties are optional
        title = ""
    if not title:
        title = next((b.text for p in pages for b in p.blocks if b.kind == "heading"), path.stem)
    return LoadedDocument(name, title, tuple(pages))


def _slide_blocks(slide) -> list[Block]:  # noqa: ANN001 - a python-pptx Slide
    blocks: list[Block] = []
    title_shape = slide.shapes.title
    if title_shape is not None and title_shape.has_text_frame and title_shape.text_frame.text.strip():
        blocks.append(Block("heading", " ".join(title_shape.text_frame.text.split()), 1))
    shapes = sorted(
        (s for s in slide.shapes if s is not title_shape), key=lambda s: ((s.top or 0), (s.left or 0))
    )
    for shape in shapes:
        blocks.extend(_shape_blocks(shape))
    if slide.has_notes_slide:
        notes = slide.notes_slide.notes_text_frame
        text = notes.text.strip() if notes is not None else ""
        if text:
            blocks.append(Block("paragraph", f"Notes: {' '.join(text.split())}"))
    return blocks


def _shape_blocks(shape) -> list[Block]:  # noqa: ANN001
    if getattr(shape, "shape_type", None) == 6 and hasattr(shape, "shapes"):  # a group: its members
        return [b for s in shape.shapes for b in _shape_blocks(s)]
    if getattr(shape, "has_table", False) and shape.has_table:
        rows = [" | ".join(" ".join(c.text.split()) for c in row.cells) for row in shape.table.rows]
        rows = [r for r in rows if r.strip(" |")]
        return [Block("table", "\n".join(rows))] if rows else []
    if getattr(shape, "has_text_frame", False) and shape.has_text_frame:
        lines = [" ".join(p.text.split()) for p in shape.text_frame.paragraphs]
        return [Block("paragraph", ln) for ln in lines if ln]
    return []


def load_doc(path: Path, data: bytes) -> LoadedDocument:
    name = str(path)
    exe = shutil.which("antiword")
    if exe is None:
        raise IngestError(
            name, f"legacy Word .doc files need the antiword program, which is not installed; {CONVERT_DOC}"
        )
    try:
        done = subprocess.run(
            [exe, "-w", "0", "-"], input=data, capture_output=True, timeout=ANTIWORD_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise IngestError(name, f"legacy Word .doc file took too long to read; {CONVERT_DOC}") from None
    text = done.stdout.decode("utf-8", errors="replace") if done.returncode == 0 else ""
    if not text.strip():
        log.debug("antiword failed on %s: %s", name, done.stderr[:200])
        raise IngestError(
            name, f"legacy Word .doc file could not be read (damaged, or not a Word document); {CONVERT_DOC}"
        )
    lines = [ln.replace("[pic]", "").rstrip() for ln in text.replace("\r", "\n").split("\n")]
    blocks = _doc_blocks(lines)
    if not blocks:
        raise IngestError(name, "legacy Word .doc file has no text")
    title = next((b.text for b in blocks if b.kind == "heading"), path.stem)
    return LoadedDocument(name, title, (Page(None, tuple(blocks)),))


def _doc_blocks(lines: list[str]) -> list[Block]:
    """antiword draws tables as "|cell |cell |" lines; those become table blocks, the rest is plain text."""
    blocks: list[Block] = []
    run: list[str] = []
    table: list[str] = []

    def flush_table() -> None:
        if table:
            blocks.append(Block("table", "\n".join(table)))
            table.clear()

    for line in lines:
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            blocks.extend(lines_to_blocks(run))
            run = []
            table.append(" | ".join(" ".join(c.split()) for c in stripped.strip("|").split("|")))
            continue
        flush_table()
        run.append(line)
    flush_table()
    blocks.extend(lines_to_blocks(run))
    return blocks
