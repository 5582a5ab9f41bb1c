"""Gap analysis and questionnaire autofill.

Pure parts (column detection, status decision, finding links, scoring, file write-back) run without a
model; the runs on the real demo clients are in test_assessment_real.py."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import numpy as np
import pytest

from advisor.assessment import export
from advisor.assessment.autofill import QAnswer, amount_conflict, contradicts, expand, frequency, polarity
from advisor.assessment.findings import as_gap_json, cites_unit, extract_findings, link
from advisor.assessment.frameworks import UnknownFramework, requirements
from advisor.assessment.gaps import GapItem, GapReport, decide_status, summarize
from advisor.assessment.questionnaire import (
    ADDED,
    QuestionnaireError,
    detect_question_column,
    is_question,
    read,
    write,
)
from advisor.models import Passage
from advisor.register.findings import Finding
from evals.assessment import score_gaps, score_questionnaire
from ingest.types import Chunk

CONTRACT = Path(__file__).resolve().parent / "contract"
MERIDIAN = "meridian-health"


def validate(name: str, payload: dict) -> None:
    jsonschema.validate(payload, json.loads((CONTRACT / f"{name}.schema.json").read_text()))


def chunk(
    text: str, *, section: str = "", doc_type: str = "policy", client: str = "acme", cid: str = "c1"
) -> Chunk:
    return Chunk(
        id=cid,
        text=text,
        client=client,
        source="doc.pdf",
        title="Doc",
        doc_type=doc_type,
        page=2,
        section=section,
        sha256="x",
        ingested_at="2026-01-01",
    )


# -- pure: column detection ---------------------------------------------------------------------------
def test_question_column_by_header_word():
    headers = ["Ref", "Domain", "Vendor Question Text", "Comments"]
    cols = [
        ["1"],
        ["IAM"],
        ["Do you use MFA?"],
        ["a very long free-text comment that is longer than the question"],
    ]
    assert detect_question_column(headers, cols) == 2


def test_question_column_control_or_requirement_prefers_longest_text():
    headers = ["Control ID", "Control description", "Owner"]
    cols = [
        ["AC-1", "AC-2"],
        ["Is access reviewed quarterly by system owners?", "Are accounts disabled?"],
        ["Bob", "Al"],
    ]
    assert detect_question_column(headers, cols) == 1


def test_question_column_falls_back_to_longest_cells():
    headers = ["#", "Topic", "Text"]
    cols = [
        ["1", "2"],
        ["Access", "Backup"],
        ["Do you review access rights each quarter?", "Are backups tested?"],
    ]
    assert detect_question_column(headers, cols) == 2


def test_question_column_named_and_unknown_name():
    headers = ["A", "Item", "Question"]
    assert detect_question_column(headers, [[], [], []], named="item") == 1
    with pytest.raises(QuestionnaireError, match="no column named 'Nope'"):
        detect_question_column(headers, [[], [], []], named="Nope")


def test_is_question_skips_blanks_and_section_titles():
    assert is_question("Do you encrypt laptops?")
    assert not is_question("Access Control")
    assert not is_question(None)
    assert not is_question(42)


# -- pure: status decision and summary ----------------------------------------------------------------
def test_decide_status_thresholds_and_findings():
    assert decide_status(0.80)[0] == "covered"
    assert decide_status(0.55)[0] == "partial"
    assert decide_status(0.30)[0] == "missing"
    # a finding turns supported policy text into partial, and no text into missing
    assert decide_status(0.90, findings=1, cited_finding=True) == ("partial", 0.9)
    assert decide_status(0.20, findings=1)[0] == "missing"
    assert decide_status(0.90, applicable=False)[0] == "not_applicable"
    for score in (0.0, 0.3, 0.55, 0.7, 1.0):
        assert 0.0 <= decide_status(score)[1] <= 1.0


def _item(i: str, group: str, status: str) -> GapItem:
    return GapItem(
        id=i,
        title=i,
        group=group,
        group_title=f"{group} title",
        status=status,
        confidence=0.5,
        evidence=(),
        findings=(),
    )


def test_summary_counts_and_coverage():
    items = [
        _item("a", "G1", "covered"),
        _item("b", "G1", "partial"),
        _item("c", "G1", "missing"),
        _item("d", "G2", "not_applicable"),
        _item("e", "G2", "covered"),
    ]
    s = summarize(items, "hipaa")
    assert s["group_by"] == "section"
    assert s["overall"] == {
        "covered": 2,
        "partial": 1,
        "missing": 1,
        "not_applicable": 1,
        "total": 5,
        "coverage_pct": 62.5,
    }
    g1, g2 = s["groups"]
    assert (g1["group"], g1["coverage_pct"]) == ("G1", 50.0)
    assert (g2["group"], g2["coverage_pct"], g2["title"]) == ("G2", 100.0, "G2 title")


# -- pure: findings --------------------------------------------------------------------------------------
FINDING_TEXT = (
    "F-02 Laptops without full-disk encryption\nSeverity: High. HIPAA reference: 164.312(a)(2)(iv) "
    "(Encryption and decryption). Owner: Marcus Bell. Observation: 12 of 310 laptops lack BitLocker, "
    "contrary to policy section 6.2. Recommendation: Encrypt them."
)


def test_extract_findings_reads_id_severity_clause_and_observation():
    chunks = [
        chunk(
            FINDING_TEXT,
            section="4 Detailed Findings > F-02 Laptops without full-disk encryption",
            doc_type="audit_report",
        ),
        chunk("Policy text", section="6 Encryption > 6.2 Endpoint", cid="c2"),
    ]
    [f] = extract_findings(chunks)
    assert (f.ref, f.title, f.severity, f.owner) == (
        "F-02",
        "Laptops without full-disk encryption",
        "high",
        "Marcus Bell",
    )
    assert {"framework": "hipaa", "clause": "164.312(a)(2)(iv)"} in f.framework_refs
    assert f.chunk is chunks[0] and f.source == chunks[0].source
    gap = as_gap_json(f, linked_by="topic")
    assert (gap["id"], gap["severity"], gap["linked_by"]) == ("F-02", "High", "topic")
    assert "164.312(a)(2)(iv)" in gap["clauses"] and gap["quote"].startswith("12 of 310 laptops")
    assert f.observation.startswith("12 of 310 laptops")
    assert contradicts(
        f, Passage(chunk("x", section="6 Encryption > 6.2 Endpoint and Removable Media"), "x", 1.0)
    )
    assert not contradicts(f, Passage(chunk("x", section="6 Encryption > 6.1 Encryption at Rest"), "x", 1.0))


def test_link_by_citation_covers_sub_units_only_in_that_framework():
    f = Finding(
        "F-05",
        "No BAA",
        "critical",
        framework_refs=({"framework": "hipaa", "clause": "164.314(a)"},),
        observation="no BAA",
        chunk=chunk("t"),
    )
    ids = ["164.314(a)(1)", "164.314(a)(2)(i)", "164.314(b)(1)", "164.308(b)(1)"]
    links = link([f], ids, "hipaa")
    assert sorted(links) == ["164.314(a)(1)", "164.314(a)(2)(i)"]
    assert links["164.314(a)(1)"][0][1] == "citation"
    assert cites_unit("164.312(b)", "164.312(b)") and not cites_unit("164.312(b)", "164.312(a)(1)")
    # in another framework the finding is linked by topic: its best one or two requirements above the
    # floor and close to the best
    sim = np.array([[0.2, 0.7, 0.66, 0.1]])
    topical = link([f], ["AC-1", "SR-6", "SA-9", "PE-3"], "800-53-moderate", sim)
    assert sorted(topical) == ["SA-9", "SR-6"] and topical["SR-6"][0][1] == "topic"
    assert sorted(link([f], ["AC-1", "SR-6"], "csf-2.0", np.array([[0.5, 0.7]]))) == ["SR-6"]
    assert link([f], ["AC-1", "SR-6"], "gdpr", np.array([[0.3, 0.35]])) == {}


def test_polarity_and_expand():
    assert (
        polarity(
            "Are staff allowed to paste patient data into public AI tools?",
            "Do not paste ePHI into AI tools.",
        )
        == "no"
    )
    assert (
        polarity("Do you prohibit pasting patient data into AI tools?", "Do not paste ePHI into AI tools.")
        == "yes"
    )
    text = "MFA is required for:\n- all remote access\n- privileged accounts\nOther text."
    assert expand(text, "MFA is required for:").startswith(
        "MFA is required for: all remote access; privileged accounts"
    )
    assert (
        expand("6.1 Encryption at Rest\nePHI is encrypted with AES-256.", "6.1 Encryption at Rest")
        == "6.1 Encryption at Rest: ePHI is encrypted with AES-256."
    )


def test_frequency_and_amount_conflicts_send_rows_to_review():
    assert frequency("Do you scan your network every month?") == 30
    assert frequency("Scans are run quarterly; internal checks monthly.") == 30  # the most frequent one
    assert frequency("Backups are kept offsite.") is None
    assert (
        amount_conflict("Are logs retained for at least six years?", "Logs are retained for 1 year.")
        == "minimum"
    )
    assert (
        amount_conflict("Are logs retained for at least six years?", "Logs are retained for 6 years.") == ""
    )
    assert amount_conflict("Is access removed within 24 hours?", "Access is disabled within 4 hours.") == ""
    assert (
        amount_conflict("Is access removed within 24 hours?", "Access is disabled within 3 days.")
        == "maximum"
    )
    assert (
        amount_conflict("Are passwords at least 12 characters?", "Passwords have at least 14 characters.")
        == ""
    )
    assert (
        amount_conflict("Are passwords at least 12 characters?", "Passwords have at least 8 characters.")
        == "minimum"
    )


def test_unknown_framework_lists_valid_names():
    with pytest.raises(
        UnknownFramework, match="valid: 800-53-low, 800-53-moderate, csf-2.0, hipaa, gdpr, 800-171, nis2"
    ):
        requirements([], "iso-27001")  # the registry's gap sets, in registry order


# -- pure: scoring -----------------------------------------------------------------------------------------
def test_score_gaps():
    planted = [{"id": "F-01", "units": ["A"]}, {"id": "F-02", "units": ["B", "C"]}]
    items = [
        {"id": "A", "status": "partial", "findings": [{"id": "F-01"}]},
        {"id": "B", "status": "covered", "findings": [{"id": "F-02"}]},
        {"id": "C", "status": "missing", "findings": [{"id": "F-02"}, {"id": "F-09"}]},
        {"id": "D", "status": "missing", "findings": []},
    ]
    m = score_gaps(items, planted)
    assert m["finding_recall"] == 1.0 and m["unit_recall"] == round(2 / 3, 4)
    assert m["link_precision"] == 0.75 and m["wrong_links"] == ["F-09->C"]
    assert m["flagged_precision"] == round(2 / 3, 4)


def test_score_questionnaire():
    gold = [
        {"row": 2, "answer": "yes"},
        {"row": 3, "answer": ""},
        {"row": 4, "answer": ""},
        {"row": 5, "answer": "partial"},
    ]
    got = [
        {"row": 2, "answer": "yes", "needs_review": False},
        {"row": 3, "answer": "", "needs_review": True},
        {"row": 4, "answer": "yes", "needs_review": False},
        {"row": 5, "answer": "", "needs_review": True},
    ]
    m = score_questionnaire(got, gold)
    assert m["accuracy"] == 0.5 and m["answered_accuracy"] == 0.5
    assert m["review_recall"] == 0.5 and m["guesses"] == [4] and m["over_review"] == [5]


# -- pure: file write-back ----------------------------------------------------------------------------
def _answers(questions):
    return [
        QAnswer(
            row,
            q,
            "yes" if i % 2 == 0 else "",
            "Because [1].",
            (
                {
                    "n": 1,
                    "source": "p.pdf",
                    "title": None,
                    "page": 3,
                    "section": "5.4 MFA",
                    "client": "acme",
                    "quote": "q",
                },
            )
            if i % 2 == 0
            else (),
            0.8 if i % 2 == 0 else 0.0,
            i % 2 == 1,
        )
        for i, (row, q) in enumerate(questions)
    ]


def _write_csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)


def test_csv_write_back_appends_columns_and_keeps_cells(tmp_path):
    rows = [
        ["No.", "Area", "Vendor Question Text", "Comments"],
        ["1", "IAM", "Do you enforce MFA for remote access?", "keep me"],
        ["", "Section B", "", ""],
        ["2", "BCP", "Are backups tested every quarter?", ""],
    ]
    src = tmp_path / "q.csv"
    _write_csv(src, rows, ";")
    table = read(src)
    assert table.question_col == 2 and table.questions == [(2, rows[1][2]), (4, rows[3][2])]
    out = write(table, _answers(table.questions), tmp_path / "out.csv")
    back = list(csv.reader(out.open(encoding="utf-8"), delimiter=";"))
    assert back[0] == rows[0] + list(ADDED)
    assert back[1][:4] == rows[1] and back[1][4] == "yes" and "p.pdf p.3" in back[1][6]
    assert back[2] == rows[2]
    assert back[3][:4] == rows[3] and back[3][4] == "" and back[3][8] == "yes"


def test_gap_exports(tmp_path):
    items = (
        GapItem(
            "164.312(d)",
            "Person or entity authentication",
            "164.312",
            "Technical",
            "partial",
            0.9,
            (
                {
                    "n": 1,
                    "source": "ISP.pdf",
                    "title": "ISP",
                    "page": 3,
                    "section": "5.4 MFA",
                    "client": "acme",
                    "quote": "MFA is required",
                },
            ),
            ({"id": "F-01", "title": "No MFA on VPN", "severity": "High", "source": "RA.pdf", "page": 3},),
        ),
    )
    report = GapReport("hipaa", "acme", items, summarize(items, "hipaa"))
    validate("gaps", report.as_contract())
    assert "F-01 No MFA on VPN" in export.to_csv(report)
    assert "| 164.312(d) | Person or entity authentication | partial |" in export.to_markdown(report)
    export.write(report, tmp_path / "g.xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "g.xlsx")
    assert wb.sheetnames == ["Summary", "Requirements"] and wb["Requirements"]["D2"].value == "partial"


# -- UI pages: pure helpers, and the Gaps page in AppTest ------------------------------------------------
def test_gaps_page_filters_and_heatmap_rows():
    from ui.gaps import filter_items, heatmap_rows

    items = (
        _item("AC-1", "AC", "covered"),
        _item("AC-2", "AC", "missing"),
        GapItem("IA-2", "MFA", "IA", "IA title", "partial", 0.9, (), ({"id": "F-01"},)),
    )
    report = GapReport("800-53-low", "acme", items, summarize(items, "800-53-low"))
    assert [i.id for i in filter_items(report, ["missing", "partial"], [])] == ["AC-2", "IA-2"]
    assert [i.id for i in filter_items(report, list(("covered", "partial", "missing")), ["AC"], "ac-1")] == [
        "AC-1"
    ]
    assert [
        i.id for i in filter_items(report, ["covered", "partial", "missing"], [], with_findings=True)
    ] == ["IA-2"]
    rows = heatmap_rows(report)
    assert (
        len(rows) == 8 and {"group": "IA IA title", "status": "Partial", "count": 1, "coverage": 50.0} in rows
    )


def test_questionnaire_review_edits():
    from ui.questionnaires import apply_edits, review_rows

    answers = _answers([(2, "Do you use MFA for remote access?"), (3, "Do you carry cyber insurance?")])
    rows = review_rows(answers)
    assert rows[0]["Answer"] == "yes" and rows[1]["Needs review"] is True
    rows[0]["Answer"], rows[0]["Explanation"] = "partial", "Edited by reviewer."
    rows[1]["Accepted"] = True  # accepting an empty answer does not clear the review flag
    edited = apply_edits(answers, rows)
    assert (edited[0].answer, edited[0].explanation, edited[0].needs_review) == (
        "partial",
        "Edited by reviewer.",
        False,
    )
    assert edited[0].citations == answers[0].citations
    assert edited[1].answer == "" and edited[1].needs_review


def _gaps_app(data_dir: str) -> None:
    import streamlit as st

    import ui.gaps
    from advisor.access.users import User, UserStore
    from advisor.db import open_database
    from advisor.factory import build_advisor
    from advisor.settings import Settings
    from ui.context import Context

    @st.cache_resource
    def adv():
        return build_advisor(Settings(data_dir=data_dir, embedding="minilm"))

    ui.gaps.render(Context(adv(), User("admin", "admin"), UserStore(open_database(adv().settings))))


@pytest.mark.slow
def test_gaps_page_runs_and_drills_down(real_data_dir):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_gaps_app, args=(str(real_data_dir),), default_timeout=300)
    at.run()
    at.selectbox(key="gaps_client").set_value(MERIDIAN)
    at.selectbox(key="gaps_framework").set_value("hipaa")
    at.button(key="gaps_run").click().run()
    assert not at.exception
    at.checkbox(key="gaps_findings").check().run()
    assert not at.exception
    assert len(at.selectbox(key="gaps_pick").options) == 9
    assert any("F\\-04" in w.value for w in at.warning)


def _questionnaires_app(data_dir: str) -> None:
    import streamlit as st

    import ui.questionnaires
    from advisor.access.users import User, UserStore
    from advisor.db import open_database
    from advisor.factory import build_advisor
    from advisor.settings import Settings
    from ui.context import Context

    @st.cache_resource
    def adv():
        return build_advisor(Settings(data_dir=data_dir, embedding="fake"))

    user = User("analyst", "consultant", clients=("acme",))
    ui.questionnaires.render(Context(adv(), user, UserStore(open_database(adv().settings))))


def test_questionnaires_page_offers_only_the_users_clients(fake_settings):
    from streamlit.testing.v1 import AppTest

    from advisor.access.policy import local_operator
    from advisor.factory import build_advisor

    adv = build_advisor(fake_settings)
    for client in ("acme", "other"):
        assert adv.ingest(
            [
                Path(__file__).resolve().parents[1]
                / "knowledge_base"
                / "demo"
                / "meridian-health"
                / "Acceptable_Use_Policy.html"
            ],
            client,
            user=local_operator(),
        ).ok
    at = AppTest.from_function(_questionnaires_app, args=(str(fake_settings.data_dir),), default_timeout=60)
    at.run()
    assert not at.exception
    assert at.selectbox(key="questionnaire_client").options == ["acme"]
    assert [i.value for i in at.info] == ["Upload a questionnaire to begin."]


def test_gaps_page_reads_a_recorded_job_result_back():
    from advisor.assessment.gaps import GapItem, GapReport, summarize
    from ui.gaps import report_from_job

    items = (
        GapItem(
            "164.312(d)", "Authentication", "164.312", "Technical", "partial", 0.9, (), ({"id": "F-01"},)
        ),
        GapItem(
            "164.308(a)(1)", "Risk analysis", "164.308", "Administrative", "covered", 0.7, (), (), 0.7, "m"
        ),
    )
    report = GapReport("hipaa", "acme", items, summarize(items, "hipaa"))
    again = report_from_job("acme", json.loads(json.dumps(report.as_contract())))
    assert again.as_contract() == report.as_contract() and again.items[1].mapping == "m"
