"""Tables in PDF pages (pdfplumber): rows with their header, and the page text outside the tables.

A page's content comes back as a list of segments in reading order (top to bottom): text lines, or a
table as "cell | cell" rows whose first row is the header. Only real tables are kept: at least two
columns and two rows with text, not nested inside another table. Rows that only continue the
previous row's wrapped cells (no text in the first column, the table has a first-column key) are
merged into it, and a header split over two rows is joined.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from ingest.doc_ids import is_record_id
from ingest.normalise import normalise_line, normalise_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]  # rows[0] is the header

    def text(self) -> str:
        return "\n".join(" | ".join(row) for row in self.rows)


Segment = list[str] | Table


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
