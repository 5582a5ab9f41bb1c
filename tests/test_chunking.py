"""Chunking: exact pages and heading paths, sizes, tables, merges, stable ids."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ingest.chunking import chunk_document, split_pieces
from ingest.loaders import load
from ingest.types import Block, LoadedDocument, Page, chunk_id

MB = 1024 * 1024
META = {
    "client": "acme",
    "source": "policy.pdf",
    "doc_type": "policy",
    "sha256": "f" * 64,
    "ingested_at": "2025-01-01T00:00:00Z",
}


def chunks_of(doc: LoadedDocument, max_chars: int = 1000):  # noqa: ANN201
    return chunk_document(doc, max_chars=max_chars, **META)


def doc_of(*pages: list[Block], title: str = "Doc") -> LoadedDocument:
    return LoadedDocument("x", title, tuple(Page(i + 1, tuple(b)) for i, b in enumerate(pages)))


def H(text: str, level: int) -> Block:  # noqa: N802
    return Block("heading", text, level)


def P(text: str) -> Block:  # noqa: N802
    return Block("paragraph", text)


def T(text: str) -> Block:  # noqa: N802
    return Block("table", text)


def find(chunks, needle: str):  # noqa: ANN001, ANN201
    hits = [c for c in chunks if needle in c.text]
    assert len(hits) == 1, (needle, [c.text for c in chunks])
    return hits[0]


# --- end to end from a real PDF -----------------------------------------------------------------------


def test_three_page_pdf_facts_land_on_their_page_and_section(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title("Acme Information Security Policy")

    def heading(text: str) -> None:
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")

    def para(text: str) -> None:
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    pdf.add_page()
    heading("4 Access Control")
    para("Access is granted on a least-privilege basis and reviewed every quarter by the system owner.")
    heading("4.2 Passwords")
    para("Passwords must be at least 14 characters long.")
    pdf.add_page()
    para("Administrative accounts require hardware security keys.")  # section 4.2 continues on page 2
    heading("5 Logging")
    para("Security logs are retained for 13 months in the central SIEM.")
    pdf.add_page()
    heading("5.1 Log Review")
    para("The SOC reviews authentication alerts daily.")
    path = tmp_path / "policy.pdf"
    pdf.output(str(path))

    doc = load(path, max_bytes=10 * MB)
    chunks = chunks_of(doc)
    expected = {
        "least-privilege basis": (1, "4 Access Control"),
        "at least 14 characters": (1, "4 Access Control > 4.2 Passwords"),
        "hardware security keys": (2, "4 Access Control > 4.2 Passwords"),
        "retained for 13 months": (2, "5 Logging"),
        "authentication alerts daily": (3, "5 Logging > 5.1 Log Review"),
    }
    for needle, (page, section) in expected.items():
        chunk = find(chunks, needle)
        assert (chunk.page, chunk.section) == (page, section), needle
    assert len(chunks) == 5
    # The continuation on page 2 repeats its heading line so it stands alone; the heading is there once.
    assert find(chunks, "hardware security keys").text == (
        "4.2 Passwords\nAdministrative accounts require hardware security keys."
    )
    assert all(c.title == "Acme Information Security Policy" for c in chunks)
    assert [c.extra["ordinal"] for c in chunks] == [0, 1, 2, 3, 4]
    assert all(c.client == "acme" and c.source == "policy.pdf" and c.doc_type == "policy" for c in chunks)
    assert all(c.sha256 == "f" * 64 and c.ingested_at == "2025-01-01T00:00:00Z" for c in chunks)


def test_docx_table_reaches_a_chunk(tmp_path: Path) -> None:
    import docx

    d = docx.Document()
    d.add_heading("7 Subprocessors", level=1)
    d.add_paragraph("The following subprocessors handle personal data.")
    table = d.add_table(rows=2, cols=2)
    for c, (head, value) in enumerate([("Name", "Globex"), ("Country", "Germany")]):
        table.cell(0, c).text = head
        table.cell(1, c).text = value
    d.add_heading("8 Review", level=1)
    d.add_paragraph("The list is reviewed yearly.")
    buf = io.BytesIO()
    d.save(buf)
    path = tmp_path / "vendors.docx"
    path.write_bytes(buf.getvalue())

    chunks = chunks_of(load(path, max_bytes=10 * MB))
    table_chunk = find(chunks, "Globex")
    assert table_chunk.section == "7 Subprocessors"
    assert table_chunk.page is None
    assert "Name | Country\nGlobex | Germany" in table_chunk.text
    assert table_chunk.text.startswith("7 Subprocessors\n")
    assert find(chunks, "reviewed yearly").section == "8 Review"


# --- structure ----------------------------------------------------------------------------------------


def test_heading_path_pops_to_the_right_level() -> None:
    body = "Text that is long enough to stand as a chunk on its own without being merged. " * 2
    doc = doc_of(
        [
            H("4 Access Control", 1),
            P("A " + body),
            H("4.2 Passwords", 2),
            P("B " + body),
            H("4.2.1 Length", 3),
            P("C " + body),
            H("4.3 Sessions", 2),
            P("D " + body),
            H("5 Logging", 1),
            P("E " + body),
        ]
    )
    sections = [c.section for c in chunks_of(doc)]
    assert sections == [
        "4 Access Control",
        "4 Access Control > 4.2 Passwords",
        "4 Access Control > 4.2 Passwords > 4.2.1 Length",
        "4 Access Control > 4.3 Sessions",
        "5 Logging",
    ]


def test_text_without_headings_has_no_section() -> None:
    chunks = chunks_of(doc_of([P("Plain text without any heading at all.")]))
    assert [(c.section, c.text) for c in chunks] == [(None, "Plain text without any heading at all.")]


def test_heading_kept_once_when_block_repeats_it() -> None:
    chunks = chunks_of(doc_of([H("Scope", 1), P("Scope of this policy covers all staff and contractors.")]))
    assert chunks[0].text == "Scope\nScope of this policy covers all staff and contractors."
    chunks = chunks_of(doc_of([H("Scope", 1), P("Scope")]))
    assert chunks[0].text == "Scope"


def test_chunk_never_spans_pages() -> None:
    doc = doc_of([H("3 Backups", 1), P("Backups run nightly.")], [P("Restores are tested monthly.")])
    chunks = chunks_of(doc)
    assert [(c.page, c.text) for c in chunks] == [
        (1, "3 Backups\nBackups run nightly."),
        (2, "3 Backups\nRestores are tested monthly."),
    ]


def test_numbered_clauses_start_new_chunks() -> None:
    clause = "must be reviewed by the owner and approved by the CISO before any change is deployed. " * 3
    doc = doc_of(
        [
            H("6 Change Management", 1),
            P("6.1.1 Standard changes " + clause),
            P("6.1.2 Emergency changes " + clause),
        ]
    )
    chunks = chunks_of(doc)
    assert [c.text.split("\n")[1][:5] for c in chunks] == ["6.1.1", "6.1.2"]


def test_paragraphs_merge_up_to_max_chars() -> None:
    paras = [P(f"Sentence number {i} about the backup policy and its retention rules.") for i in range(30)]
    chunks = chunks_of(doc_of([H("Backups", 1), *paras]), max_chars=300)
    assert len(chunks) > 1
    assert all(len(c.text) <= 300 for c in chunks)
    assert all(c.text.startswith("Backups\n") for c in chunks)
    joined = " ".join(c.text.removeprefix("Backups\n").replace("\n", " ") for c in chunks)
    assert joined == " ".join(p.text for p in paras)  # nothing lost, nothing duplicated, order kept


def test_long_paragraph_splits_on_sentences() -> None:
    sentences = [
        f"Rule {i} requires encryption of laptops, e.g. with BitLocker, per Art. 32 GDPR." for i in range(40)
    ]
    chunks = chunks_of(doc_of([H("Crypto", 1), P(" ".join(sentences))]), max_chars=400)
    assert len(chunks) > 3
    for c in chunks:
        assert len(c.text) <= 400
        body = c.text.removeprefix("Crypto\n")
        assert body.startswith("Rule ") and body.endswith("GDPR.")  # cut only between sentences


def test_split_pieces_keeps_abbreviations() -> None:
    text = "Use MFA, e.g. TOTP. See Art. 32 for details. Done!"
    assert split_pieces(text, 25) == ["Use MFA, e.g. TOTP.", "See Art. 32 for details.", "Done!"]
    assert split_pieces("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_table_kept_whole_when_it_fits() -> None:
    rows = "\n".join(f"Vendor {i} | Service {i} | Owner {i}" for i in range(50))
    table = "Name | Service | Owner\n" + rows
    assert 1000 < len(table) <= 2000
    chunks = chunks_of(doc_of([H("Register", 1), T(table)]), max_chars=1000)
    assert [c.text for c in chunks] == ["Register\n" + table]


def test_register_gives_one_chunk_per_row_cited_by_id() -> None:
    table = "ID | Risk | Owner\nR-01 | Ransomware | CIO\nR-02 | Phishing | CISO\nR-03 | Insider | HR"
    chunks = chunks_of(doc_of([H("Risk Register", 1), T(table)]))
    assert [(c.section, c.text) for c in chunks] == [
        ("Risk Register > R-01", "Risk Register\nID | Risk | Owner\nR-01 | Ransomware | CIO"),
        ("Risk Register > R-02", "Risk Register\nID | Risk | Owner\nR-02 | Phishing | CISO"),
        ("Risk Register > R-03", "Risk Register\nID | Risk | Owner\nR-03 | Insider | HR"),
    ]
    # not a register: duplicate ids, or a first column of names
    assert len(chunks_of(doc_of([T("ID | X\nR-1 | a\nR-1 | b")]))) == 1
    assert len(chunks_of(doc_of([T("Vendor | Country\nGlobex | DE\nInitech | US")]))) == 1


def test_big_table_split_by_rows_with_header() -> None:
    header = "Asset | Risk | Owner | Treatment"
    rows = [
        f"Server {i:03d} | Risk number {i} | Owner {i} | Accept and monitor quarterly" for i in range(120)
    ]
    chunks = chunks_of(doc_of([H("Register", 1), T("\n".join([header, *rows]))]), max_chars=1000)
    assert len(chunks) > 2
    seen: list[str] = []
    for c in chunks:
        lines = c.text.split("\n")
        assert lines[:2] == ["Register", header]
        assert len(c.text) <= 1000
        seen.extend(lines[2:])
    assert seen == rows


def test_tiny_trailing_chunk_is_merged() -> None:
    long_text = "Laptops are encrypted with full-disk encryption and keys are escrowed centrally. " * 9
    doc = doc_of([H("Endpoints", 1), P(long_text.strip()), P("See also 7.2.")])
    chunks = chunks_of(doc, max_chars=1000)
    assert len(chunks) == 1
    assert chunks[0].text.endswith("\nSee also 7.2.")
    # ...but not across a section or a page boundary
    doc = doc_of([H("Endpoints", 1), P(long_text.strip()), H("Mobile", 1), P("MDM.")], [P("Tiny.")])
    assert [c.text for c in chunks_of(doc)][1:] == ["Mobile\nMDM.", "Mobile\nTiny."]


def test_ids_are_stable_and_unique() -> None:
    doc = doc_of([H("1 Intro", 1), P("Same text."), H("2 Body", 1), P("Same text.")], [P("Same text.")])
    first = chunks_of(doc)
    second = chunks_of(doc)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == 3
    c = first[0]
    assert c.id == chunk_id("acme", "policy.pdf", f"{c.page}:{c.section}:0", c.text)
    other_client = chunk_document(
        doc, client="globex", source="policy.pdf", doc_type="policy", sha256="", ingested_at=""
    )
    assert not {x.id for x in other_client} & {x.id for x in first}


def test_max_chars_too_small() -> None:
    with pytest.raises(ValueError, match="max_chars"):
        chunks_of(doc_of([P("x")]), max_chars=10)
