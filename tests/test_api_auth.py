"""Who may do what through the API: no token, revoked, expired, disabled user, wrong client on every
endpoint, executive deleting. Tokens themselves: stored hashed, shown once, revocable, expiring; the CLI."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text as text_sql

from advisor.access.tokens import TokenError, TokenStore, digest
from advisor.access.users import UserStore
from advisor.cli import main
from advisor.db import open_database
from advisor.settings import Settings
from tests.api_support import make_api, wait_for_job

ASK = {"question": "How often are backups taken?", "client": "globex"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    yield from make_api(tmp_path_factory.mktemp("api-auth"))


@pytest.fixture(scope="module")
def globex(api):
    """A job and a draft of client globex, made by the admin."""
    r = api.client.post(
        "/v1/clients/globex/documents",
        headers=api.auth("admin"),
        files=[("files", ("Extra.md", b"# Extra\n\nGlobex rotates its vault keys every year.\n"))],
    )
    job = wait_for_job(api, r.json(), "admin")
    assert job["status"] == "succeeded", job
    draft = api.client.post(
        "/v1/clients/globex/drafts", json={"kind": "memo"}, headers=api.auth("admin")
    ).json()
    return {"job": job["id"], "draft": draft["id"]}


def client_scoped(client: str, globex_ids: dict) -> list[tuple[str, str, dict]]:
    """(method, path, request kwargs) of every endpoint that touches one client's data."""
    upload = {"files": [("files", ("a.md", b"# A\n\nSome text about access control.\n", "text/markdown"))]}
    sheet = {"files": {"file": ("q.csv", b"Question\nIs data encrypted at rest?\n", "text/csv")}}
    job, draft = globex_ids["job"], globex_ids["draft"]
    return [
        ("POST", "/v1/ask", {"json": {**ASK, "client": client}}),
        ("POST", "/v1/ask?stream=true", {"json": {**ASK, "client": client}}),
        ("GET", f"/v1/clients/{client}/sources", {}),
        ("POST", f"/v1/clients/{client}/documents", upload),
        ("DELETE", f"/v1/clients/{client}/documents/Backup_Policy.md", {}),
        ("POST", f"/v1/clients/{client}/gaps", {"json": {"framework": "hipaa"}}),
        ("POST", f"/v1/clients/{client}/questionnaires", sheet),
        ("POST", f"/v1/clients/{client}/drafts", {"json": {"kind": "memo"}}),
        ("GET", "/v1/audit", {"params": {"client": client}}),
        ("GET", "/v1/drafts", {"params": {"client": client}}),
        ("GET", f"/v1/jobs/{job}", {}),
        ("GET", f"/v1/jobs/{job}/download", {}),
        ("GET", f"/v1/drafts/{draft}", {}),
        ("POST", f"/v1/drafts/{draft}/submit", {}),
        ("POST", f"/v1/drafts/{draft}/approve", {"json": {"comment": ""}}),
        ("POST", f"/v1/drafts/{draft}/reject", {"json": {"comment": "no"}}),
    ]


def assert_problem(r, status: int) -> None:
    assert r.status_code == status, (r.request.method, r.request.url, r.text)
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["status"] == status


def test_a_consultant_gets_403_for_another_client_on_every_endpoint(api, globex):
    for method, path, kwargs in client_scoped("globex", globex):
        r = api.client.request(method, path, headers=api.auth("carol"), **kwargs)
        assert_problem(r, 403)
        assert "carol" in r.json()["detail"]
    # a client that does not exist looks the same to her (no probing which clients exist)
    assert_problem(api.client.get("/v1/clients/initech/sources", headers=api.auth("carol")), 403)
    # the lists leave the other client out
    assert api.client.get("/v1/clients", headers=api.auth("carol")).json()["clients"] == ["acme"]
    assert {j["client"] for j in api.client.get("/v1/jobs", headers=api.auth("carol")).json()["jobs"]} <= {
        "acme"
    }
    assert globex["job"] in {
        j["id"] for j in api.client.get("/v1/jobs", headers=api.auth("admin")).json()["jobs"]
    }


def test_the_same_consultant_may_use_her_own_client(api):
    r = api.client.post("/v1/ask", json={**ASK, "client": "acme"}, headers=api.auth("carol"))
    assert r.status_code == 200
    assert {c["client"] for c in r.json()["citations"]} <= {"acme", None}
    assert api.client.get("/v1/clients/acme/sources", headers=api.auth("carol")).status_code == 200


@pytest.mark.parametrize(
    "header", [None, "Basic YWxpY2U6c2VjcmV0", "Bearer not-a-token", "Bearer vct_0123456789ab_" + "x" * 43]
)
def test_missing_or_bad_tokens_get_401(api, header):
    headers = {"Authorization": header} if header else {}
    for path in ("/v1/clients", "/v1/clients/acme/sources", "/v1/audit"):
        r = api.client.get(path, headers=headers)
        assert_problem(r, 401)
        assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert_problem(api.client.post("/v1/ask", json=ASK, headers=headers), 401)


def test_revoked_expired_and_disabled_tokens_get_401(api):
    store = TokenStore(open_database(api.settings))
    _, revoked = store.create("carol", "to-revoke")
    token, _ = store.authenticate(revoked)
    assert api.client.get("/v1/clients", headers={"Authorization": f"Bearer {revoked}"}).status_code == 200
    store.revoke(token.id)
    r = api.client.get("/v1/clients", headers={"Authorization": f"Bearer {revoked}"})
    assert_problem(r, 401)
    assert "revoked" in r.json()["detail"]

    past = TokenStore(open_database(api.settings), clock=lambda: datetime.now(UTC) - timedelta(days=3))
    _, expired = past.create("carol", "old", expires_days=1)
    r = api.client.get("/v1/clients", headers={"Authorization": f"Bearer {expired}"})
    assert_problem(r, 401)
    assert "expired" in r.json()["detail"]

    users = UserStore(open_database(api.settings))
    users.add("mallory", "correct-horse-battery", "consultant", ["acme"])
    _, text = store.create("mallory", "ci")
    assert api.client.get("/v1/clients", headers={"Authorization": f"Bearer {text}"}).status_code == 200
    users.set_disabled("mallory")
    assert_problem(api.client.get("/v1/clients", headers={"Authorization": f"Bearer {text}"}), 401)


def test_an_executive_may_read_but_not_delete_documents(api):
    assert api.client.get("/v1/clients/globex/sources", headers=api.auth("eve")).status_code == 200
    r = api.client.delete("/v1/clients/globex/documents/Backup_Policy.md", headers=api.auth("eve"))
    assert_problem(r, 403)
    assert "delete documents" in r.json()["detail"]
    docs = api.client.get("/v1/clients/globex/sources", headers=api.auth("eve")).json()["documents"]
    assert "Backup_Policy.md" in {d["source"] for d in docs}


def test_an_executive_may_not_approve(api, globex):
    api.client.post(f"/v1/drafts/{globex['draft']}/submit", headers=api.auth("admin"))
    r = api.client.post(f"/v1/drafts/{globex['draft']}/approve", headers=api.auth("eve"))
    assert_problem(r, 403)


# -- the token store and the CLI -------------------------------------------------------------------


def test_tokens_are_stored_hashed_and_expire(tmp_path):
    now = datetime(2026, 1, 1, tzinfo=UTC)
    clock = {"now": now}
    store = TokenStore(tmp_path / "state.db", clock=lambda: clock["now"])
    token, text = store.create("alice", "ci", expires_days=2)
    assert text.startswith("vct_") and token.id in text
    with store.db.session() as s:
        rows = [tuple(r) for r in s.execute(text_sql("SELECT * FROM api_tokens"))]
    assert len(rows) == 1 and digest(text) in rows[0] and not any(text in str(v) for v in rows[0])
    found, state = store.authenticate(text)
    assert (found.id, state) == (token.id, "active")
    assert store.get(token.id).last_used_at == token.created_at  # the clock's "now"
    assert store.authenticate(text[:-1] + ("A" if text[-1] != "A" else "B"))[1] == "unknown"
    assert store.authenticate("vct_nonsense")[1] == "malformed"
    with pytest.raises(TokenError):
        store.create("alice", "ci")  # an active token of that name exists
    clock["now"] = now + timedelta(days=2, seconds=1)
    assert store.authenticate(text)[1] == "expired"
    store.create("alice", "ci")  # the expired one no longer holds the name
    with pytest.raises(TokenError):
        store.create("alice", "ci", expires_days=0)


def test_tokens_cli_create_list_revoke(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path))
    UserStore(open_database(Settings(data_dir=tmp_path))).add(
        "alice", "correct-horse-battery", "consultant", ["acme"]
    )
    assert main(["tokens", "create", "--user", "alice", "--name", "ci", "--expires", "30", "--json"]) == 0
    created = json.loads(capsys.readouterr().out)
    assert created["token"].startswith("vct_") and created["state"] == "active" and created["expires_at"]
    assert main(["tokens", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["tokens"]
    assert [t["id"] for t in listed] == [created["id"]] and "token" not in listed[0]
    assert main(["tokens", "revoke", created["id"]]) == 0
    capsys.readouterr()
    assert main(["tokens", "list"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main(["tokens", "create", "--user", "nobody", "--name", "ci"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["tokens", "create", "--user", "alice", "--name", "ci"]) == 0
    out = io.StringIO(capsys.readouterr().out)
    assert any(line.startswith("vct_") for line in out.read().splitlines())
