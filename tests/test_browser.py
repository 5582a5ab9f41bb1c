"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
start `streamlit run app.py`, sign in, ask a question, see the citation card, save a screenshot."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.app_support import PASSWORD, make_environment

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


@pytest.fixture()
def running_app(tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (make system-deps)")
    _, env_vars = make_environment(tmp_path)
    port = _free_port()
    env = {**os.environ, **env_vars, "HF_HUB_OFFLINE": "1"}
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


def test_sign_in_ask_and_see_a_citation_card(running_app):
    from playwright.sync_api import expect, sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(60_000)
            try:
                _sign_in_and_ask(page, expect, running_app)
            except Exception:
                page.screenshot(path=str(ARTIFACTS / "browser-chat-failure.png"), full_page=True)
                raise
            page.wait_for_timeout(500)  # let the last widgets settle before the screenshot
            page.screenshot(path=str(ARTIFACTS / "browser-chat.png"), full_page=True)
        finally:
            browser.close()
    assert (ARTIFACTS / "browser-chat.png").stat().st_size > 10_000


def _sign_in_and_ask(page, expect, running_app: str) -> None:
    """Sign in as carol (a consultant on acme, no forced password change), ask, see the citation card."""
    page.goto(running_app)
    page.get_by_role("textbox", name="User name").fill("carol")
    page.get_by_role("textbox", name="Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible()  # a consultant's home page
    page.get_by_role("link", name="Chat").click()
    expect(page.get_by_role("heading", name="Ask the virtual CISO")).to_be_visible()

    page.get_by_placeholder("Ask about policies").fill("How long must passwords be for Acme accounts?")
    page.keyboard.press("Enter")
    card = page.locator(".st-key-card-acme-0-1")
    expect(card).to_be_visible(timeout=90_000)
    expect(card).to_contain_text("Password_Policy.md")
    expect(card).to_contain_text("at least 14 characters")
    expect(card).to_contain_text("Client: acme")
    expect(
        page.get_by_text("Passwords for Acme accounts must be at least 14 characters").first
    ).to_be_visible()
