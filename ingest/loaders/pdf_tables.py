"""Tables in PDF pages (pdfplumber): rows with their header, and the page text outside the tables.

A page's content comes back as a list of segments in reading order (top to bottom): text lines, or a
table as "cell | cell" rows whose first row is the header. Only real tables are kept: at least two
columns and two rows with text, not nested inside another table. Rows that only continue the
previous row's wrapped cells (no text in the first column, the table has a first-column key) are
merged into it, and a header split over two rows is joined.

:func:`use_lean_objects` makes a pdfplumber page build its objects faster, with the same values.
"""

from __future__ import annotations

import functools
import logging
import types
from dataclasses import dataclass
from typing import Any

from ingest.doc_ids import is_record_id
from ingest.normalise import normalise_line, normalise_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # rows[0] is the header

    def text(self) -> str:
        return "\n".join(" | ".join(row) for row in self.rows)


Segment = list[str] | Table
_PLAIN = frozenset({float, int, str, bool, type(None)})  # values resolve_all returns as they are


def use_lean_objects(page) -> None:  # noqa: ANN001 - a pdfplumber Page
    """Make ``page`` turn pdfminer's layout objects into pdfplumber's object dicts with
    :func:`_lean_process_object`: pdfplumber's own ``Page.process_object`` spends two thirds of a
    page's parsing time resolving plain numbers and strings one by one and decoding the same colour
    space names for every character."""
    page.process_object = types.MethodType(_lean_process_object, page)


def _lean_process_object(self, obj) -> dict[str, Any]:  # noqa: ANN001 - a pdfplumber Page, LTItem
    """pdfplumber 0.11's ``Page.process_object`` with the same result (tests/test_pdf_speed.py compares
    them on real PDFs): attribute values that cannot hold a PDF reference are taken as they are, and
    the class name and colour space decoding are cached."""
    LTChar, LTCurve, LTTextContainer, resolve_all, resolve_and_decode = _plumber()  # noqa: N806
    attr: dict[str, Any] = {}
    values = obj.__dict__
    for k in _attr_names(tuple(values)):
        v = values[k]
        if type(v) in _PLAIN or (type(v) is tuple and all(type(x) in _PLAIN for x in v)):
            attr[k] = v
        else:
            attr[k] = resolve_all(v)
    attr["object_type"] = _kind(obj.__class__.__name__)
    attr["page_number"] = self.page_number
    for cs in ("ncs", "scs"):
        if hasattr(obj, cs):
            name = getattr(obj, cs).name
            attr[cs] = _decoded_name(name) if isinstance(name, str | bytes) else resolve_and_decode(name)
    if isinstance(obj, LTChar | LTTextContainer):
        text = obj.get_text()
        attr["text"] = _normalised(self.pdf.unicode_norm, text) if self.pdf.unicode_norm is not None else text
    if isinstance(obj, LTChar):
        gs = obj.graphicstate
        attr["stroking_color"] = gs.scolor if isinstance(gs.scolor, tuple) else (gs.scolor,)
        attr["non_stroking_color"] = gs.ncolor if isinstance(gs.ncolor, tuple) else (gs.ncolor,)
        if isinstance(attr["fontname"], bytes):  # pragma: no cover - rare byte-encoded font names
            from pdfplumber.page import fix_fontname_bytes

            attr["fontname"] = fix_fontname_bytes(attr["fontname"])
    elif isinstance(obj, LTCurve):
        attr["pts"] = list(map(self.point2coord, attr["pts"]))
        attr["path"] = [(cmd, *map(self.point2coord, pts)) for cmd, *pts in obj.original_path]
        attr["dash"] = obj.dashing_style
    mb_x0, mb_top = self.mediabox[:2]
    if "y0" in attr:
        attr["top"] = (self.height - attr["y1"]) + mb_top
        attr["bottom"] = (self.height - attr["y0"]) + mb_top
        attr["doctop"] = self.initial_doctop + attr["top"]
    if "x0" in attr and mb_x0 != 0:
        attr["x0"] = attr["x0"] + mb_x0
        attr["x1"] = attr["x1"] + mb_x0
    return attr


@functools.cache
def _plumber() -> tuple:
    from pdfminer.layout import LTChar, LTCurve, LTTextContainer
    from pdfplumber.utils import resolve_all, resolve_and_decode

    return LTChar, LTCurve, LTTextContainer, resolve_all, resolve_and_decode


@functools.lru_cache(maxsize=256)
def _attr_names(names: tuple[str, ...]) -> tuple[str, ...]:
    """The attributes pdfplumber keeps, in the object's order."""
    from pdfplumber.page import ALL_ATTRS

    return tuple(n for n in names if n in ALL_ATTRS)


@functools.cache
def _kind(name: str) -> str:
    return (name[2:] if name.startswith("LT") else name).lower()


@functools.lru_cache(maxsize=256)
def _decoded_name(name: str | bytes) -> Any:
    from pdfplumber.utils import resolve_and_decode

    return resolve_and_decode(name)


@functools.lru_cache(maxsize=4096)
def _normalised(form: str, text: str) -> str:
    from unicodedata import normalize

    return normalize(form, text)  # type: ignore[arg-type]


def page_segments(page) -> list[Segment] | None:  # noqa: ANN001 - a pdfplumber Page
    """The page's text lines and tables in reading order, or None when it holds no real table (the
    caller then keeps its own text extraction)."""
    try:
        found = page.find_tables()
    except Exception as exc:  # a malformed page: no tables rather than no page
        log.debug("table detection failed: %r", exc)
        return None
    kept = []
    for t in found:
        rows = clean_rows(t.extract())
        if rows is not None:
            kept.append((t.bbox, Table(rows)))
    kept = [(b, t) for b, t in kept if not any(o is not b and _inside(b, o) for o, _ in kept)]
    if not kept:
        return None
    kept.sort(key=lambda bt: bt[0][1])
    boxes = [b for b, _ in kept]

    def outside(obj: dict) -> bool:
        return not any(_inside((obj["x0"], obj["top"], obj["x1"], obj["bottom"]), b) for b in boxes)

    segments: list[Segment] = []
    top = page.bbox[1]
    for bbox, table in kept:
        if bbox[1] > top:
            segments.append(_text_lines(page, top, bbox[1], outside))
        segments.append(table)
        top = max(top, bbox[3])
    if top < page.bbox[3]:
        segments.append(_text_lines(page, top, page.bbox[3], outside))
    return [s for s in segments if s]


def _text_lines(page, top: float, bottom: float, keep) -> list[str]:  # noqa: ANN001
    x0, _, x1, _ = page.bbox
    try:
        region = page.crop((x0, top, x1, bottom), strict=False).filter(keep)
        text = region.extract_text() or ""
    except Exception as exc:
        log.debug("text extraction around a table failed: %r", exc)
        return []
    return text.split("\n")


def _inside(inner: tuple, outer: tuple, slack: float = 1.0) -> bool:
    return (
        inner[0] >= outer[0] - slack
        and inner[1] >= outer[1] - slack
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def clean_rows(raw: list[list[str | None]]) -> tuple[tuple[str, ...], ...] | None:
    """Rows of a detected table, cleaned; None when it is not a real table (fewer than two columns or
    two rows with text)."""
    rows = [[normalise_line(normalise_text(c or "")) for c in row] for row in raw if row]
    rows = [r for r in rows if any(r)]
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    cols = [j for j in range(width) if any(r[j] for r in rows)]
    rows = [[r[j] for j in cols] for r in rows]
    if len(cols) < 2 or len(rows) < 2:
        return None
    rows = _join_header(rows)
    rows = _join_continuations(rows)
    if len(rows) < 2:
        return None
    return tuple(tuple(r) for r in rows)


def _join_header(rows: list[list[str]]) -> list[list[str]]:
    """A header split over two rows ("NIST SP 800-53 Security" / "Control Category") is joined when the
    second row has text only in columns where the first has text too, leaves some of them empty, and
    both rows are short."""
    if len(rows) < 3:
        return rows
    head, nxt = rows[0], rows[1]
    only_under_head = all(not c or head[j] for j, c in enumerate(nxt))
    partial = any(
        h and not c for h, c in zip(head, nxt)
    )  # a data row fills its row; a header's 2nd line does not
    if only_under_head and partial and not is_record_id(nxt[0]) and all(len(c) <= 40 for c in head + nxt):
        merged = [f"{a} {b}".strip() for a, b in zip(head, nxt)]
        return [merged, *rows[2:]]
    return rows


def _join_continuations(rows: list[list[str]]) -> list[list[str]]:
    """Rows whose first cell is empty continue the row above (a wrapped cell), when most rows of the
    table do have a first cell."""
    body = rows[1:]
    keyed = sum(1 for r in body if r[0])
    if keyed == len(body) or keyed < 1:
        return rows
    out = [rows[0]]
    for r in body:
        if not r[0] and len(out) > 1:
            out[-1] = [f"{a} {b}".strip() for a, b in zip(out[-1], r)]
        else:
            out.append(r)
    return out
