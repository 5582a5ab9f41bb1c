"""`vciso report`: a PDF and a DOCX with three charts and citations, stored in review through the draft
workflow, with the DRAFT banner; the period and output checks."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from advisor.access.policy import local_operator
from advisor.db import open_database
from advisor.drafting.document import BANNER
from advisor.drafting.store import DraftStore
from advisor.factory import build_advisor
from advisor.jobs.queue import JobQueue
from advisor.register.extract import extract_for_client
from advisor.register.findings import Finding, FindingsRegister
from advisor.register.report import ReportError, open_on, period_bounds, report_dates, severity_over_time
from advisor.register.risks import RiskRegister, from_documents
from advisor.settings import Settings
from ingest.types import Chunk
from tests.conftest import DEMO, validate_contract

OP = local_operator()


def test_period_bounds_and_status_over_time():
    assert period_bounds("2026-Q4") == (date(2026, 10, 1), date(2026, 12, 31))
    assert period_bounds("2026-Q1") == (date(2026, 1, 1), date(2026, 3, 31))
    assert period_bounds("2025") == (date(2025, 1, 1), date(2025, 12, 31))
    with pytest.raises(ReportError):
        period_bounds("Q4")
    f = Finding(
        ref="F-1",
        title="x",
        created_at="2026-10-05T00:00:00",
        history=(
            {"ts": "2026-10-05T00:00:00", "action": "proposed", "changes": {"status": "open"}},
            {"ts": "2026-11-20T00:00:00", "action": "status", "changes": {"status": ["open", "closed"]}},
        ),
    )
    assert [open_on(f, date(2026, m, d)) for m, d in ((10, 1), (10, 31), (11, 30))] == [False, True, False]
    # counted from the date of the report that states it, not from when it was confirmed in the register
    assert open_on(f, date(2026, 9, 1), since="2026-08-15") and not open_on(f, date(2026, 8, 1), "2026-08-15")
    g = Finding(ref="F-2", title="y", severity="high", source="r.pdf", created_at="2026-10-05T00:00:00")
    series = severity_over_time(
        [f, g], date(2026, 1, 1), date(2026, 12, 31), 5, since={"r.pdf": "2026-03-16"}
    )
    assert [c["high"] for _, c in series] == [0, 1, 1, 1, 1]
    text = "Report ID | NAP-1\nReport date | 2026-03-16\n"
    report = Chunk("r", text, "acme", "r.pdf", "R", "audit_report", 1, None)
    assert report_dates([report, report.with_(doc_type="policy", source="p.pdf")]) == {"r.pdf": "2026-03-16"}


def test_cli_writes_pdf_and_docx_with_charts_citations_and_banner(tmp_path, monkeypatch, capsys):
    from docx import Document
    from pypdf import PdfReader

    from advisor.cli import main

    data = tmp_path / "data"
    settings = Settings(data_dir=data, embedding="fake")
    adv = build_advisor(settings)
    assert adv.ingest([DEMO / "meridian-health"], "meridian-health", user=OP).ok
    db = open_database(settings)
    findings, risks = FindingsRegister(db), RiskRegister(db)
    findings.propose("meridian-health", extract_for_client(adv, "meridian-health", user=OP), user=OP)
    for f in findings.list("meridian-health", user=OP, review="proposed"):
        findings.confirm("meridian-health", f.key, user=OP)
    # the trend a year apart: the prior-year report's 11 items are open until the 2026 report closes them
    # (on its own date, whatever day they were confirmed), then the 2026 report's 8 findings are
    confirmed = findings.list("meridian-health", user=OP, history=True)
    since = report_dates(adv.tenant_index("meridian-health", user=OP).chunks)
    assert since == {
        "HIPAA_Risk_Assessment_2025.pdf": "2025-03-14",
        "HIPAA_Risk_Assessment_2026.pdf": "2026-03-16",
    }
    trend = severity_over_time(confirmed, date(2025, 12, 31), date(2026, 4, 30), 2, since=since)
    assert [c for _, c in trend] == [
        {"critical": 0, "high": 4, "medium": 5, "low": 2, "info": 0},
        {"critical": 1, "high": 4, "medium": 2, "low": 1, "info": 0},
    ]
    risks.propose(
        "meridian-health", from_documents(adv.tenant_index("meridian-health", user=OP).chunks), user=OP
    )
    for r in risks.list("meridian-health", user=OP, review="proposed"):
        risks.confirm("meridian-health", r.key, user=OP)
    jobs = JobQueue(db)  # a finished HIPAA gap analysis gives the fourth chart, gap coverage
    jobs.submit("gaps", created_by="op", client="meridian-health", params={"framework": "hipaa"})
    overall = {"covered": 30, "partial": 10, "missing": 20, "coverage_pct": 58.3}
    summary = {"framework_title": "HIPAA Security Rule", "overall": overall}
    job = jobs.claim("w", kinds=["gaps"])
    jobs.finish(job.id, "w", result={"framework": "hipaa", "items": [], "summary": summary})
    monkeypatch.setenv("VCISO_DATA_DIR", str(data))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")

    pdf_path, docx_path = tmp_path / "report.pdf", tmp_path / "report.docx"
    assert (
        main(
            ["report", "--client", "meridian-health", "--period", "2026-Q4", "--out", str(pdf_path), "--json"]
        )
        == 0
    )
    stored = json.loads(capsys.readouterr().out)
    validate_contract("draft", stored)
    assert stored["status"] == "in_review" and len(stored["citations"]) >= 10
    assert "F-05" in stored["text"] and "TranscribeRight Inc. handles PHI, no BAA found" in stored["text"]
    reader = PdfReader(io.BytesIO(pdf_path.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert BANNER in text and "Sources" in text
    assert sum(len(p.images) for p in reader.pages) >= 4
    assert "Against HIPAA Security Rule, 58.3% of the applicable requirements are covered" in stored["text"]

    assert (
        main(["report", "--client", "meridian-health", "--period", "2026-Q4", "--out", str(docx_path)]) == 0
    )
    doc = Document(str(docx_path))
    assert len(doc.inline_shapes) >= 4
    assert any(BANNER in p.text for p in doc.paragraphs)
    drafts = DraftStore(db).list("meridian-health", user=OP)
    assert [d.latest.status for d in drafts] == ["in_review", "in_review"]
    assert (
        main(
            ["report", "--client", "meridian-health", "--period", "2026-Q4", "--out", str(tmp_path / "r.txt")]
        )
        == 2
    )
    assert main(["report", "--client", "meridian-health", "--period", "Q4", "--out", str(pdf_path)]) == 1
