"""The portfolio: every client the user may see with open findings by severity, overdue items, top risks,
vendors flagged and last activity; executives see their own client only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.access.users import User
from advisor.db import open_database
from advisor.factory import build_advisor
from advisor.jobs.queue import JobQueue
from advisor.register.extract import extract_for_client
from advisor.register.findings import FindingsRegister
from advisor.register.portfolio import summarize
from advisor.register.risks import RiskRegister, from_documents
from advisor.settings import Settings
from tests.conftest import DEMO

OP = local_operator()


@pytest.fixture(scope="module")
def portfolio_dir(tmp_path_factory) -> Path:
    """Both demo clients, their findings confirmed (F-05 closed) and their risk registers confirmed."""
    data = tmp_path_factory.mktemp("portfolio")
    settings = Settings(data_dir=data, embedding="fake")
    adv = build_advisor(settings)
    db = open_database(settings)
    findings, risks = FindingsRegister(db), RiskRegister(db)
    for client in ("meridian-health", "ledgerly"):
        assert adv.ingest([DEMO / client], client, user=OP).ok
        findings.propose(client, extract_for_client(adv, client, user=OP), user=OP)
        for f in findings.list(client, user=OP, review="proposed"):
            findings.confirm(client, f.key, user=OP)
        risks.propose(client, from_documents(adv.tenant_index(client, user=OP).chunks), user=OP)
        for r in risks.list(client, user=OP, review="proposed"):
            risks.confirm(client, r.key, user=OP)
    f05 = next(f for f in findings.list("meridian-health", user=OP) if f.ref == "F-05")
    findings.update("meridian-health", f05.key, user=OP, status="closed", note="BAA signed")
    # two finished HIPAA gap analyses (the newer one counts) and a failed CSF one (ignored)
    jobs = JobQueue(db)
    for pct, error in ((40.0, None), (62.5, None), (None, "boom")):
        framework = "csf-2.0" if error else "hipaa"
        jobs.submit("gaps", created_by="op", client="meridian-health", params={"framework": framework})
        job = jobs.claim("w", kinds=["gaps"])
        result = {
            "framework": framework,
            "items": [],
            "summary": {
                "framework_title": "HIPAA Security Rule",
                "overall": {"covered": 5, "partial": 1, "missing": 2, "coverage_pct": pct},
            },
        }
        jobs.finish(job.id, "w", result=None if error else result, error=error)
    return data


def test_summary_per_client_and_executive_scope(portfolio_dir):
    adv = build_advisor(Settings(data_dir=portfolio_dir, embedding="fake"))
    rows = {r.client: r for r in summarize(adv, user=OP, today=date(2026, 6, 1))}
    assert set(rows) == {"meridian-health", "ledgerly"}
    m = rows["meridian-health"]
    assert m.open_by_severity == {"critical": 0, "high": 4, "medium": 2, "low": 1, "info": 0}
    assert set(m.overdue_refs) == {"F-04", "F-07"}  # due 2026-05-31 and 2026-05-15; F-05 is closed
    assert m.top_risks[0][:1] == ("R-01",) and m.top_risks[0][2] == 20
    assert m.vendors == 10 and m.vendors_flagged >= 1 and m.last_activity
    # the trend a year apart: the 2025 report's 11 items until the 2026 report closes them, then its 8
    # (F-05 was closed by a person after 2026-06-01, so it still counts on that day)
    assert m.open_trend == (
        ("2025-06-30", 11),
        ("2025-09-30", 11),
        ("2025-12-31", 11),
        ("2026-03-31", 8),
        ("2026-06-01", 8),
    )
    assert rows["ledgerly"].open_findings == 5  # L-04 is closed in the audit report
    exec_rows = summarize(adv, user=User("erin", "executive", ("ledgerly",)), today=date(2026, 6, 1))
    assert [r.client for r in exec_rows] == ["ledgerly"]
    [hipaa] = m.coverage  # the latest finished analysis per framework; failed ones do not count
    assert (hipaa.framework, hipaa.coverage_pct, hipaa.covered) == ("hipaa", 62.5, 5)
    assert rows["ledgerly"].coverage == () and m.as_json()["gap_coverage"][0]["coverage_pct"] == 62.5


def test_consultants_land_on_the_portfolio_executives_on_the_chat():
    from ui.pages import home

    assert home(User("c", "consultant", ())) == home(User("a", "admin", ())) == "portfolio"
    assert home(User("e", "executive", ("ledgerly",))) == "chat"


def test_ui_page_for_consultant_and_executive(portfolio_dir):
    from streamlit.testing.v1 import AppTest

    def page(role: str, clients: tuple[str, ...]):
        script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from advisor.db import open_database
from ui.context import Context
import ui.portfolio as page
adv = build_advisor(Settings(data_dir=Path({str(portfolio_dir)!r}), embedding="fake"))
users = UserStore(open_database(adv.settings))
page.render(Context(adv, User("u", {role!r}, {clients!r}), users))
"""
        return AppTest.from_string(script, default_timeout=90).run()

    at = page("consultant", ("meridian-health", "ledgerly"))
    assert not at.exception
    assert set(at.dataframe[0].value["Client"]) == {"meridian-health", "ledgerly"}
    ex = page("executive", ("meridian-health",))
    assert not ex.exception and list(ex.dataframe[0].value["Client"]) == ["meridian-health"]
    assert any("still open" in m.value for m in ex.markdown)
    # the trend column: open findings at the last four quarter ends and today (the real clock here)
    assert all(t.count(" → ") == 4 for t in at.dataframe[0].value["Trend (4 quarters)"])
    assert any("62%" in m.value and "HIPAA" in m.value for m in ex.markdown)  # gap coverage, plainly
    assert "HIPAA Security Rule 62.5%" in list(at.dataframe[0].value["Gap coverage"])
