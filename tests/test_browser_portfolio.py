"""The portfolio page in a real headless Chromium: both demo clients with their registers confirmed, signed in
as an admin, the Portfolio page shows both clients and its charts (gap coverage from a finished gap-analysis
job included); a screenshot is saved."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.access.users import UserStore
from advisor.db import open_database
from advisor.factory import build_advisor
from advisor.jobs.queue import JobQueue
from advisor.register.extract import extract_for_client
from advisor.register.findings import FindingsRegister
from advisor.register.risks import RiskRegister, from_documents
from advisor.settings import Settings
from tests.app_support import PASSWORD
from tests.browser_support import ARTIFACTS, chromium_page, sign_in, streamlit_app
from tests.conftest import DEMO

pytestmark = pytest.mark.browser
OP = local_operator()


def _demo_environment(root: Path) -> dict[str, str]:
    data = root / "data"
    settings = Settings(data_dir=data, embedding="fake")
    adv = build_advisor(settings)
    adv.ensure_library()
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
    # a finished HIPAA gap analysis of the healthcare client (run as a job, as the API runs it)
    jobs = JobQueue(db)
    jobs.submit("gaps", created_by="admin", client="meridian-health", params={"framework": "hipaa"})
    job = jobs.claim("browser-test", kinds=["gaps"])
    overall = {"covered": 31, "partial": 12, "missing": 17, "coverage_pct": 61.7}
    summary = {"framework_title": "HIPAA Security Rule", "overall": overall}
    jobs.finish(job.id, "browser-test", result={"framework": "hipaa", "items": [], "summary": summary})
    UserStore(db).add("admin", PASSWORD, "admin")
    return {"VCISO_DATA_DIR": str(data), "VCISO_EMBEDDING": "fake"}


@pytest.fixture()
def portfolio_app(tmp_path):
    with streamlit_app(tmp_path, _demo_environment(tmp_path)) as url:
        yield url


def test_portfolio_page_shows_both_demo_clients_with_charts(portfolio_app):
    from playwright.sync_api import expect

    shot = ARTIFACTS / "browser-portfolio.png"
    with chromium_page(height=1100) as page:
        sign_in(page, portfolio_app, "admin", PASSWORD)
        page.get_by_role("link", name="Portfolio").click()
        expect(page.get_by_role("heading", name="Portfolio")).to_be_visible(timeout=90_000)
        for client in ("meridian-health", "ledgerly"):  # the details rows (the table is a canvas)
            expect(page.locator("strong", has_text=client).first).to_be_visible()
        expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=60_000)
        assert page.locator("[data-testid='stVegaLiteChart']").count() >= 3  # with gap coverage
        page.wait_for_timeout(1500)  # let the charts draw before the screenshot
        page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
