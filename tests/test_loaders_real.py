"""Real-document behaviour of the loaders: encrypted PDFs, printed page labels, running headers, scanned
pages (OCR), tables, text normalisation, .pptx, legacy .doc, Markdown templates, document ids.

The special files are built here: pypdf encrypts with AES and writes page labels, fpdf2 lays out text,
and a page rendered to an image with Pillow is a scanned page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.chunking import chunk_document
from ingest.doc_ids import doc_ids, mentions
from ingest.errors import IngestError
from ingest.loaders import load
from ingest.loaders.pdf_layout import printed_page_numbers
from ingest.loaders.pdf_ocr import ocr_available
from ingest.normalise import normalise_line, normalise_text

MB = 1024 * 1024
HEADER = "Example Agency Audit Report"


def _text_pdf(pages: list[str], *, footer_offset: int | None = None, header: str | None = HEADER) -> bytes:
    """A PDF with a running header and, with ``footer_offset``, a printed page number (index - offset)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for i, body in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        if header:
            pdf.set_xy(10, 8)
            pdf.cell(0, 5, header)
        pdf.set_xy(10, 30)
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body)
        if footer_offset is not None and i > footer_offset:
            pdf.set_xy(10, 280)
            pdf.cell(0, 5, str(i - footer_offset))
    return bytes(pdf.output())


def _scanned_page_pdf(text_pages: list[str], scanned_text: str) -> bytes:
    """Text pages, then one page that is only an image of ``scanned_text`` (plus the running header as
    real text, as a scanned appendix of a digital report has)."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (1700, 2200), 255)
    draw = ImageDraw.Draw(image)
    try:
        font = ImageFont.truetype("DejaVuSans.ttf", 44)
    except OSError:
        font = ImageFont.load_default(size=44)
    y = 200
    for line in scanned_text.split("\n"):
        draw.text((150, y), line, fill=0, font=font)
        y += 80
    buf = io.BytesIO()
    image.save(buf, "PNG")
    pdf = FPDF()
    pdf.set_auto_page_break(False)
    for body in text_pages:
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.set_xy(10, 8)
        pdf.cell(0, 5, HEADER)
        pdf.set_xy(10, 30)
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body)
    pdf.add_page()
    buf.seek(0)
    pdf.image(buf, x=0, y=0, w=210, h=297)
    pdf.set_font("Helvetica", size=9)
    pdf.set_xy(10, 8)
    pdf.cell(0, 5, HEADER)
    return bytes(pdf.output())


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


BODIES = [
    f"Section {i}. The backup of system {i} runs nightly and is tested quarterly by the IT team."
    for i in range(1, 6)
]


def test_aes_encrypted_pdf_with_empty_user_password_opens_with_labels(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_text_pdf(BODIES))))
    writer.set_page_label(0, 1, style=PageLabelStyle.LOWERCASE_ROMAN)
    writer.set_page_label(2, 4, style=PageLabelStyle.DECIMAL, start=27)
    writer.encrypt(user_password="", owner_password="owner-secret", algorithm="AES-256")
    buf = io.BytesIO()
    writer.write(buf)
    doc = load(_write(tmp_path / "aes.pdf", buf.getvalue()), max_bytes=10 * MB)
    assert [p.number for p in doc.pages] == [1, 2, 3, 4, 5]
    assert [p.label for p in doc.pages] == ["i", "ii", "27", "28", "29"]
    assert "backup of system 3" in doc.pages[2].text
    chunks = chunk_document(
        doc, client="c", source="aes.pdf", doc_type="audit_report", sha256="x", ingested_at="t"
    )
    third = next(c for c in chunks if "system 3" in c.text)
    assert (third.page, third.extra["page_label"]) == (3, "27")


def test_pdf_needing_a_password_fails_alone(tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_text_pdf(BODIES[:1]))))
    writer.encrypt(user_password="open-sesame", algorithm="AES-128")
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(IngestError) as err:
        load(_write(tmp_path / "locked.pdf", buf.getvalue()), max_bytes=10 * MB)
    assert err.value.reason.startswith("password-protected PDF: ")


def test_printed_page_numbers_differ_from_the_index_and_running_header_is_removed(tmp_path: Path) -> None:
    doc = load(_write(tmp_path / "report.pdf", _text_pdf(BODIES, footer_offset=2)), max_bytes=10 * MB)
    assert [(p.number, p.label) for p in doc.pages] == [(1, None), (2, None), (3, "1"), (4, "2"), (5, "3")]
    assert all(HEADER not in p.text for p in doc.pages)
    assert all(not p.text.rstrip().endswith(str(p.label)) for p in doc.pages if p.label)


def test_printed_page_numbers_need_a_consistent_offset() -> None:
    pages = [["Title", "text", str(n - 2)] for n in range(1, 7)]
    pages[0] = ["Cover", "2019"]  # a year alone is not page 1
    assert printed_page_numbers(pages) == [None, "0", "1", "2", "3", "4"]
    assert printed_page_numbers([["Finding 7", "text"], ["Finding 9", "text"], ["x", "12"]]) == [
        None,
        None,
        None,
    ]


@pytest.mark.skipif(not ocr_available(), reason="tesseract-ocr is not installed (make system-deps)")
def test_scanned_page_with_only_a_running_header_is_read_by_ocr(tmp_path: Path) -> None:
    data = _scanned_page_pdf(
        BODIES[:3], "Management Response\nWe accept the finding on\nencryption of backups."
    )
    doc = load(_write(tmp_path / "partly-scanned.pdf", data), max_bytes=10 * MB)
    last = doc.pages[-1]
    assert (last.number, last.ocr) == (4, True)
    assert "encryption of backups" in " ".join(last.text.split()).lower()
    assert not any(p.ocr for p in doc.pages[:-1])
    chunks = chunk_document(
        doc, client="c", source="r.pdf", doc_type="audit_report", sha256="x", ingested_at="t"
    )
    assert [c.extra.get("ocr", False) for c in chunks if c.page == 4] and all(
        c.extra.get("ocr") for c in chunks if c.page == 4
    )


def test_scanned_pages_are_reported_when_ocr_is_not_installed(tmp_path: Path, monkeypatch) -> None:
    from ingest.loaders import pdf as pdf_loader

    monkeypatch.setattr(pdf_loader, "ocr_available", lambda: False)
    data = _scanned_page_pdf(BODIES[:3], "Management Response")
    doc = load(_write(tmp_path / "partly-scanned.pdf", data), max_bytes=10 * MB)
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert any(w.startswith("1 scanned page not read: OCR not installed") for w in doc.warnings)


def test_pdf_table_rows_keep_their_header(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, "Table 1. Findings")
    rows = [
        ("ID", "Finding", "Severity"),
        ("TOB-K8S-038", "Kubelet exposes metrics", "High"),
        ("TOB-K8S-039", "No audit logging", "Medium"),
        ("TOB-K8S-040", "Weak TLS ciphers", "Low"),
    ]
    with pdf.table() as table:
        for r in rows:
            row = table.row()
            for cell in r:
                row.cell(cell)
    doc = load(_write(tmp_path / "findings.pdf", bytes(pdf.output())), max_bytes=10 * MB)
    tables = [b for p in doc.pages for b in p.blocks if b.kind == "table"]
    assert tables and tables[0].text.split("\n")[0] == "ID | Finding | Severity"
    chunks = chunk_document(
        doc, client="c", source="f.pdf", doc_type="audit_report", sha256="x", ingested_at="t"
    )
    row = next(c for c in chunks if "TOB-K8S-039" in c.text)
    assert "ID | Finding | Severity" in row.text and row.section.endswith("TOB-K8S-039")
    assert "TOB-K8S-038" not in row.text


def test_normalisation() -> None:
    assert (
        normalise_line("certi\ufb01cate\u00a0of  e\u00adncryp\u200btion\x00") == "certificate of encryption"
    )
    assert normalise_text("the authen-\ntication factor\r\n\n\n\nnext") == "the authentication factor\n\nnext"
    assert normalise_text("ﬂow ﬃce") == "flow ffice"


def test_ligature_text_in_a_file_matches_plain_words(tmp_path: Path) -> None:
    path = _write(tmp_path / "policy.txt", "Each certi\ufb01cate is veri\ufb01ed\u00a0annually.\n".encode())
    assert "certificate is verified annually" in load(path, max_bytes=MB).pages[0].text


def test_pptx_slides_are_pages(tmp_path: Path) -> None:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for title, body in [
        ("Board update", "Risk posture improved"),
        ("Top risks", "Ransomware remains the top risk"),
    ]:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    rows = deck.slides[1].shapes.add_table(2, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    for (r, c), text in {(0, 0): "Risk", (0, 1): "Owner", (1, 0): "R-01", (1, 1): "CIO"}.items():
        rows.cell(r, c).text = text
    deck.slides[1].notes_slide.notes_text_frame.text = "Discuss budget"
    path = tmp_path / "board.pptx"
    deck.save(str(path))
    doc = load(path, max_bytes=10 * MB)
    assert [(p.number, p.blocks[0].text) for p in doc.pages] == [(1, "Board update"), (2, "Top risks")]
    kinds = [b.kind for b in doc.pages[1].blocks]
    assert "table" in kinds and "Risk | Owner\nR-01 | CIO" in doc.pages[1].text
    assert "Notes: Discuss budget" in doc.pages[1].text


def test_broken_pptx_and_doc_fail_alone(tmp_path: Path) -> None:
    with pytest.raises(IngestError) as err:
        load(_write(tmp_path / "deck.pptx", b"not a zip at all"), max_bytes=MB)
    assert "not a valid PowerPoint .pptx file" in err.value.reason
    with pytest.raises(IngestError) as err:
        load(_write(tmp_path / "old.doc", b"plain text pretending"), max_bytes=MB)
    assert "not a legacy Word .doc file" in err.value.reason


def test_markdown_front_matter_macros_and_comments_are_stripped(tmp_path: Path) -> None:
    md = (
        "---\ntitle: Access Control Policy\nowner: CISO\n---\n"
        "{% include 'header.html' %}\n# Access Control Policy\n<!-- internal: draft\nnot for clients -->\n"
        "Accounts are reviewed {{ review_frequency }} quarterly.\n{# a template note #}\n"
    )
    doc = load(_write(tmp_path / "handbook.md", md.encode()), max_bytes=MB)
    text = "\n".join(p.text for p in doc.pages)
    assert doc.title == "Access Control Policy"
    assert "Accounts are reviewed quarterly." in " ".join(text.split())
    for noise in ("include", "internal", "not for clients", "template note", "owner: CISO", "{{", "{%"):
        assert noise not in text


def test_document_ids_found_by_shape() -> None:
    text = (
        "TOB-K8S-038 and NCC-E003660-4Y7 were fixed; see Recommendation 8, finding 3.2 and F-01. "
        "AC-2(3) is a control; 2026-04-30 is a date; CVE-2021-44228 is a CVE."
    )
    assert doc_ids(text) == [
        "TOB-K8S-038",
        "NCC-E003660-4Y7",
        "Recommendation 8",
        "Finding 3.2",
        "F-01",
        "CVE-2021-44228",
    ]
    assert mentions("RECOMMENDATION 8: rotate keys", "Recommendation 8")
    assert not mentions("Recommendation 80 says", "Recommendation 8")
    assert not mentions("TOB-K8S-0380", "TOB-K8S-038")


def test_eml_message(tmp_path: Path) -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "ciso@example.com", "board@example.com", "Q3 phishing results"
    msg["Date"] = "Mon, 02 Jun 2025 10:00:00 +0000"
    msg.set_content("The click rate fell to 4% in Q3.\nReporting rose to 31%.")
    msg.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf", filename="results.pdf")
    doc = load(_write(tmp_path / "results.eml", bytes(msg)), max_bytes=MB)
    text = doc.pages[0].text
    assert doc.title == "Q3 phishing results" and "From: ciso@example.com" in text
    assert "The click rate fell to 4% in Q3." in text and "Attachments (not read): results.pdf" in text
    with pytest.raises(IngestError) as err:
        load(_write(tmp_path / "note.eml", b"just some words\n"), max_bytes=MB)
    assert "not a valid e-mail message" in err.value.reason
