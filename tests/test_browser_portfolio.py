"""The portfolio page in a real headless Chromium: both demo clients with their registers confirmed, signed in
as an admin, the Portfolio page shows both clients and its charts; a screenshot is saved."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.access.users import UserStore
from advisor.db import open_database
from advisor.factory import build_advisor
from advisor.register.extract import extract_for_client
from advisor.register.findings import FindingsRegister
from advisor.register.risks import RiskRegister, from_documents
from advisor.settings import Settings
from tests.app_support import PASSWORD
from tests.conftest import DEMO
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, ROOT, _free_port, _wait_healthy

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
    UserStore(db).add("admin", PASSWORD, "admin")
    return {"VCISO_DATA_DIR": str(data), "VCISO_EMBEDDING": "fake"}


@pytest.fixture()
def portfolio_app(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    env = {**os.environ, **_demo_environment(tmp_path), "HF_HUB_OFFLINE": "1"}
    port = _free_port()
    log = open(tmp_path / "streamlit.log", "wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        _wait_healthy(f"http://127.0.0.1:{port}/_stcore/health", proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
        log.close()


def test_portfolio_page_shows_both_demo_clients_with_charts(portfolio_app):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "browser-portfolio.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1100})
            page.set_default_timeout(60_000)
            page.goto(portfolio_app)
            page.get_by_role("textbox", name="User name").fill("admin")
            page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name="Portfolio").click()
            expect(page.get_by_role("heading", name="Portfolio")).to_be_visible(timeout=90_000)
            for client in ("meridian-health", "ledgerly"):  # the details rows (the table is a canvas)
                expect(page.locator("strong", has_text=client).first).to_be_visible()
            expect(page.locator("[data-testid='stVegaLiteChart']").first).to_be_visible(timeout=60_000)
            assert page.locator("[data-testid='stVegaLiteChart']").count() >= 2
            page.wait_for_timeout(1500)  # let the charts draw before the screenshot
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
