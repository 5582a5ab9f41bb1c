"""`vciso eval --api`: the evaluation system behind the HTTP API gives what the local system gives, and
the API and the app core see the same data (upload through the API, answer through the core as the app
does, and the reverse)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor.access.users import User
from advisor.factory import build_advisor
from evals import runner
from evals.datasets import Case, SourceRef
from evals.http_system import ApiClient, ApiError, HttpSystem, http_systems, prepare_http
from evals.systems import AdvisorSystem
from tests.api_support import make_api, wait_for_job
from tests.app_support import PASSWORD

APP = str(Path(__file__).resolve().parents[1] / "app.py")

CASE = Case(
    "t1",
    "client",
    "client",
    "acme",
    "How long must passwords be for Acme accounts?",
    gold_sources=(SourceRef(file="Password_Policy.md", page=None, section=None),),
    facts=("14 characters",),
)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    yield from make_api(tmp_path_factory.mktemp("api-eval"))


@pytest.fixture(scope="module")
def http(api):
    return ApiClient("http://testserver", api.tokens["admin"], http=api.client)


def test_the_http_system_answers_like_the_local_system(api, http):
    local = AdvisorSystem(build_advisor(api.settings))
    remote = HttpSystem(http)
    a, b = local.run(CASE), remote.run(CASE)
    assert (b.text, b.abstained, b.citations, b.ranked) == (a.text, a.abstained, a.citations, a.ranked)
    assert b.sentences == a.sentences and b.sentences
    assert {c.id for c in remote.index("acme")} == {c.id for c in local.index("acme")}
    assert len(remote.index(None)) > 1000 and all(c.framework for c in remote.index(None)[:50])


def test_a_run_through_the_api_scores_every_system(api, http):
    systems = http_systems(http, ["vciso", "bm25-only"])
    result = runner.run([CASE], systems, lambda claim, evidence: True)
    assert set(result["systems"]) == {"vciso", "bm25-only"}
    assert result["systems"]["vciso"]["fact_accuracy"] == 1.0
    with pytest.raises(ApiError, match="naive-rag"):
        http_systems(http, ["naive-rag"])
    try:
        with pytest.raises(ApiError, match="401"):
            HttpSystem(ApiClient("http://testserver", "vct_000000000000_" + "a" * 43, http=api.client)).run(
                CASE
            )
    finally:
        http.http.headers["Authorization"] = f"Bearer {api.tokens['admin']}"  # the client is shared


def test_prepare_uploads_only_what_the_instance_lacks(api, http, tmp_path):
    new = tmp_path / "Travel_Policy.md"
    new.write_text("# Travel Policy\n\nAcme staff travelling abroad use a loaner laptop wiped on return.\n")
    existing = tmp_path / "Password_Policy.md"
    existing.write_text("not uploaded: a document of this name is listed already")
    said: list[str] = []
    prepare_http(http, {"acme": [existing, new]}, said.append)
    assert said == ["client acme: 1 documents uploaded"]
    prepare_http(http, {"acme": [existing, new]}, said.append)
    assert said[-1] == "client acme: 2 documents already on the instance"


def test_the_api_and_the_app_see_the_same_data(api, monkeypatch):
    """Upload through the API, ask in the Streamlit app (AppTest); and a document the app's core ingests
    is listed and answered from through the API."""
    r = api.client.post(
        "/v1/clients/globex/documents",
        headers=api.auth("admin"),
        files=[
            (
                "files",
                (
                    "Encryption_Standard.md",
                    b"# Encryption Standard\n\nGlobex encrypts laptops with BitLocker using XTS-AES 256.\n",
                    "text/markdown",
                ),
            )
        ],
    )
    assert wait_for_job(api, r.json(), "admin")["status"] == "succeeded"
    monkeypatch.setenv("VCISO_DATA_DIR", str(api.settings.data_dir))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.text_input(key="sign_in_user").input("eve")
    at.text_input(key="sign_in_password").input(PASSWORD)
    at.button[0].click().run()
    at.chat_input(key="chat_input").set_value("Which encryption do Globex laptops use?").run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "encrypts laptops with BitLocker" in shown and "Encryption\\_Standard.md" in shown
    app_core = build_advisor(api.settings)  # what ui.context builds in the app process
    record = app_core.audit.list(user="eve", client="globex")[0]
    listed = api.client.get("/v1/audit", params={"client": "globex"}, headers=api.auth("eve")).json()[
        "records"
    ]
    assert record.id in {r["id"] for r in listed}

    folder = api.settings.data_dir / "uploads" / "globex"
    (folder / "Visitor_Policy.md").write_text(
        "# Visitor Policy\n\nGlobex visitors are escorted at all times "
        "and sign the visitor log at reception.\n"
    )
    report = app_core.ingest([folder / "Visitor_Policy.md"], "globex", user=User("admin", "admin"))
    assert report.ok
    docs = api.client.get("/v1/clients/globex/sources", headers=api.auth("eve")).json()["documents"]
    assert "Visitor_Policy.md" in {d["source"] for d in docs}
    body = api.client.post(
        "/v1/ask",
        json={"question": "Are Globex visitors escorted?", "client": "globex"},
        headers=api.auth("eve"),
    ).json()
    assert body["citations"][0]["source"] == "Visitor_Policy.md"


def test_eval_cli_over_an_unreachable_api_fails_with_a_clear_message(tmp_path, monkeypatch, capsys):
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("VCISO_API_TOKEN", raising=False)
    args = ["eval", "--fast", "--dataset", "clients", "--out", str(tmp_path / "report")]
    assert main([*args, "--api", "http://127.0.0.1:9"]) == 1
    assert "no API token" in capsys.readouterr().err
    assert main([*args, "--api", "http://127.0.0.1:9", "--token", "vct_0123456789ab_" + "a" * 43]) == 1
    assert "cannot reach the vciso API at http://127.0.0.1:9" in capsys.readouterr().err
    assert main([*args, "--api", "http://127.0.0.1:9", "--token", "t", "--systems", "naive-rag"]) == 1
    assert "naive-rag" in capsys.readouterr().err
