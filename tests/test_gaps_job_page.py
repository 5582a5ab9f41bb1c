"""The Gaps page runs an analysis as a background job through the app's embedded worker; the recorded
result can be shown on the page, and its coverage reaches the consultant's portfolio (the home page)."""

from __future__ import annotations

import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app_support import PASSWORD, make_environment
from ui.context import GOTO_KEY

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def _go(at: AppTest, page: str) -> AppTest:
    at.session_state[GOTO_KEY] = page
    at.run()
    assert not at.exception
    return at


def test_gap_job_from_the_page_is_recorded_and_reaches_the_portfolio(tmp_path, monkeypatch):
    _, env = make_environment(tmp_path)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.text_input(key="sign_in_user").input("carol")
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button[0].click().run()
    assert not at.exception and [t.value for t in at.title][:1] == ["Portfolio"]
    assert list(at.dataframe[0].value["Gap coverage"]) == ["not assessed"]

    _go(at, "gaps")
    at.selectbox(key="gaps_client").set_value("acme")
    at.selectbox(key="gaps_framework").set_value("hipaa").run()
    at.button(key="gaps_job").click().run()
    assert not at.exception
    deadline = time.monotonic() + 240
    while not [b for b in at.button if b.key == "gaps_job_show"]:
        assert time.monotonic() < deadline, "the gap-analysis job did not finish"
        time.sleep(2)
        at.run()
        assert not at.exception
    at.button(key="gaps_job_show").click().run()
    assert not at.exception
    assert [m.label for m in at.metric][:1] == ["Coverage"]

    _go(at, "portfolio")
    [coverage] = list(at.dataframe[0].value["Gap coverage"])
    assert coverage.startswith("HIPAA") and coverage.endswith("%")
