"""The HTTP API end to end with FastAPI's TestClient: contract shapes, SSE, uploads as jobs, gaps,
questionnaires, drafts, audit, limits and problem+json errors (fake embeddings)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest

from advisor.api.auth import RateLimiter
from advisor.api.problems import ApiProblem
from advisor.jobs.queue import JobQueue
from advisor.settings import ApiSettings
from tests.api_support import make_api, wait_for_job
from tests.conftest import validate_contract

QUESTION = {"question": "How long must passwords be for Acme accounts?", "client": "acme"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    yield from make_api(tmp_path_factory.mktemp("api"))


def problem(r, status: int) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status and body["detail"] and body["type"].startswith("urn:vciso:problem:")
    assert "Traceback" not in r.text
    return body


def test_openapi_and_docs_are_served(api):
    spec = api.client.get("/openapi.json").json()
    for path in (
        "/v1/ask",
        "/v1/clients",
        "/v1/clients/{id}/sources",
        "/v1/clients/{id}/documents",
        "/v1/jobs/{job_id}",
        "/v1/clients/{id}/documents/{doc}",
        "/v1/clients/{id}/gaps",
        "/v1/clients/{id}/questionnaires",
        "/v1/drafts",
        "/v1/drafts/{draft_id}/approve",
        "/v1/audit",
        "/health",
        "/ready",
    ):
        assert path in spec["paths"], path
    assert "swagger-ui" in api.client.get("/docs").text
    assert api.client.get("/health").json()["status"] == "ok"
    assert api.client.get("/ready").json()["status"] == "ready"


def test_ask_returns_the_ask_contract_with_the_clients_citation(api):
    r = api.client.post("/v1/ask", json=QUESTION, headers=api.auth("carol"))
    assert r.status_code == 200, r.text
    body = r.json()
    validate_contract("ask", body)
    assert not body["abstained"] and "14 characters" in body["answer"]
    assert body["citations"][0]["source"] == "Password_Policy.md"
    assert {c["client"] for c in body["citations"]} <= {"acme", None}
    assert body["audit_id"] and body["client"] == "acme"
    record = api.client.get("/v1/audit", params={"client": "acme"}, headers=api.auth("carol")).json()[
        "records"
    ][0]
    assert (record["id"], record["user"], record["question"]) == (
        body["audit_id"],
        "carol",
        QUESTION["question"],
    )


def test_ask_with_trace_returns_passages_and_ranking(api):
    body = api.client.post("/v1/ask", json={**QUESTION, "trace": True}, headers=api.auth("carol")).json()
    ids = {p["id"] for p in body["passages"]}
    assert body["citations"][0]["chunk_id"] in ids | {i for p in body["passages"] for i in p["merged_ids"]}
    assert body["ranked"] and len(body["ranked"]) == len(set(body["ranked"]))


def test_streaming_sends_verified_sentences_then_the_final_answer(api):
    with api.client.stream("POST", "/v1/ask?stream=true", json=QUESTION, headers=api.auth("carol")) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        raw = r.read().decode()
    events = [
        (
            block.split("\n")[0].removeprefix("event: "),
            json.loads(block.split("\n")[1].removeprefix("data: ")),
        )
        for block in raw.strip().split("\n\n")
    ]
    kinds = [k for k, _ in events]
    assert kinds[-1] == "final" and set(kinds[:-1]) == {"sentence"}, kinds
    final = events[-1][1]
    validate_contract("ask", final)
    for _, data in events[:-1]:
        assert data["text"] in final["answer"]
    assert "14 characters" in final["answer"]


def test_library_question_without_a_client(api):
    body = api.client.post(
        "/v1/ask",
        json={"question": "What does HIPAA 164.312(a)(1) require?", "client": None},
        headers=api.auth("eve"),
    ).json()
    validate_contract("ask", body)
    assert all(c["client"] is None for c in body["citations"])


def test_invalid_requests_are_problems(api):
    problem(api.client.post("/v1/ask", json={"client": "acme"}, headers=api.auth("carol")), 422)
    problem(
        api.client.post("/v1/ask", json={**QUESTION, "audience": "board"}, headers=api.auth("carol")), 422
    )
    problem(
        api.client.post(
            "/v1/ask", json={**QUESTION, "dense": False, "lexical": False}, headers=api.auth("carol")
        ),
        422,
    )
    problem(api.client.get("/v1/nothing-here", headers=api.auth("carol")), 404)
    problem(api.client.post("/v1/ask", json={**QUESTION, "client": "nobody"}, headers=api.auth("admin")), 404)
    problem(api.client.get("/v1/clients/Not Valid!/sources", headers=api.auth("admin")), 404)


def test_upload_is_a_job_and_the_document_is_listed_and_answered_from(api):
    files = [
        (
            "files",
            (
                "Incident_Plan.md",
                b"# Incident Plan\n\nAcme notifies its insurer Contoso Mutual within "
                b"48 hours of any confirmed security incident.\n",
                "text/markdown",
            ),
        ),
        ("files", ("notes.exe", b"MZ", "application/octet-stream")),
    ]
    r = api.client.post("/v1/clients/acme/documents", files=files, headers=api.auth("carol"))
    assert r.status_code == 202, r.text
    job = wait_for_job(api, r.json(), "carol")
    assert job["status"] == "succeeded", job
    validate_contract("ingest", job["result"])
    assert [p.rsplit("/", 1)[-1] for p in job["result"]["added"]] == ["Incident_Plan.md"]
    assert (
        job["result"]["failed"][0]["path"] == "notes.exe"
        and "unsupported" in job["result"]["failed"][0]["error"]
    )
    assert job["progress"] == {"done": 2, "total": 2, "current": ""}
    assert [(f["name"], f["status"]) for f in job["files"]] == [
        ("Incident_Plan.md", "added"),
        ("notes.exe", "failed"),
    ]
    shared = JobQueue.from_settings(api.settings).get(
        job["id"]
    )  # the job list the app's Documents page reads
    assert (shared.kind, shared.created_by, shared.status) == ("ingest", "carol", "succeeded")
    docs = api.client.get("/v1/clients/acme/sources", headers=api.auth("carol")).json()["documents"]
    assert "Incident_Plan.md" in {d["source"] for d in docs}
    answer = api.client.post(
        "/v1/ask",
        json={"question": "Within how many hours is the insurer notified of an incident?", "client": "acme"},
        headers=api.auth("carol"),
    ).json()
    assert "48 hours" in answer["answer"] and answer["citations"][0]["source"] == "Incident_Plan.md"
    # removed by a consultant: gone from the sources
    r = api.client.delete("/v1/clients/acme/documents/Incident_Plan.md", headers=api.auth("carol"))
    assert r.status_code == 200 and r.json()["chunks"] >= 1
    docs = api.client.get("/v1/clients/acme/sources", headers=api.auth("carol")).json()["documents"]
    assert "Incident_Plan.md" not in {d["source"] for d in docs}
    problem(api.client.delete("/v1/clients/acme/documents/Incident_Plan.md", headers=api.auth("carol")), 404)


def test_upload_limits_are_enforced_before_the_body_is_read(api):
    limit = int(api.settings.api.max_upload_mb * 1024 * 1024)
    r = api.client.post(
        "/v1/clients/acme/documents",
        content=b"x" * 10,
        headers={
            **api.auth("carol"),
            "Content-Length": str(limit + 1),
            "Content-Type": "multipart/form-data; boundary=x",
        },
    )
    assert "larger than" in problem(r, 413)["detail"]

    def chunks():  # no Content-Length: counted while it streams
        for _ in range(limit // (1024 * 1024) + 2):
            yield b"y" * (1024 * 1024)

    r = api.client.post(
        "/v1/clients/acme/documents",
        content=chunks(),
        headers={**api.auth("carol"), "Content-Type": "multipart/form-data; boundary=x"},
    )
    problem(r, 413)
    big = b"z" * (api.settings.max_file_bytes + 1)
    r = api.client.post(
        "/v1/clients/acme/documents",
        files=[("files", ("big.txt", big, "text/plain"))],
        headers=api.auth("carol"),
    )
    job = wait_for_job(api, r.json(), "carol")  # no file could be accepted: the job failed at once
    assert job["status"] == "failed" and "larger than" in job["files"][0]["error"]
    problem(api.client.post("/v1/clients/acme/documents", json={"files": []}, headers=api.auth("carol")), 415)


def test_gaps_job_returns_the_gaps_contract(api):
    r = api.client.post("/v1/clients/acme/gaps", json={"framework": "hipaa"}, headers=api.auth("carol"))
    assert r.status_code == 202, r.text
    job = wait_for_job(api, r.json(), "carol", timeout=300)
    assert job["status"] == "succeeded", job
    validate_contract("gaps", job["result"])
    assert job["result"]["framework"] == "hipaa" and job["result"]["items"] and job["download"] is None
    problem(
        api.client.post("/v1/clients/acme/gaps", json={"framework": "pci-dss"}, headers=api.auth("carol")),
        422,
    )


def test_questionnaire_job_fills_the_workbook(api):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["#", "Question"])
    ws.append([1, "Do passwords have a minimum length of at least 12 characters?"])
    ws.append([2, "Is multi-factor authentication required for remote access?"])
    data = io.BytesIO()
    wb.save(data)
    r = api.client.post(
        "/v1/clients/acme/questionnaires",
        headers=api.auth("carol"),
        files={
            "file": (
                "vendor-review.xlsx",
                data.getvalue(),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        },
    )
    assert r.status_code == 202, r.text
    job = wait_for_job(api, r.json(), "carol", timeout=300)
    assert job["status"] == "succeeded", job
    validate_contract("questionnaire", job["result"])
    assert "file" not in job["result"]  # the server's path stays on the server
    assert [i["row"] for i in job["result"]["items"]] == [2, 3]
    download = api.client.get(job["download"], headers=api.auth("carol"))
    assert download.status_code == 200
    filled = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert [c.value for c in filled[1]][:3] == ["#", "Question", "Answer"]
    problem(api.client.get(job["download"], headers=api.auth("eve")), 403)
    from advisor.access.security_log import SecurityLog, flush_denials
    from advisor.db import open_database

    flush_denials()
    wanted = ["questionnaire_run", "export", "access_denied"]
    events = SecurityLog(open_database(api.settings)).list(event=wanted)
    assert {(e.event, e.user) for e in events} >= {
        ("questionnaire_run", "carol"),
        ("export", "carol"),
        ("access_denied", "eve"),
    }
    assert next(e for e in events if e.event == "export").source == "testclient"  # the caller's address
    r = api.client.post(
        "/v1/clients/acme/questionnaires",
        headers=api.auth("carol"),
        files={"file": ("notes.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert "use an .xlsx or .csv" in problem(r, 422)["detail"]


def test_draft_review_workflow_with_four_eyes(api):
    assert (
        "access-control"
        in problem(
            api.client.post(
                "/v1/clients/acme/drafts", json={"kind": "policy", "type": "x"}, headers=api.auth("carol")
            ),
            422,
        )["detail"]
    )
    r = api.client.post(
        "/v1/clients/acme/drafts",
        json={"kind": "policy", "type": "access-control"},
        headers=api.auth("carol"),
    )
    assert r.status_code == 201, r.text
    draft = r.json()
    validate_contract("draft", draft)
    assert (draft["status"], draft["author"], draft["client"]) == ("draft", "carol", "acme")
    listed = api.client.get("/v1/drafts", headers=api.auth("carol")).json()["drafts"]
    assert draft["id"] in {d["id"] for d in listed}
    assert api.client.get("/v1/drafts", headers=api.auth("eve")).json()["drafts"] == []
    submitted = api.client.post(f"/v1/drafts/{draft['id']}/submit", headers=api.auth("carol")).json()
    assert submitted["status"] == "in_review"
    assert (
        "four-eyes"
        in problem(api.client.post(f"/v1/drafts/{draft['id']}/approve", headers=api.auth("carol")), 409)[
            "detail"
        ]
    )
    problem(
        api.client.post(f"/v1/drafts/{draft['id']}/reject", json={"comment": ""}, headers=api.auth("dave")),
        409,
    )
    rejected = api.client.post(
        f"/v1/drafts/{draft['id']}/reject", json={"comment": "name the owner"}, headers=api.auth("dave")
    ).json()
    assert (rejected["status"], rejected["reviewer"], rejected["comment"]) == (
        "rejected",
        "dave",
        "name the owner",
    )
    memo = api.client.post(
        "/v1/clients/acme/drafts", json={"kind": "memo", "topic": "passwords"}, headers=api.auth("carol")
    ).json()
    api.client.post(f"/v1/drafts/{memo['id']}/submit", headers=api.auth("carol"))
    approved = api.client.post(
        f"/v1/drafts/{memo['id']}/approve", json={"comment": "ok"}, headers=api.auth("dave")
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_every_call_is_recorded_with_user_route_client_and_status(api):
    api.client.get("/v1/clients/globex/sources", headers=api.auth("carol"))
    api.client.get("/v1/clients", headers={"Authorization": "Bearer vct_000000000000_" + "a" * 43})
    calls = api.client.get("/v1/audit/calls", headers=api.auth("admin")).json()["calls"]
    denied = next(c for c in calls if c["route"] == "/v1/clients/{id}/sources" and c["status"] == 403)
    assert (denied["user"], denied["client"], denied["method"]) == ("carol", "globex", "GET")
    assert any(c["user"] == "-" and c["status"] == 401 for c in calls)
    own = api.client.get("/v1/audit/calls", headers=api.auth("eve")).json()["calls"]
    assert own and {c["user"] for c in own} == {"eve"}


def test_rate_limit_per_token():
    limiter = RateLimiter("3/minute")
    for _ in range(3):
        limiter.hit("a")
    limiter.hit("b")  # another token has its own window
    with pytest.raises(ApiProblem) as caught:
        limiter.hit("a")
    assert caught.value.status == 429 and int(caught.value.headers["Retry-After"]) >= 1


def test_rate_limit_answers_429_problem(tmp_path):
    for api in make_api(tmp_path, api=ApiSettings(rate_limit="2/minute")):
        for _ in range(2):
            assert api.client.get("/v1/clients", headers=api.auth("carol")).status_code == 200
        r = api.client.get("/v1/clients", headers=api.auth("carol"))
        assert "rate limit" in problem(r, 429)["detail"] and r.headers["Retry-After"]
        assert api.client.get("/v1/clients", headers=api.auth("eve")).status_code == 200


def test_an_unexpected_failure_is_a_500_problem_without_details(api, monkeypatch):
    ctx = api.client.app.state.ctx

    def broken(**_kwargs):
        raise RuntimeError("internal detail /srv/secret/path")

    monkeypatch.setattr(ctx.adv, "clients", broken)
    r = api.client.get("/v1/clients", headers=api.auth("carol"))
    body = problem(r, 500)
    assert "secret" not in r.text and "error is in its log" in body["detail"]
