"""Security questionnaires in and out: find the question column of an xlsx or csv file, answer its rows
(:mod:`advisor.assessment.autofill`) and write the same file back with answer columns added after the
last used column. Original cells, styles and other sheets are left as they were (openpyxl load + save;
for CSV the columns are appended to each row)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path

from advisor.assessment.autofill import QAnswer, answer_all
from advisor.errors import AdvisorError
from advisor.xml_text import xml_safe

ADDED = ("Answer", "Explanation", "Sources", "Confidence", "Needs review")
_HEADER_WORDS = (re.compile(r"question", re.I), re.compile(r"control|requirement", re.I))
_MIN_WORDS = 3


class QuestionnaireError(AdvisorError):
    """A questionnaire file that cannot be read or has no question column."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


@dataclass
class Table:
    """The questions of one questionnaire file and where they sit."""

    path: Path
    header_row: int  # 1-based
    headers: list[str]
    question_col: int  # 0-based
    questions: list[tuple[int, str]]  # (1-based row number, question)
    sheet: str | None = None  # xlsx sheet name
    rows: list[list[str]] = field(default_factory=list)  # csv: every row as read
    dialect: type[csv.Dialect] | csv.Dialect = csv.excel


# -- pure helpers ----------------------------------------------------------------------------------
def detect_question_column(
    headers: Sequence[object], columns: Sequence[Sequence[object]], named: str | None = None
) -> int:
    """The question column: ``named`` (case-insensitive header match), else a header containing
    "question", else one containing "control"/"requirement" (the one with the longest texts), else the
    column whose cells are longest on average."""
    norm = [str(h or "").strip() for h in headers]
    if named:
        for i, h in enumerate(norm):
            if h.lower() == named.strip().lower():
                return i
        raise QuestionnaireError(f"no column named {named!r}; columns: {', '.join(h for h in norm if h)}")

    def avg(i: int) -> float:
        cells = [str(c) for c in (columns[i] if i < len(columns) else []) if c not in (None, "")]
        return sum(len(c) for c in cells) / len(cells) if cells else 0.0

    for rx in _HEADER_WORDS:
        hits = [i for i, h in enumerate(norm) if rx.search(h)]
        if hits:
            return max(hits, key=avg)
    if not norm:
        raise QuestionnaireError("the questionnaire has no columns")
    return max(range(len(norm)), key=avg)


def is_question(text: object) -> bool:
    """A row is answered when its question cell has a few words (section titles and blanks are skipped)."""
    return isinstance(text, str) and len(text.split()) >= _MIN_WORDS


def sources_text(citations: Sequence[dict]) -> str:
    return "; ".join(
        f"[{c['n']}] {c['source']}"
        + (f" p.{c['page']}" if c.get("page") else "")
        + (f" §{c['section'].split(' > ')[-1]}" if c.get("section") else "")
        for c in citations
    )


def default_output(path: Path) -> Path:
    return path.with_name(f"{path.stem}_filled{path.suffix}")


# -- reading ---------------------------------------------------------------------------------------
def read(path: Path, question_column: str | None = None) -> Table:
    path = Path(path)
    if not path.exists():
        raise QuestionnaireError(f"{path} does not exist", path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, question_column)
    if suffix in (".csv", ".tsv", ".txt"):
        return _read_csv(path, question_column)
    raise QuestionnaireError(f"cannot read {path.name}: use .xlsx or .csv", path)


def _read_csv(path: Path, named: str | None) -> Table:
    text = path.read_text(encoding="utf-8-sig")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = list(csv.reader(io.StringIO(text), dialect))
    header_at = next((i for i, r in enumerate(rows) if any(c.strip() for c in r)), None)
    if header_at is None:
        raise QuestionnaireError(f"{path.name} is empty", path)
    headers = rows[header_at]
    body = rows[header_at + 1 :]
    columns = [[r[i] if i < len(r) else "" for r in body] for i in range(len(headers))]
    col = detect_question_column(headers, columns, named)
    questions = [
        (header_at + 2 + j, r[col].strip())
        for j, r in enumerate(body)
        if col < len(r) and is_question(r[col])
    ]
    return Table(path, header_at + 1, headers, col, questions, rows=rows, dialect=dialect)


def _sheet_header(ws) -> tuple[int, list[str]] | None:
    """The first row (within the first 15) that names a question column, else the first non-empty row."""
    first = None
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=15, values_only=True), start=1):
        cells = ["" if v is None else str(v) for v in row]
        if not any(c.strip() for c in cells):
            continue
        first = first or (r, cells)
        if any(rx.search(c) for rx in _HEADER_WORDS for c in cells):
            return r, cells
    return first


def _read_xlsx(path: Path, named: str | None) -> Table:
    from openpyxl import load_workbook

    from ingest.errors import IngestError
    from ingest.limits import ParseLimits, check_before

    try:  # the parser limits first: a workbook of millions of cells fails in a second, not minutes
        check_before(path.name, "xlsx", path.read_bytes(), ParseLimits())
    except IngestError as exc:
        raise QuestionnaireError(f"cannot open {path.name}: {exc.reason}", path) from None
    try:  # read-only: rows are streamed, never the whole sheet in memory
        wb = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise QuestionnaireError(f"cannot open {path.name}: {exc}", path) from exc
    try:
        return _table_from(wb, path, named)
    finally:
        wb.close()


def _table_from(wb, path: Path, named: str | None) -> Table:
    candidates = []
    for ws in wb.worksheets:
        found = _sheet_header(ws)
        if found is None:
            continue
        named_hit = named and any(c.strip().lower() == named.strip().lower() for c in found[1])
        keyword = any(rx.search(c) for rx in _HEADER_WORDS for c in found[1])
        candidates.append((bool(named_hit), keyword, ws.max_row or 0, ws, found))
    if not candidates:
        raise QuestionnaireError(f"{path.name} has no rows", path)
    *_, ws, (header_row, headers) = max(candidates, key=lambda t: t[:3])
    body = list(ws.iter_rows(min_row=header_row + 1, values_only=True))
    columns = [[row[i] if i < len(row) else None for row in body] for i in range(len(headers))]
    col = detect_question_column(headers, columns, named)
    questions = [
        (header_row + 1 + j, str(row[col]).strip())
        for j, row in enumerate(body)
        if col < len(row) and is_question(row[col])
    ]
    return Table(path, header_row, headers, col, questions, sheet=ws.title)


# -- writing ---------------------------------------------------------------------------------------
def _values(a: QAnswer) -> list:
    return [
        xml_safe(a.answer),
        xml_safe(a.explanation),
        xml_safe(sources_text(a.citations)),
        round(a.confidence, 2),
        "yes" if a.needs_review else "no",
    ]


def write(table: Table, answers: Sequence[QAnswer], out: Path) -> Path:
    out = Path(out)
    if table.sheet is None:
        return _write_csv(table, answers, out)
    return _write_xlsx(table, answers, out)


def _write_csv(table: Table, answers: Sequence[QAnswer], out: Path) -> Path:
    by_row = {a.row: a for a in answers}
    width = max(len(r) for r in table.rows)
    buf = io.StringIO()
    w = csv.writer(buf, table.dialect)
    for i, row in enumerate(table.rows, start=1):
        pad = row + [""] * (width - len(row))
        if i == table.header_row:
            w.writerow(pad + list(ADDED))
        elif i in by_row:
            w.writerow(pad + _values(by_row[i]))
        else:
            w.writerow(row)
    out.write_text(buf.getvalue(), encoding="utf-8", newline="")
    return out


def _write_xlsx(table: Table, answers: Sequence[QAnswer], out: Path) -> Path:
    from openpyxl import load_workbook
    from openpyxl.styles import Alignment

    wb = load_workbook(table.path)  # formulas and styles as they were (not data_only)
    ws = wb[table.sheet]
    start = ws.max_column + 1
    model = ws.cell(table.header_row, table.question_col + 1)
    for k, name in enumerate(ADDED):
        cell = ws.cell(table.header_row, start + k, name)
        if model.has_style:
            cell.font, cell.fill, cell.border = copy(model.font), copy(model.fill), copy(model.border)
            cell.alignment = copy(model.alignment)
    for a in answers:
        for k, value in enumerate(_values(a)):
            cell = ws.cell(a.row, start + k, value)
            if k in (1, 2):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for k, width in enumerate((10, 70, 45, 11, 13)):
        ws.column_dimensions[ws.cell(table.header_row, start + k).column_letter].width = width
    wb.save(out)
    return out


# -- the job ---------------------------------------------------------------------------------------
def fill(
    adv,
    path: Path,
    client: str,
    *,
    question_column: str | None = None,
    out: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    user,
) -> tuple[list[QAnswer], Path | None, Table]:
    """Answer every question of ``path`` for ``client`` as ``user``; write the filled copy to ``out`` when
    given."""
    from advisor.access.policy import Access

    Access.require_read(user, client)
    table = read(path, question_column)
    answers = answer_all(adv, client, table.questions, progress=progress, user=user)
    written = write(table, answers, out) if out else None
    return answers, written, table
