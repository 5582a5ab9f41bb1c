"""NIST Privacy Framework 1.0 Core: 5 functions, 18 categories and 100 subcategories.

Reads NIST's workbook ``NIST-Privacy-Framework-V1.0-Core.xlsx`` with openpyxl. Its one sheet holds
the Core from row 4: column B the Function cell ("IDENTIFY-P (ID-P): Develop …"), column D the
Category cell ("Inventory and Mapping (ID.IM-P): Data processing …"), column F one Subcategory per row
("ID.IM-P1: Systems/products/services …"). Function and Category cells are merged down over their
subcategories, so a value in B or D opens a new function or category and an empty one continues the
open one. Texts are the cell strings after the "(id): " prefix, unchanged.

Clause ids are NIST's: functions "ID-P", categories "ID.IM-P", subcategories "ID.IM-P1". A
subcategory's title is its category's name (subcategories have no title of their own), as in the CSF
parser; its text names its function and category, so a unit read alone still says where it belongs.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ingest.frameworks import file_digest, regulation_chunk
from ingest.frameworks.registry import FRAMEWORKS
from ingest.types import Chunk

FRAMEWORK = "privacy-framework"
SOURCE = FRAMEWORKS[FRAMEWORK].name  # the chunks' source (display name)
MAIN_FILE = "NIST-Privacy-Framework-V1.0-Core.xlsx"
FIRST_ROW = 4  # rows 1-3: the title, "NIST Privacy Framework Core" and the column headings

_FUNCTION = re.compile(r"^(?P<name>[A-Z]+-P) \((?P<id>[A-Z]{2}-P)\): (?P<text>.*)$", re.S)
_CATEGORY = re.compile(r"^(?P<name>[^()]+?) \((?P<id>[A-Z]{2}\.[A-Z]{2}-P)\): (?P<text>.*)$", re.S)
_SUBCATEGORY = re.compile(r"^(?P<id>[A-Z]{2}\.[A-Z]{2}-P\d+): (?P<text>.*)$", re.S)


@dataclass(frozen=True)
class Record:
    """One Core element as the workbook has it, in row order (a function, then each category's rows)."""

    kind: str  # "function" | "category" | "subcategory"
    id: str
    name: str  # a function's or category's name ("IDENTIFY-P", "Inventory and Mapping"); "" otherwise
    text: str
    function_id: str
    category_id: str  # "" for a function
    cell: str


def _match(rx: re.Pattern[str], value: object, cell: str, what: str) -> re.Match[str]:
    m = rx.match(value) if isinstance(value, str) else None
    if m is None:
        raise ValueError(f"{MAIN_FILE}: cell {cell} is not a {what} cell: {str(value)[:60]!r}")
    return m


def read_core(path: Path) -> list[Record]:
    """The workbook's functions, categories and subcategories in row order."""
    try:
        workbook = load_workbook(path, read_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError) as exc:
        raise ValueError(f"{path.name}: not an Excel workbook ({exc})") from None
    try:
        rows = workbook.worksheets[0].iter_rows(min_row=FIRST_ROW, min_col=2, max_col=6, values_only=True)
        records: list[Record] = []
        function_id = category_id = ""
        for number, (fn_value, _, cat_value, _, sub_value) in enumerate(rows, start=FIRST_ROW):
            if sub_value is None:
                break  # the Core ends at the first row without a subcategory
            if fn_value is not None:
                m = _match(_FUNCTION, fn_value, f"B{number}", "Function")
                function_id, category_id = m["id"], ""
                records.append(Record("function", m["id"], m["name"], m["text"], m["id"], "", f"B{number}"))
            if cat_value is not None:
                m = _match(_CATEGORY, cat_value, f"D{number}", "Category")
                category_id = m["id"]
                records.append(
                    Record("category", m["id"], m["name"], m["text"], function_id, m["id"], f"D{number}")
                )
            m = _match(_SUBCATEGORY, sub_value, f"F{number}", "Subcategory")
            if not function_id or not category_id or not m["id"].startswith(category_id):
                raise ValueError(
                    f"{MAIN_FILE}: subcategory {m['id']} (F{number}) is not under its category "
                    f"{category_id or '(none)'}"
                )
            records.append(
                Record("subcategory", m["id"], "", m["text"], function_id, category_id, f"F{number}")
            )
    finally:
        workbook.close()
    if not records:
        raise ValueError(f"{path.name}: no Privacy Framework Core rows from row {FIRST_ROW}")
    return records


def parse(folder: Path) -> list[Chunk]:
    """Parse the Privacy Framework folder into 123 chunks (functions, categories, subcategories)."""
    path = Path(folder) / MAIN_FILE
    digest = file_digest(path)
    records = read_core(path)
    functions = {r.id: r.name.title() for r in records if r.kind == "function"}
    categories = {r.id: r.name for r in records if r.kind == "category"}
    chunks: list[Chunk] = []
    for rec in records:
        fn_id, fn_title = rec.function_id, functions[rec.function_id]
        category = categories.get(rec.category_id, "")
        if rec.kind == "function":
            title, parent, hierarchy = fn_title, "", f"{fn_id} {fn_title}"
            text = f"{rec.id} {fn_title}\n{rec.text}"
        elif rec.kind == "category":
            title, parent = category, fn_id
            hierarchy = f"{fn_id} {fn_title} > {rec.id} {title}"
            text = f"{rec.id} {title}\n{rec.text}"
        else:
            title, parent = category, rec.category_id
            hierarchy = f"{fn_id} {fn_title} > {parent} {title} > {rec.id}"
            text = f"{rec.id} {title} ({fn_title})\n{rec.text}"
        chunks.append(
            regulation_chunk(
                source=SOURCE,
                section=rec.id,
                title=title,
                text=text,
                sha256=digest,
                framework=FRAMEWORK,
                parent=parent,
                hierarchy=hierarchy,
                kind=rec.kind,
                function=fn_id,
                function_title=fn_title,
                category=rec.category_id,
                category_title=category,
            )
        )
    return chunks
