"""Office formats: DOCX (headings, tables and lists in order) and spreadsheets (XLSX/CSV as tables)."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders import load
from ingest.types import Block
from tests.test_loaders import MB, blocks, make_docx_bytes, reason_for

# --- DOCX ---------------------------------------------------------------------------------------------


def test_docx_headings_tables_lists_in_order(tmp_path: Path) -> None:
    path = tmp_path / "vendors.docx"
    path.write_bytes(make_docx_bytes())
    doc = load(path, max_bytes=10 * MB)
    assert doc.title == "Vendor Management Standard"
    assert [p.number for p in doc.pages] == [None]
    assert blocks(doc) == [
        Block("heading", "3 Vendors", 1),
        Block("paragraph", "Critical vendors are reviewed every year."),
        Block("heading", "3.1 Approved Vendors", 2),
        Block("paragraph", "Only these vendors may process customer data:"),
        Block("table", "Vendor | Service | DPA signed\nGlobex | Payroll | yes\nInitech | Backups | no"),
        Block("paragraph", "- Encrypt data in transit"),
        Block("paragraph", "- Review access quarterly"),
    ]


def test_docx_without_text(tmp_path: Path) -> None:
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    assert reason_for(path) == "Word document contains no text"


# --- spreadsheets -------------------------------------------------------------------------------------


def test_xlsx_sheets_become_tables(tmp_path: Path) -> None:
    import datetime as dt

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Risks"
    ws.append(["ID", "Risk", "Score", "Review"])
    ws.append(["R-1", "Ransomware", 20, dt.datetime(2024, 3, 1)])
    ws.append([None, None, None, None])
    ws.append(["R-2", "Phishing", 12.5, None])
    wb.create_sheet("Empty")
    wb.create_sheet("Owners").append(["Risk", "Owner"])
    wb["Owners"].append(["R-1", "CIO"])
    path = tmp_path / "register.xlsx"
    wb.save(str(path))
    doc = load(path, max_bytes=10 * MB)
    assert blocks(doc) == [
        Block("heading", "Risks", 1),
        Block(
            "table",
            "ID | Risk | Score | Review\nR-1 | Ransomware | 20 | 2024-03-01\nR-2 | Phishing | 12.5 | ",
        ),
        Block("heading", "Owners", 1),
        Block("table", "Risk | Owner\nR-1 | CIO"),
    ]


def test_garbage_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    path.write_bytes(b"ID,Risk\nR-1,Ransomware\n")
    assert reason_for(path) == "not a valid Excel .xlsx workbook (content looks like plain text)"


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "subprocessors.csv"
    path.write_text("Name;Country;Purpose\nGlobex;DE;Payroll\nInitech;US;Backups\n", encoding="utf-8")
    doc = load(path, max_bytes=10 * MB)
    assert blocks(doc) == [
        Block("heading", "subprocessors", 1),
        Block("table", "Name | Country | Purpose\nGlobex | DE | Payroll\nInitech | US | Backups"),
    ]
