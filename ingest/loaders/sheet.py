"""Spreadsheet loaders: every XLSX sheet (or the CSV file) becomes a heading plus one table block.

Rows are rendered as pipe-separated cells, header row first; empty rows and trailing empty columns
are dropped. Spreadsheets have no pages, so ``Page.number`` is None; the sheet name is the heading.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

from ingest.errors import IngestError
from ingest.loaders.text import decode_text
from ingest.types import Block, LoadedDocument, Page

MAX_ROWS = 20_000  # per sheet; beyond this the sheet is cut and a warning is recorded


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    return " ".join(str(value).replace("|", "/").split())


def _table(rows: list[list[str]]) -> str:
    rows = [r for r in rows if any(c for c in r)]
    if not rows:
        return ""
    width = max(max((i + 1 for i, c in enumerate(r) if c), default=0) for r in rows)
    return "\n".join(" | ".join((r + [""] * width)[:width]) for r in rows)


def load_xlsx(path: Path, data: bytes) -> LoadedDocument:
    from openpyxl import load_workbook

    damaged = "not a valid Excel .xlsx workbook: the file is damaged or not an Office Open XML spreadsheet"
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl and zipfile raise a zoo of types for damaged input; the reason is the same
        raise IngestError(str(path), damaged) from None
    blocks: list[Block] = []
    warnings: list[str] = []
    try:
        for ws in wb.worksheets:
            rows: list[list[str]] = []
            for n, row in enumerate(ws.iter_rows(values_only=True)):
                if n >= MAX_ROWS:
                    warnings.append(
                        f"sheet '{ws.title}' has more than {MAX_ROWS} rows; only the first "
                        f"{MAX_ROWS} were read"
                    )
                    break
                rows.append([_cell(v) for v in row])
            table = _table(rows)
            if table:
                blocks.append(Block("heading", ws.title, 1))
                blocks.append(Block("table", table))
        title = (wb.properties.title or "").strip() if getattr(wb, "properties", None) else ""
    except Exception:
        raise IngestError(str(path), damaged) from None
    finally:
        wb.close()
    if not blocks:
        raise IngestError(str(path), "spreadsheet has no cells with data")
    return LoadedDocument(str(path), title or path.stem, (Page(None, tuple(blocks)),), tuple(warnings))


def load_csv(path: Path, data: bytes) -> LoadedDocument:
    text = decode_text(data, str(path))
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error as exc:
        raise IngestError(str(path), f"CSV file is malformed: {exc}") from None
    warnings: tuple[str, ...] = ()
    if len(rows) > MAX_ROWS:
        rows = rows[:MAX_ROWS]
        warnings = (f"CSV file has more than {MAX_ROWS} rows; only the first {MAX_ROWS} were read",)
    table = _table(rows)
    if not table:
        raise IngestError(str(path), "CSV file has no cells with data")
    blocks = (Block("heading", path.stem, 1), Block("table", table))
    return LoadedDocument(str(path), path.stem, (Page(None, blocks),), warnings)
