""" "What is the highest-scored risk?": the row of a client's table with the largest (or smallest) value in
a numeric column, found by code over every row of the table, not by the sentences closest to the question
(retrieval returns a few rows; the highest may not be among them). "Which findings are rated High?": every
row whose severity-level column holds the level asked (:func:`at_level`). Pure functions over a tenant's
chunks.

A table is read from its row units ("Title\\nHeader | Header\\nvalue | value"), grouped by document and
header. The table is the one whose title and header share the most words with the question; the column
is a numeric or severity-level one the question names ("highest-scored" -> Score, "highest severity" ->
Severity, ranked Critical > High > Medium > Low) or, failing that, one named like a score (Score, Rating,
Total, Priority). Older editions of a document series are skipped unless the question names their year.
Rows whose status says closed are left out unless the question asks about closed ones.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from advisor.retrieval.editions import superseded, year_of
from advisor.retrieval.lexical import stems
from advisor.retrieval.question import Question
from ingest.types import Chunk

_NUMBER = re.compile(r"^\s*[-+]?\d+(?:[.,]\d+)?\s*%?\s*$")
LEVELS = {"informational": 0, "info": 0, "low": 1, "moderate": 2, "medium": 2, "elevated": 3, "high": 3}
LEVELS |= {"very high": 4, "severe": 4, "critical": 4}
_SCORE_LIKE = ("score", "rating", "total", "priority")
_DATE = re.compile(r"\d{4}-\d\d")
_RANGE = re.compile(r"^\s*[\d.,]+\s*(?:[-–]\s*[\d.,]+)?\s*%?\s*$")  # "15-25", "7", "90%"
_CLOSED = re.compile(r"\b(closed|retired|resolved|remediated|done|completed?|accepted)\b", re.I)
Row = tuple[tuple[str, ...], Chunk, str]  # (cells, the chunk holding the row, the row's line)
NUMERIC_SHARE = 0.8  # share of a column's rows that must be numbers for the column to count as numeric


@dataclass
class Table:
    source: str
    title: str
    header: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)

    def ranked(self, column: int) -> bool:
        """Does the column hold numbers or severity levels (most of its rows)?"""
        values = [cells[column] for cells, _, _ in self.rows if column < len(cells)]
        return bool(values) and sum(rank(v) is not None for v in values) >= NUMERIC_SHARE * len(values)

    def levelled(self, column: int) -> bool:
        """Does the column hold severity levels ("Critical", "High", …) in most of its rows, in a table of
        items (not a scoring legend whose rows are ranges: "15-25 | High | …")?"""
        if sum(bool(_RANGE.match(cells[0])) for cells, _, _ in self.rows) > len(self.rows) / 2:
            return False
        values = [cells[column].strip().lower() for cells, _, _ in self.rows if column < len(cells)]
        return bool(values) and sum(v in LEVELS for v in values) >= NUMERIC_SHARE * len(values)


def rank(value: str) -> float | None:
    """A cell's value for comparison: its number, or its severity level's rank; None for other text."""
    if _NUMBER.match(value):
        return float(value.strip().rstrip("%").replace(",", "."))
    return LEVELS.get(value.strip().lower())


@dataclass(frozen=True)
class Extreme:
    table: Table
    column: int
    value: str  # as the table writes it ("20", "Critical")
    rows: tuple[Row, ...]  # the row(s) holding the value
    considered: int  # rows compared
    open_only: bool  # closed rows were left out
    largest: bool  # the largest value (else the smallest)


def _cells(line: str) -> tuple[str, ...] | None:
    if "|" not in line:
        return None
    cells = tuple(c.strip() for c in line.strip().strip("|").split("|"))
    return cells if len(cells) >= 2 and not set("".join(cells)) <= set("-: ") else None


def tables(chunks: Sequence[Chunk]) -> list[Table]:
    """The client's tables, from the row units of its chunks, grouped by document and header."""
    found: dict[tuple[str, tuple[str, ...]], Table] = {}
    for c in chunks:
        if c.client is None:
            continue
        lines = c.text.splitlines()
        for i, line in enumerate(lines):
            header = _cells(line)
            if header is None:
                continue
            title = lines[i - 1].strip() if i > 0 and _cells(lines[i - 1]) is None else ""
            table = found.setdefault((c.source, header), Table(c.source, title, header))
            for row_line in lines[i + 1 :]:
                cells = _cells(row_line)
                if cells is None or len(cells) != len(header):
                    break
                table.rows.append((cells, c, row_line.strip()))
            break  # one table per unit: its first header
    return [t for t in found.values() if t.rows]


@dataclass(frozen=True)
class AtLevel:
    table: Table
    column: int
    level: str  # as asked ("high")
    rows: tuple[Row, ...]  # the rows at that level, in table order
    considered: int  # rows of the table
    # With no row at that level: the rows at the most severe level the table has (what it found instead).
    worst: tuple[Row, ...] = ()


def _table_for(
    question: Question, chunks: Sequence[Chunk], usable: Callable[[Table, int], bool], score_like: bool
) -> tuple[Table, int] | None:
    """The client's table (latest edition) and column a question is about: a ``usable`` column the question
    names, else (``score_like``) one named like a score, else (not ``score_like``) any usable column; of
    the tables with one, the one sharing the most words with the question."""
    asked = set(stems(question.text))
    older = superseded({(c.source, c.doc_type) for c in chunks if c.client is not None})
    best: tuple[tuple[bool, int, int], Table, int] | None = None
    for table in tables(chunks):
        if table.source in older and year_of(table.source) not in question.years:
            continue
        columns = [k for k in range(len(table.header)) if usable(table, k)]
        named = [k for k in columns if set(stems(table.header[k])) & asked]
        fallback = (
            [k for k in columns if table.header[k].strip().lower() in _SCORE_LIKE] if score_like else []
        )
        candidates = named or fallback or ([] if score_like else columns)
        if not candidates:
            continue
        column = candidates[0]
        # A listing must name what the table lists ("findings", "vendors"); a file name is not enough.
        about = set(stems(f"{table.title} {' '.join(table.header)} {table.source if score_like else ''}"))
        overlap = len((asked - set(stems(table.header[column]))) & about)
        # A column the question names beats one merely named like a score; then the table more about the
        # question; then the longer table (a register over its scoring legend).
        key = (bool(named), overlap, len(table.rows))
        if overlap and (best is None or key > best[0]):
            best = (key, table, column)
    return None if best is None else (best[1], best[2])


def at_level(question: Question, chunks: Sequence[Chunk]) -> AtLevel | None:
    """Every row of the client's table whose severity-level column holds the level the question asks for
    ("which findings are rated High?"), closed ones included: the question is about how they were rated."""
    if not question.level:
        return None
    picked = _table_for(question, chunks, Table.levelled, score_like=False)
    if picked is None:
        return None
    table, column = picked

    def at(level: int) -> tuple[Row, ...]:
        return tuple(
            r for r in table.rows if column < len(r[0]) and LEVELS.get(r[0][column].strip().lower()) == level
        )

    rows = at(LEVELS[question.level])
    present = [LEVELS[v] for cells, _, _ in table.rows if (v := cells[column].strip().lower()) in LEVELS]
    worst = at(max(present)) if not rows and present else ()
    return AtLevel(table, column, question.level, rows, len(table.rows), worst)


def extreme(question: Question, chunks: Sequence[Chunk]) -> Extreme | None:
    """The row(s) of the client's table holding the largest (or smallest) value the question asks for."""
    if not question.extreme:
        return None
    picked = _table_for(question, chunks, Table.ranked, score_like=True)
    if picked is None:
        return None
    table, column = picked
    status = next((k for k, h in enumerate(table.header) if h.strip().lower() == "status"), None)
    open_only = status is not None and not re.search(r"\bclosed\b", question.text, re.I)
    rows = [
        r
        for r in table.rows
        if column < len(r[0])
        and rank(r[0][column]) is not None
        and not (open_only and status is not None and _CLOSED.search(r[0][status]))
    ]
    if not rows:
        return None
    pick = max if question.extreme == "max" else min
    value = pick(rank(r[0][column]) or 0.0 for r in rows)
    top = tuple(r for r in rows if rank(r[0][column]) == value)
    return Extreme(table, column, top[0][0][column], top, len(rows), open_only, question.extreme == "max")


def describe(cells: tuple[str, ...], header: tuple[str, ...], question: Question) -> str:
    """A row named by its first cell and its description: the text column the question names ("risk" ->
    Risk), else the first text column — "R-01 (Ransomware encrypts …)"."""
    asked = set(stems(question.text))
    texts = [
        k for k, c in enumerate(cells) if k and c and rank(c) is None and not re.search(r"\d{4}-\d\d", c)
    ]
    named = [k for k in texts if set(stems(header[k])) & asked]
    k = (named or texts or [0])[0]
    return f"{cells[0]} ({cells[k]})" if k else cells[0]
