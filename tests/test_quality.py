"""Retrieval and answer quality with the real MiniLM model on the library and both demo clients."""

from __future__ import annotations

import json

import pytest
from docx import Document
from fpdf import FPDF

from advisor.access.policy import local_operator
from advisor.factory import build_advisor
from advisor.settings import Settings
from tests.conftest import DEMO, DEMO_CLIENTS

pytestmark = pytest.mark.slow
FACTS = [json.loads(line) for line in (DEMO / "facts.jsonl").read_text().splitlines() if line.strip()]


@pytest.mark.parametrize(
    "question, section",
    [
        ("What does AC-2(3) require?", "AC-2(3)"),
        ("Explain IA-2(1)", "IA-2(1)"),
        ("What is GV.SC about?", "GV.SC"),
        ("What does Art. 33 say?", "Art. 33(1)"),
        ("What does §164.312(a)(2)(iv) require?", "164.312(a)(2)(iv)"),
        ("What is in 164.404?", "164.404"),
        ("What does 03.01.01 require?", "03.01.01"),
    ],
)
def test_named_clause_comes_first(real_advisor, question, section):
    trace = real_advisor.retrieve(question, None, user=local_operator())
    assert trace.passages[0].chunk.section == section
    answer = real_advisor.ask(question, "meridian-health", user=local_operator())
    assert answer.citations[0].section == section and answer.citations[0].client is None


def test_no_answer_cites_another_client(real_advisor):
    """Every demo question, asked for both clients: a citation of the other client is a failure."""
    questions = sorted({f["question"] for f in FACTS})
    for client in DEMO_CLIENTS:
        for q in questions:
            answer = real_advisor.ask(q, client, user=local_operator())
            leaked = [c.source for c in answer.citations if c.client not in (client, None)]
            assert not leaked, (client, q, leaked)


def test_client_facts_cited_to_the_right_document_and_page(real_advisor):
    hits = lead = 0
    misses = []
    for f in FACTS:
        answer = real_advisor.ask(f["question"], f["client"], user=local_operator())
        right = [
            c
            for c in answer.citations
            if c.source == f["file"] and (f["page"] is None or c.page == f["page"])
        ]
        first_line = answer.text.split("\n")[0]
        if right and all(fact.lower() in answer.text.lower() for fact in f["facts"]):
            hits += 1
        else:
            misses.append((f["client"], f["question"], first_line[:120]))
        lead += all(fact.lower() in first_line.lower() for fact in f["facts"])
    # Measured 2026-11-27: 0.83 cited correctly, 0.79 with the fact in the first line. The floors sit a little
    # below so a regression fails here; the eval gate tracks the exact figures.
    assert hits / len(FACTS) >= 0.78, misses
    assert lead / len(FACTS) >= 0.74, misses


@pytest.mark.parametrize("client", DEMO_CLIENTS)
@pytest.mark.parametrize(
    "question", ["Do we have cyber insurance?", "What does our cyber insurance policy cover?"]
)
def test_unanswerable_abstains(real_advisor, client, question):
    answer = real_advisor.ask(question, client, user=local_operator())
    assert answer.abstained and not answer.citations
    assert "insurance" in answer.text and client in answer.text


def test_cross_client_trap_gives_each_clients_own_fact(real_advisor):
    m = real_advisor.ask("What is the minimum password length?", "meridian-health", user=local_operator())
    ledg = real_advisor.ask("What is the minimum password length?", "ledgerly", user=local_operator())
    assert "12 characters" in m.text.split("\n")[0] and "14 characters" in ledg.text.split("\n")[0]


def test_unseen_documents_answer_in_first_sentence(real_data_copy):
    """Documents the project has never seen: the asked-for fact leads, cited to its page."""
    adv = build_advisor(Settings(data_dir=real_data_copy, embedding="minilm"))
    d = real_data_copy.parent / "unseen"
    d.mkdir()
    pdf = FPDF()
    pdf.set_font("Helvetica", size=11)
    for text in (
        "1 Scope\nThis standard applies to all Orbital Freight systems and staff.",
        "2 Remote Access\nRemote access requires a company VPN with hardware security keys.",
        "3 Data Retention\nShipment records are kept for 10 years and then destroyed by shredding.",
    ):
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    pdf.output(str(d / "Orbital_Standard.pdf"))
    doc = Document()
    doc.add_heading("Vendor Review", 1)
    doc.add_paragraph("The vendor review is led by Marta Okafor, Head of Procurement.")
    doc.save(str(d / "vendor_review.docx"))
    (d / "travel.md").write_text(
        "# Travel Security\n\n## Laptops\n\nLaptops taken abroad must be wiped on return.\n"
    )
    assert adv.ingest([d], "orbital", user=local_operator()).ok
    cases = [
        ("How long are shipment records kept?", "10 years", "Orbital_Standard.pdf", 3),
        ("What does remote access require?", "hardware security keys", "Orbital_Standard.pdf", 2),
        ("Who leads the vendor review?", "Marta Okafor", "vendor_review.docx", None),
        ("What happens to laptops taken abroad?", "wiped on return", "travel.md", None),
    ]
    for question, fact, source, page in cases:
        answer = adv.ask(question, "orbital", user=local_operator())
        first = answer.text.split("\n")[0]
        assert fact in first, (question, first)
        c = answer.citations[0]
        assert (c.source, c.page, c.client) == (source, page, "orbital"), (question, c)
