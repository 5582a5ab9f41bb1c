"""Loaders: every format gives pages of blocks; every bad input fails with a specific, readable reason.

Fixture files are built inside each test (fpdf2, python-docx, openpyxl); no binary fixtures are committed.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.loaders import SUPPORTED_SUFFIXES, load
from ingest.types import Block

MB = 1024 * 1024


# --- builders -----------------------------------------------------------------------------------------


def write_pdf(
    path: Path, pages: list[list[tuple[str, str]]], *, title: str | None = None, **encryption
) -> Path:
    """One PDF page per item; each item lists ("h", heading), ("p", wrapped paragraph) or ("l", one line)."""
    from fpdf import FPDF

    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for items in pages:
        pdf.add_page()
        for kind, text in items:
            if kind == "h":
                pdf.set_font("Helvetica", "B", 13)
                pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
            elif kind == "p":
                pdf.set_font("Helvetica", size=11)
                pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
            elif kind == "l":
                pdf.set_font("Helvetica", size=11)
                pdf.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
            elif kind == "img":
                from PIL import Image

                buf = io.BytesIO()
                Image.new("RGB", (300, 200), "white").save(buf, "PNG")
                buf.seek(0)
                pdf.image(buf, x=20, y=20, w=120)
    if encryption:
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(encryption_method=EncryptionMethod.RC4, **encryption)
    pdf.output(str(path))
    return path


def reason_for(path: Path, max_bytes: int = 10 * MB) -> str:
    with pytest.raises(IngestError) as info:
        load(path, max_bytes=max_bytes)
    err = info.value
    assert err.path == str(path)
    assert len(err.reason) >= 10
    assert "Error" not in err.reason and "Traceback" not in err.reason and "Exception" not in err.reason
    return err.reason


def blocks(doc) -> list[Block]:  # noqa: ANN001
    return [b for p in doc.pages for b in p.blocks]


def make_docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = "Vendor Management Standard"
    d.add_heading("3 Vendors", level=1)
    d.add_paragraph("Critical vendors are reviewed every year.")
    d.add_heading("3.1 Approved Vendors", level=2)
    d.add_paragraph("Only these vendors may process customer data:", style="Normal")
    table = d.add_table(rows=3, cols=3)
    for r, row in enumerate(
        [("Vendor", "Service", "DPA signed"), ("Globex", "Payroll", "yes"), ("Initech", "Backups", "no")]
    ):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("Encrypt data in transit", style="List Bullet")
    d.add_paragraph("Review access quarterly", style="List Number")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- PDF ----------------------------------------------------------------------------------------------


def test_pdf_pages_headings_and_paragraphs(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "policy.pdf",
        [
            [
                ("h", "4 Access Control"),
                ("p", "Access to production systems is granted on a least-privilege basis. " * 3),
                ("h", "4.2 Passwords"),
                ("l", "Passwords must be at least 14 characters and privileged authen-"),
                ("l", "tication uses hardware tokens."),
                ("l", "Page 1 of 3"),
            ],
            [("h", "5 Logging"), ("p", "Security logs are retained for 13 months."), ("l", "Page 2 of 3")],
            [
                ("h", "F-03 Weak backup encryption"),
                ("p", "Backup keys are rotated every 90 days."),
                ("l", "Page 3 of 3"),
            ],
        ],
        title="Acme Security Policy",
    )
    doc = load(path, max_bytes=10 * MB)
    assert doc.title == "Acme Security Policy"
    assert [p.number for p in doc.pages] == [1, 2, 3]
    assert doc.warnings == ()
    first = doc.pages[0].blocks
    assert first[0] == Block("heading", "4 Access Control", 1)
    assert first[1].kind == "paragraph" and first[1].text.startswith("Access to production systems")
    assert "\n" not in first[1].text  # wrapped lines were rejoined
    assert first[2] == Block("heading", "4.2 Passwords", 2)
    assert (
        first[3].text
        == "Passwords must be at least 14 characters and privileged authentication uses hardware tokens."
    )
    assert len(first) == 4  # the "Page 1 of 3" footer is gone
    assert doc.pages[1].blocks[0] == Block("heading", "5 Logging", 1)
    assert doc.pages[2].blocks[0] == Block("heading", "F-03 Weak backup encryption", 2)
    assert doc.pages[2].blocks[1].text == "Backup keys are rotated every 90 days."


def test_pdf_blank_page_keeps_numbering_and_warns(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "p.pdf",
        [
            [("p", "Alpha facts on the first page.")],
            [],
            [("img", "")],
            [("p", "Delta facts on the fourth page.")],
        ],
    )
    doc = load(path, max_bytes=10 * MB)
    assert [p.number for p in doc.pages] == [1, 4]
    assert "Delta facts" in doc.pages[1].text
    assert any(w.startswith("pages 2, 3 have no extractable text") for w in doc.warnings)


def test_pdf_section_number_headings() -> None:
    from ingest.loaders.headings import lines_to_blocks

    got = lines_to_blocks(
        [
            "ACCESS CONTROL POLICY",
            "Section 5 Incident Response",
            "5.1.2 Reporting Channels",
            "Staff report incidents to the service desk within",
            "24 hours of discovery.",
            "1. Users must not ignore security warnings.",
            "2. Users must lock screens.",
        ]
    )
    assert got == [
        Block("heading", "ACCESS CONTROL POLICY", 1),
        Block("heading", "Section 5 Incident Response", 1),
        Block("heading", "5.1.2 Reporting Channels", 3),
        Block("paragraph", "Staff report incidents to the service desk within 24 hours of discovery."),
        Block("paragraph", "1. Users must not ignore security warnings."),
        Block("paragraph", "2. Users must lock screens."),
    ]


def test_numbered_table_rows_and_toc_are_not_headings() -> None:
    from ingest.loaders.headings import lines_to_blocks

    got = lines_to_blocks(
        [
            "Contents",
            "1 Introduction 2",
            "2 Scope 3",
            "5 Findings 4",  # a table of contents
            "5 Findings",
            "Three issues were found.",
            "1 Weak Passwords High Open",
            "2 Missing MFA High Open",
            "6 Recommendations",
            "Fix them.",
            "APPENDIX",
            "1 Glossary",
            "MFA means multi-factor authentication.",
        ]
    )
    assert [(b.kind, b.text) for b in got if b.kind == "heading"] == [
        ("heading", "Contents"),
        ("heading", "5 Findings"),
        ("heading", "6 Recommendations"),
        ("heading", "APPENDIX"),
        ("heading", "1 Glossary"),
    ]
    assert (
        Block("paragraph", "Three issues were found. 1 Weak Passwords High Open 2 Missing MFA High Open")
        in got
    )


def test_cover_page_lines_are_not_headings() -> None:
    from ingest.loaders.headings import lines_to_blocks

    got = lines_to_blocks(
        [
            "Information Security Policy",
            "Acme Corp - Policy ISP-001",
            "Version 3.2",
            "Prepared for Dana Whitfield, CISO",
            "1 Purpose",
            "Protect data.",
            "2 Scope",
            "All staff.",
            "F-05 No BAA with TranscribeRight Critical 164.314(a) Luis Ortega 2026-04-30 Open",
        ]
    )
    assert got == [
        Block("heading", "Information Security Policy", 1),
        Block("paragraph", "Acme Corp - Policy ISP-001 Version 3.2 Prepared for Dana Whitfield, CISO"),
        Block("heading", "1 Purpose", 1),
        Block("paragraph", "Protect data."),
        Block("heading", "2 Scope", 1),
        Block("paragraph", "All staff."),
        Block(
            "paragraph", "F-05 No BAA with TranscribeRight Critical 164.314(a) Luis Ortega 2026-04-30 Open"
        ),
    ]


def test_pdf_running_header_with_page_number_is_removed(tmp_path: Path) -> None:
    pages = [
        [("l", f"Acme Access Control Standard {n}"), ("h", f"{n} Topic {n}"), ("p", f"Fact number {n}.")]
        for n in range(1, 5)
    ]
    doc = load(write_pdf(tmp_path / "p.pdf", pages), max_bytes=10 * MB)
    assert [[b.text for b in p.blocks] for p in doc.pages] == [
        [f"{n} Topic {n}", f"Fact number {n}."] for n in range(1, 5)
    ]


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    path = write_pdf(
        tmp_path / "locked.pdf", [[("p", "Secret text.")]], owner_password="o", user_password="u"
    )
    assert reason_for(path).startswith("password-protected PDF: ")


def test_pdf_with_owner_password_only_opens_normally(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "perm.pdf", [[("p", "Backups run nightly at 02:00.")]], owner_password="o")
    doc = load(path, max_bytes=10 * MB)
    assert doc.pages[0].text == "Backups run nightly at 02:00."


def test_truncated_pdf(tmp_path: Path) -> None:
    full = write_pdf(tmp_path / "full.pdf", [[("p", "Some text. " * 50)], [("p", "More text.")]]).read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(full[: len(full) // 2])
    assert reason_for(cut).startswith("PDF is damaged or truncated: ")
    patched = tmp_path / "patched.pdf"  # end marker present but the objects are missing
    patched.write_bytes(full[: len(full) // 2] + b"\n%%EOF\n")
    assert reason_for(patched).startswith("PDF is damaged or truncated: ")


def test_image_only_pdf(tmp_path: Path) -> None:
    path = write_pdf(tmp_path / "scan.pdf", [[("img", "")], [("img", "")]])
    reason = reason_for(path)
    assert reason.startswith("PDF has no extractable text")


@pytest.mark.parametrize(
    ("content", "looks_like"),
    [
        (b"<!DOCTYPE html><html><body>Login</body></html>", "an HTML page"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "an image"),
        (b"Just a note about passwords.\n", "plain text"),
        (b"PK\x03\x04" + b"\x00" * 40, "a ZIP archive"),
    ],
)
def test_non_pdf_named_pdf(tmp_path: Path, content: bytes, looks_like: str) -> None:
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    assert reason_for(path) == f"file is not a PDF (content looks like {looks_like})"


# --- generic failures ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["empty.pdf", "empty.docx", "empty.txt", "empty.md", "empty.xlsx"])
def test_empty_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    assert reason_for(path) == "file is empty (0 bytes)"


def test_whitespace_only_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\n\t \n")
    assert reason_for(path) == "file is empty (it contains only whitespace)"


def test_file_over_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.pdf"
    with path.open("wb") as fh:
        fh.truncate(int(12.3 * MB))
    assert reason_for(path, max_bytes=10 * MB) == "file is 12.3 MB, over the 10.0 MB limit"


def test_unsupported_type(tmp_path: Path) -> None:
    path = tmp_path / "setup.exe"
    path.write_bytes(b"MZ\x90\x00")
    reason = reason_for(path)
    assert reason.startswith("unsupported file type '.exe'; supported: .pdf, .docx, ")
    for suffix in SUPPORTED_SUFFIXES:
        assert suffix in reason


def test_legacy_doc_and_xls(tmp_path: Path) -> None:
    doc = tmp_path / "old.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "legacy Word .doc file could not be read" in reason_for(doc)  # a damaged one
    assert "save it as .docx" in reason_for(doc)
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    assert "legacy Excel .xls files are not supported" in reason_for(xls)


def test_missing_file(tmp_path: Path) -> None:
    assert reason_for(tmp_path / "nope.pdf") == "file not found"


def test_binary_garbage_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "policy.docx"
    path.write_bytes(bytes(range(256)) * 8)
    assert reason_for(path) == "not a valid Word .docx file (content looks like binary data)"


def test_damaged_zip_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "policy.docx"
    path.write_bytes(make_docx_bytes()[:300])
    assert reason_for(path).startswith("not a valid Word .docx file")


def test_legacy_doc_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "policy.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "WordDocument".encode("utf-16-le"))
    reason = reason_for(path)
    assert reason.startswith("not a valid Word .docx file: it is a legacy Word .doc file")


def test_password_protected_docx(tmp_path: Path) -> None:
    path = tmp_path / "secret.docx"  # encrypted OOXML is an OLE container with an EncryptionInfo stream
    path.write_bytes(
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200 + "EncryptionInfo".encode("utf-16-le")
    )
    assert reason_for(path) == "Word file is password-protected; remove the password and ingest again"


def test_pdf_content_in_txt_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(write_pdf(tmp_path / "x.pdf", [[("p", "x")]]).read_bytes())
    assert reason_for(path) == "file named .txt is not text (content looks like a PDF document)"


# --- text, Markdown, HTML -----------------------------------------------------------------------------

SAMPLE = "1 Purpose\nCafé staff – and contractors – must lock screens.\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_txt_encodings_round_trip(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / f"note-{encoding}.txt"
    path.write_bytes(SAMPLE.encode(encoding))
    doc = load(path, max_bytes=10 * MB)
    assert blocks(doc) == [
        Block("heading", "1 Purpose", 1),
        Block("paragraph", "Café staff – and contractors – must lock screens."),
    ]


def test_txt_latin1_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Accès réservé au personnel autorisé. Contrôle d'accès à l'entrée.".encode("latin-1"))
    doc = load(path, max_bytes=10 * MB)
    assert doc.pages[0].text == "Accès réservé au personnel autorisé. Contrôle d'accès à l'entrée."


def test_markdown_headings_and_table(tmp_path: Path) -> None:
    path = tmp_path / "risk.md"
    path.write_text(
        "---\nowner: CISO\n---\n# Risk Register\n\nIntro **text** with a [link](http://x).\n\n"
        "## Top Risks\n\n| ID | Risk | Owner |\n|----|------|-------|\n| R-1 | Ransomware | CIO |\n"
        "| R-2 | Phishing | CISO |\n\n- first item\n- second item\n",
        encoding="utf-8",
    )
    doc = load(path, max_bytes=10 * MB)
    assert doc.title == "Risk Register"
    assert blocks(doc) == [
        Block("heading", "Risk Register", 1),
        Block("paragraph", "Intro text with a link."),
        Block("heading", "Top Risks", 2),
        Block("table", "ID | Risk | Owner\nR-1 | Ransomware | CIO\nR-2 | Phishing | CISO"),
        Block("paragraph", "- first item"),
        Block("paragraph", "- second item"),
    ]


def test_html_drops_scripts_and_nav(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Incident Plan</title><style>p{color:red}</style></head><body>"
        "<nav><a href='/'>Home</a> Menu</nav><script>var x = 'ignore me';</script>"
        "<h1>Incident Plan</h1><p>Call the <b>on-call</b> lead.</p><h2>Contacts</h2>"
        "<table><tr><th>Role</th><th>Phone</th></tr><tr><td>Lead</td><td>555-0100</td></tr></table>"
        "<ul><li>Contain</li><li>Eradicate<ul><li>Reimage hosts</li></ul></li></ul></body></html>",
        encoding="utf-8",
    )
    doc = load(path, max_bytes=10 * MB)
    assert doc.title == "Incident Plan"
    assert blocks(doc) == [
        Block("heading", "Incident Plan", 1),
        Block("paragraph", "Call the on-call lead."),
        Block("heading", "Contacts", 2),
        Block("table", "Role | Phone\nLead | 555-0100"),
        Block("paragraph", "- Contain"),
        Block("paragraph", "- Eradicate"),
        Block("paragraph", "- Reimage hosts"),
    ]


def test_every_reason_is_readable(tmp_path: Path) -> None:
    """No reason leaks a Python exception name or a module path."""
    cases = {
        "a.pdf": b"%PDF-1.7\ngarbage\n%%EOF",
        "b.docx": b"PK\x03\x04junk",
        "c.xlsx": b"\x00\x01\x02" * 50,
    }
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        reason = reason_for(path)
        assert not re.search(r"[A-Z][a-z]+(Error|Exception)|pypdf|openpyxl|docx\.|\.py\b", reason), reason
