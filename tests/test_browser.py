"""End to end in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
start `streamlit run app.py`, sign in, ask a question, see the citation card, save a screenshot."""

from __future__ import annotations

import pytest

from tests.app_support import PASSWORD, make_environment
from tests.browser_support import ARTIFACTS, chromium_page, sign_in, streamlit_app

pytestmark = pytest.mark.browser


@pytest.fixture()
def running_app(tmp_path):
    _, env_vars = make_environment(tmp_path)
    with streamlit_app(tmp_path, env_vars) as url:
        yield url


def test_sign_in_ask_and_see_a_citation_card(running_app):
    from playwright.sync_api import expect

    with chromium_page() as page:
        try:
            _sign_in_and_ask(page, expect, running_app)
        except Exception:
            page.screenshot(path=str(ARTIFACTS / "browser-chat-failure.png"), full_page=True)
            raise
        page.wait_for_timeout(500)  # let the last widgets settle before the screenshot
        page.screenshot(path=str(ARTIFACTS / "browser-chat.png"), full_page=True)
    assert (ARTIFACTS / "browser-chat.png").stat().st_size > 10_000


def _sign_in_and_ask(page, expect, running_app: str) -> None:
    """Sign in as carol (a consultant on acme, no forced password change), ask, see the citation card."""
    sign_in(page, running_app, "carol", PASSWORD)
    # a consultant's home page; the first page after sign-in also warms the app (slow on a loaded machine)
    expect(page.get_by_role("heading", name="Portfolio")).to_be_visible(timeout=60_000)
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
