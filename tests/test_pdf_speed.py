"""The PDF loader's shortcuts change its speed, never its result: pypdfium2's survey of each page
(ingest/loaders/pdf_survey.py) decides which pages pdfplumber lays out, and the lean object builder
(ingest/loaders/pdf_tables.py) must give pdfplumber's own object dicts."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from ingest.loaders import load
from ingest.loaders import pdf as pdf_loader
from ingest.loaders.pdf_survey import MIN_TABLE_SEGMENTS, survey
from ingest.loaders.pdf_tables import page_segments, use_lean_objects

DEMO_PDFS = sorted((Path(__file__).resolve().parents[1] / "knowledge_base" / "demo").glob("*/*.pdf"))
MB = 1024 * 1024


def _pdf(draw) -> bytes:  # noqa: ANN001
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    draw(pdf)
    return bytes(pdf.output())


def _grid(pdf) -> None:  # noqa: ANN001 - the fewest lines a 2 x 2 table needs: 3 across, 3 down
    pdf.set_xy(10, 20)
    pdf.multi_cell(0, 6, "Access review results")
    for y in (40, 50, 60):
        pdf.line(10, y, 150, y)
    for x in (10, 80, 150):
        pdf.line(x, 40, x, 60)
    for (x, y), text in zip([(12, 42), (82, 42), (12, 52), (82, 52)], ["System", "Owner", "CRM", "Sales"]):
        pdf.set_xy(x, y)
        pdf.cell(60, 6, text)


def _boxed_note(pdf) -> None:  # noqa: ANN001 - one rectangle (4 edges): no 2 x 2 table possible
    pdf.rect(10, 20, 150, 30)
    pdf.set_xy(12, 25)
    pdf.multi_cell(140, 6, "Note: the review covers every production system.")


def _ruled_page(pdf) -> None:  # noqa: ANN001 - a rule under the header and one above the footer
    pdf.line(10, 15, 200, 15)
    pdf.set_xy(10, 30)
    pdf.multi_cell(0, 6, "Scope. The audit covered payroll.")
    pdf.line(10, 280, 200, 280)


def _page_image(pdf) -> None:  # noqa: ANN001
    from PIL import Image

    buf = io.BytesIO()
    Image.new("L", (170, 220), 200).save(buf, "PNG")
    pdf.image(buf, x=0, y=0, w=210, h=297)


def _plumber_tables(data: bytes) -> list[bool]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page_segments(page) is not None for page in pdf.pages]


def test_the_smallest_ruled_table_is_surveyed_as_a_table_page_and_boxes_and_rules_are_not() -> None:
    grid = _pdf(_grid)
    assert _plumber_tables(grid) == [True]
    assert [p.may_hold_table for p in survey(grid) or []] == [True]
    for other in (_pdf(_boxed_note), _pdf(_ruled_page)):
        assert [p.may_hold_table for p in survey(other) or []] == [False]
    assert MIN_TABLE_SEGMENTS == 6


@pytest.mark.parametrize("path", DEMO_PDFS, ids=lambda p: p.name)
def test_every_page_pdfplumber_finds_a_table_on_is_surveyed_as_a_table_page(path: Path) -> None:
    data = path.read_bytes()
    surveyed = survey(data)
    assert surveyed is not None
    has_table = _plumber_tables(data)
    assert any(has_table)
    assert all(s.may_hold_table for s, found in zip(surveyed, has_table) if found)


def test_text_only_pages_of_the_demo_reports_are_not_laid_out() -> None:
    pages = [p for path in DEMO_PDFS for p in survey(path.read_bytes()) or []]
    assert len(pages) >= 15 and sum(not p.may_hold_table for p in pages) >= len(pages) / 3


def test_image_share_of_a_page_sized_picture() -> None:
    shares = [p.image_share for p in survey(_pdf(_page_image)) or []]
    assert len(shares) == 1 and shares[0] == pytest.approx(1.0, abs=0.01)
    assert [p.image_share for p in survey(_pdf(_grid)) or []] == [0.0]


def test_survey_of_a_damaged_pdf_is_none() -> None:
    assert survey(b"%PDF-1.4\nnot really a pdf\n%%EOF") is None


@pytest.mark.parametrize("path", DEMO_PDFS[:2], ids=lambda p: p.name)
def test_lean_objects_equal_pdfplumbers_own(path: Path) -> None:
    with pdfplumber.open(path) as own, pdfplumber.open(path) as lean:
        for a, b in zip(own.pages, lean.pages):
            use_lean_objects(b)
            mine, theirs = b.objects, a.objects
            assert mine.keys() == theirs.keys()
            for kind in theirs:
                assert [list(o) for o in mine[kind]] == [list(o) for o in theirs[kind]]
                assert [{k: v for k, v in o.items() if k != "stream"} for o in mine[kind]] == [
                    {k: v for k, v in o.items() if k != "stream"} for o in theirs[kind]
                ]


def test_pdfplumber_lays_out_only_the_table_page(tmp_path: Path, monkeypatch) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for body in ["Scope. The audit covered payroll.", "Method. Interviews and samples."]:
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body)
    pdf.add_page()
    _grid(pdf)
    path = tmp_path / "audit.pdf"
    path.write_bytes(bytes(pdf.output()))
    laid_out: list[int] = []

    def counting(page):  # noqa: ANN001, ANN202
        laid_out.append(page.page_number)
        return page_segments(page)

    monkeypatch.setattr(pdf_loader, "page_segments", counting)
    doc = load(path, max_bytes=10 * MB)
    assert laid_out == [3]
    assert [b.text for b in doc.pages[2].blocks if b.kind == "table"] == ["System | Owner\nCRM | Sales"]
    assert "Interviews and samples" in doc.pages[1].text


def test_without_the_survey_every_page_is_laid_out_with_the_same_result(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "note.pdf"
    path.write_bytes(_pdf(_grid))
    fast = load(path, max_bytes=10 * MB)
    monkeypatch.setattr(pdf_loader, "survey", lambda data: None)
    assert load(path, max_bytes=10 * MB) == fast


def test_fonts_are_parsed_once_per_document_with_the_same_text(monkeypatch) -> None:
    import pypdf
    from pypdf.generic._font import Font

    from ingest.loaders.pdf_fonts import fonts_parsed_once

    parsed: list[int] = []
    original = Font.from_font_resource.__func__  # type: ignore[attr-defined]

    def counting(cls, pdf_font_dict):  # noqa: ANN001, ANN202
        parsed.append(id(pdf_font_dict))
        return original(cls, pdf_font_dict)

    monkeypatch.setattr(Font, "from_font_resource", classmethod(counting))
    reader = pypdf.PdfReader(str(DEMO_PDFS[0]))
    plain = [page.extract_text() for page in reader.pages]
    per_page = len(parsed)
    parsed.clear()
    with fonts_parsed_once():
        once = [page.extract_text() for page in reader.pages]
    assert once == plain
    assert len(parsed) == len(set(parsed)) < per_page
    parsed.clear()
    assert [page.extract_text() for page in reader.pages] == plain and len(parsed) == per_page
