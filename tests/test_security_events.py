"""Security events: each event type performed through the core (Advisor, draft store, user store, sign-in,
gap and questionnaire runs, refused access) is found in the log with who, client, object and source."""

from __future__ import annotations

from pathlib import Path

import pytest
from argon2 import PasswordHasher

from advisor.access.security_log import (
    EVENT_TYPES,
    SecurityLog,
    SecurityLogError,
    flush_denials,
    request_source,
)
from advisor.access.signin import SignIn, SignInLocked
from advisor.access.users import User, UserStore
from advisor.assessment import autofill, gaps
from advisor.drafting.document import Draft
from advisor.drafting.store import DraftStore
from advisor.errors import AccessDenied, AdvisorError
from advisor.settings import AuthSettings

CARL = User("carl", "consultant", clients=("acme",))
DANA = User("dana", "consultant", clients=("acme",))
EVE = User("eve", "consultant", clients=("other",))
ADMIN = User("root-admin", "admin")
PASSWORD = "correct horse battery"
FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def events_of(log: SecurityLog, event: str):
    return log.list(event=event)


def test_every_event_type_is_recorded_through_the_core(fake_advisor, tmp_path: Path) -> None:
    adv = fake_advisor
    log = SecurityLog(adv.audit.db)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Backup_Policy.md").write_text("# Backups\n\nBackups run nightly and are kept for 35 days.\n")
    with request_source("198.51.100.4"):
        adv.ingest([docs], "acme", user=CARL)
    adv.ingest([docs], "acme", user=CARL, prune=True)
    assert adv.download_source("acme", "Backup_Policy.md", user=CARL).startswith(b"# Backups")
    adv.exported("answer DOCX", "acme", user=CARL, obj="answer 1")
    autofill.answer_all(adv, "acme", [(2, "Are backups kept?")], user=CARL)
    with pytest.raises(AdvisorError):  # an unknown framework fails; the run is still recorded
        gaps.analyze(adv, "acme", "no-such-framework", user=CARL)
    store = DraftStore(adv.audit.db)
    draft = store.create(
        Draft(
            client="acme",
            kind="policy",
            type="backup",
            title="Backup policy",
            text="Backups run nightly.",
            citations=(),
        ),
        "carl",
        user=CARL,
    )
    store.submit(draft.id, user=CARL)
    store.approve(draft.id, DANA)
    draft2 = store.create(
        Draft(
            client="acme",
            kind="policy",
            type="backup",
            title="Backup policy 2",
            text="Backups run weekly.",
            citations=(),
        ),
        "carl",
        user=CARL,
    )
    store.submit(draft2.id, user=CARL)
    store.reject(draft2.id, DANA, "say how long they are kept")
    adv.forget("Backup_Policy.md", "acme", user=CARL)
    with pytest.raises(AccessDenied):
        adv.sources("acme", user=EVE)
    flush_denials()

    users = UserStore(adv.audit.db, hasher=FAST)
    users.add("olga", PASSWORD, "consultant", ["acme"], by=ADMIN)
    users.set_role("olga", "executive", by=ADMIN)
    users.assign("olga", ["acme", "globex"], by=ADMIN)
    users.set_password("olga", "a second long passphrase", by=ADMIN)
    users.set_disabled("olga", True, by=ADMIN)
    users.set_disabled("olga", False, by=ADMIN)
    signin = SignIn(users, AuthSettings(max_failures=2))
    signin.authenticate("olga", "a second long passphrase", source="192.0.2.1")
    signin.authenticate("olga", "wrong password!!", source="192.0.2.1")
    signin.authenticate("olga", "wrong password!!", source="192.0.2.1")
    with pytest.raises(SignInLocked):
        signin.authenticate("olga", "a second long passphrase", source="192.0.2.1")
    users.remove("olga", by=ADMIN)
    log.record("sign_out", user="olga", source="192.0.2.1")
    log.record("session_expired", user="olga", source="192.0.2.1", detail="idle")

    upload = events_of(log, "upload")[0]
    assert (upload.user, upload.client, upload.source, upload.object) == (
        "carl",
        "acme",
        "198.51.100.4",
        "docs",
    )
    assert events_of(log, "rescan")[0].client == "acme"
    assert events_of(log, "delete")[0].object == "Backup_Policy.md"
    assert events_of(log, "download")[0].object == "Backup_Policy.md"
    assert events_of(log, "export")[0].detail == "answer DOCX"
    assert events_of(log, "questionnaire_run")[0].user == "carl"
    assert events_of(log, "gap_run")[0].object == "no-such-framework"
    assert events_of(log, "draft_submit")[0].object == f"draft {draft2.id}"
    assert events_of(log, "draft_approve")[0].user == "dana"
    assert events_of(log, "draft_reject")[0].object == f"draft {draft2.id}"
    denied = events_of(log, "access_denied")[0]
    assert (denied.user, denied.outcome) == ("eve", "denied") and "acme" in denied.detail
    changes = {e.event: e for e in log.list(user="root-admin")}
    assert {
        "user_added",
        "role_changed",
        "clients_assigned",
        "password_changed",
        "user_disabled",
        "user_enabled",
        "user_removed",
    } <= set(changes)
    assert changes["role_changed"].object == "olga" and changes["role_changed"].detail == "role=executive"
    assert events_of(log, "sign_in")[0].source == "192.0.2.1"
    assert len(events_of(log, "sign_in_failed")) == 2 and events_of(log, "sign_in_locked")
    assert {e.event for e in log.list(limit=1000)} == set(EVENT_TYPES)  # every type was performed


def test_filters_and_validation(tmp_path: Path) -> None:
    log = SecurityLog(tmp_path / "vciso.db")
    log.record("upload", user="carl", client="acme", obj="a.pdf")
    log.record("upload", user="gina", client="globex", obj="b.pdf")
    log.record("sign_in", user="carl")
    assert [e.object for e in log.list(event="upload", clients=["acme"])] == ["a.pdf"]
    assert [e.event for e in log.list(clients=["acme"])] == ["sign_in", "upload"]
    assert [e.event for e in log.list(clients=["acme"], include_unscoped=False)] == ["upload"]
    with pytest.raises(SecurityLogError):
        log.record("made_up", user="carl")
    with pytest.raises(SecurityLogError):
        log.list(event="made_up")


def test_cli_audit_event_filter(tmp_path: Path, monkeypatch, capsys) -> None:
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    monkeypatch.setenv("VCISO_NEW_PASSWORD", "password1234")
    assert main(["users", "add", "bob", "--role", "consultant", "--clients", "acme"]) != 0  # common: refused
    monkeypatch.setenv("VCISO_NEW_PASSWORD", "a long bob passphrase")
    assert main(["users", "add", "bob", "--role", "consultant", "--clients", "acme"]) == 0
    assert main(["users", "assign", "bob", "--clients", "acme,globex"]) == 0
    capsys.readouterr()
    assert main(["audit", "--event", "clients_assigned"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and "clients_assigned local:" in out[0] and " bob " in out[0]
    assert main(["audit", "--event", "user_added", "--json"]) == 0
    assert '"event": "user_added"' in capsys.readouterr().out


def test_app_downloads_and_exports_go_through_the_core(fake_advisor, tmp_path: Path) -> None:
    from ui import recorded
    from ui.context import Context

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Backup_Policy.md").write_text("# Backups\n\nBackups run nightly.\n")
    fake_advisor.ingest([docs], "acme", user=CARL)
    ctx = Context(adv=fake_advisor, user=CARL, users=None)
    with request_source("203.0.113.50", "carl"):
        download = recorded.source_file(ctx, "acme", "Backup_Policy.md")
        export = recorded.export(ctx, "answer DOCX", "acme", "audit record 7", lambda: b"docx")
    assert download().startswith(b"# Backups") and export() == b"docx"
    log = SecurityLog(fake_advisor.audit.db)
    got = {e.event: e for e in log.list(event=["download", "export"])}
    assert got["download"].source == got["export"].source == "203.0.113.50"  # captured when drawn
    assert got["export"].object == "audit record 7"
    with pytest.raises(AccessDenied):
        recorded.source_file(Context(adv=fake_advisor, user=EVE, users=None), "acme", "Backup_Policy.md")()


def test_an_upload_job_records_its_upload_with_the_job_as_source(fake_advisor, tmp_path: Path) -> None:
    from advisor.jobs.queue import JobQueue
    from advisor.jobs.uploads import submit_upload
    from advisor.jobs.worker import Worker

    queue = JobQueue(fake_advisor.audit.db)
    users = UserStore(fake_advisor.audit.db, hasher=FAST)
    users.add("carl", PASSWORD, "consultant", ["acme"])
    files = [("Notes.md", b"# Notes\n\nBackups nightly.\n")]
    job = submit_upload(fake_advisor.settings, queue, CARL, "acme", files)
    Worker(fake_advisor, queue, users=users).run_once()
    upload = SecurityLog(fake_advisor.audit.db).list(event="upload")[0]
    assert (upload.user, upload.client, upload.source) == ("carl", "acme", f"job {job.id}")
