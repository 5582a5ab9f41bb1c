"""The state database: migrations equal the models on both dialects, a clear error for a bad URL, and a
data dir made by the pre-database code (three SQLite files) migrated in place without loss."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from argon2 import PasswordHasher
from sqlalchemy import text

from advisor.access.audit import AuditLog
from advisor.access.policy import local_operator
from advisor.access.users import UserStore
from advisor.db import Base, Database, DatabaseError, open_database
from advisor.db.engine import head_revision
from advisor.db.legacy import import_legacy
from advisor.db.models import UserRow
from advisor.drafting import Draft
from advisor.drafting.store import DraftStore, WorkflowError
from advisor.models import Citation
from advisor.settings import Settings

# The schemas the pre-database code wrote (advisor/access/audit.py, advisor/access/users.py,
# advisor/drafting/store.py
# before the state database), copied verbatim: the fixture data dir is made exactly as those versions did.
OLD_AUDIT = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT, ts TEXT NOT NULL, user TEXT NOT NULL, client TEXT,
    audience TEXT NOT NULL, engine TEXT NOT NULL, question TEXT NOT NULL, answer TEXT NOT NULL,
    abstained INTEGER NOT NULL, citations TEXT NOT NULL, latency_ms REAL NOT NULL,
    feedback TEXT CHECK (feedback IN ('up', 'down')), feedback_comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS records_client_ts ON records (client, ts);
"""
OLD_USERS = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY, password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'consultant', 'executive')),
    clients TEXT NOT NULL DEFAULT '[]', created_at TEXT NOT NULL, disabled INTEGER NOT NULL DEFAULT 0
);
"""
OLD_DRAFTS = """
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT, client TEXT NOT NULL, kind TEXT NOT NULL, type TEXT NOT NULL,
    title TEXT NOT NULL, created_by TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE, version INTEGER NOT NULL,
    text TEXT NOT NULL, citations TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'rejected')),
    author TEXT NOT NULL, reviewer TEXT, comment TEXT, ts TEXT NOT NULL, submitted_at TEXT, reviewed_at TEXT,
    PRIMARY KEY (draft_id, version)
);
CREATE TRIGGER IF NOT EXISTS approved_versions_are_immutable
BEFORE UPDATE ON versions WHEN OLD.status = 'approved'
BEGIN SELECT RAISE(ABORT, 'approved versions are immutable'); END;
"""
PASSWORD = "a-long-password-1"
CITATION = {
    "n": 1,
    "chunk_id": "c1",
    "source": "backup-policy.pdf",
    "title": "Backup Policy",
    "page": 3,
    "section": "4.2",
    "client": "meridian-health",
    "quote": "Backups are retained for 35 days.",
    "doc_type": "policy",
}


def make_old_data_dir(data: Path) -> str:
    """A data dir as the pre-database code left it (WAL mode, as it ran); returns alice's password hash."""
    data.mkdir(parents=True)
    alice_hash = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with sqlite3.connect(data / "audit.sqlite3") as c:
        c.execute("PRAGMA journal_mode=WAL")
        c.executescript(OLD_AUDIT)
        for i in range(1, 4):
            c.execute(
                "INSERT INTO records (ts, user, client, audience, engine, question, answer, abstained, "
                "citations, latency_ms, feedback, feedback_comment) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    f"2025-03-1{i}T09:30:00.000000+00:00",
                    "alice",
                    "meridian-health",
                    "consultant",
                    "extractive",
                    f"Question {i}?",
                    f"Answer {i} [1].",
                    0,
                    json.dumps([CITATION]),
                    12.5 * i,
                    "up" if i == 2 else None,
                    "clear" if i == 2 else "",
                ),
            )
        c.execute(
            "INSERT INTO records (ts, user, client, audience, engine, question, answer, abstained, citations,"
            " latency_ms) VALUES ('2025-03-14T10:00:00.000000+00:00', 'cli', NULL, 'executive', 'extractive',"
            " 'Library?', 'Not found.', 1, '[]', 3.0)"
        )
    with sqlite3.connect(data / "users.sqlite3") as c:
        c.execute("PRAGMA journal_mode=WAL")
        c.executescript(OLD_USERS)
        c.execute(
            "INSERT INTO users VALUES ('alice', ?, 'consultant', '[\"meridian-health\", \"ledgerly\"]',"
            " '2025-01-02T08:00:00+00:00', 0)",
            (alice_hash,),
        )
        c.execute(
            "INSERT INTO users VALUES ('root', ?, 'admin', '[]', '2025-01-01T08:00:00+00:00', 0)",
            (alice_hash,),
        )
        c.execute(
            "INSERT INTO users VALUES ('gone', ?, 'executive', '[\"ledgerly\"]', "
            "'2025-01-03T08:00:00+00:00', 1)",
            (alice_hash,),
        )
    with sqlite3.connect(data / "drafts.sqlite3") as c:
        c.executescript(OLD_DRAFTS)
        for d in (1, 2):
            c.execute(
                "INSERT INTO drafts VALUES (?, 'meridian-health', 'policy', 'password', ?, 'alice',"
                " '2025-02-01T10:00:00+00:00')",
                (d, f"Draft {d}"),
            )
        c.execute(
            "INSERT INTO versions VALUES (1, 1, 'Passwords of 12 characters [1].', ?, 'approved', 'alice',"
            " 'root', 'ok', '2025-02-01T10:00:00+00:00', '2025-02-01T11:00:00+00:00',"
            " '2025-02-02T09:00:00+00:00')",
            (json.dumps([CITATION]),),
        )
        c.execute(
            "INSERT INTO versions VALUES (1, 2, 'Passwords of 14 characters [1].', ?, 'draft', 'alice',"
            " NULL, NULL, '2025-02-03T10:00:00+00:00', NULL, NULL)",
            (json.dumps([CITATION]),),
        )
        c.execute(
            "INSERT INTO versions VALUES (2, 1, 'Memo.', '[]', 'in_review', 'alice', NULL, NULL,"
            " '2025-02-04T10:00:00+00:00', '2025-02-04T11:00:00+00:00', NULL)"
        )
    return alice_hash


def test_migrations_create_exactly_the_models(database: Database) -> None:
    assert database.revision() == head_revision()
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == [], "models and migrations disagree: add a migration (see advisor/db/__init__.py)"


def test_opening_twice_is_a_no_op_and_a_bad_url_is_a_clear_error(database_url: str, tmp_path: Path) -> None:
    Database(database_url).dispose()
    again = Database(database_url)
    assert again.revision() == head_revision()
    again.dispose()
    with pytest.raises(DatabaseError, match="invalid database URL"):
        Database("not a url")
    with pytest.raises(DatabaseError, match="cannot open or migrate") as exc:
        Database("postgresql+psycopg://vciso:secret-pw@127.0.0.1:1/vciso")
    assert "secret-pw" not in str(exc.value)


def test_old_data_dir_is_migrated_in_place_without_loss(tmp_path: Path, database_url: str) -> None:
    data = tmp_path / "old-data"
    alice_hash = make_old_data_dir(data)
    settings = Settings(
        data_dir=data, embedding="fake", database_url="" if "sqlite" in database_url else database_url
    )
    db = open_database(settings)
    assert {p.name for p in data.iterdir()} >= {
        "audit.sqlite3.migrated",
        "users.sqlite3.migrated",
        "drafts.sqlite3.migrated",
    }

    audit = AuditLog(db)
    records = audit.list(limit=100)
    assert [r.id for r in records] == [4, 3, 2, 1]  # ids kept
    assert (records[2].question, records[2].feedback, records[2].feedback_comment, records[2].latency_ms) == (
        "Question 2?",
        "up",
        "clear",
        25.0,
    )
    assert records[0].client is None and records[0].abstained is True and records[0].user == "cli"
    assert records[3].citations == (CITATION,)
    users = UserStore(db, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    assert [(u.username, u.role, u.clients, u.disabled) for u in users.list()] == [
        ("alice", "consultant", ("ledgerly", "meridian-health"), False),
        ("gone", "executive", ("ledgerly",), True),
        ("root", "admin", (), False),
    ]
    assert users.authenticate("alice", PASSWORD).username == "alice"  # the argon2 hash came along
    assert users.get("alice").created_at == "2025-01-02T08:00:00+00:00"
    drafts = DraftStore(db)
    assert [d.id for d in drafts.list(user=local_operator())] == [2, 1]
    history = drafts.history(1, user=local_operator())
    assert [(v.version, v.status, v.reviewer) for v in history] == [
        (1, "approved", "root"),
        (2, "draft", None),
    ]
    assert history[0].citations[0].quote == "Backups are retained for 35 days."
    with pytest.raises(WorkflowError, match="immutable"):  # the trigger protects imported approvals too
        with db.session(write=True, error=WorkflowError) as s:
            s.execute(text("UPDATE draft_versions SET status = 'draft' WHERE draft_id = 1 AND version = 1"))
    new = drafts.create(_draft(), "alice", user=local_operator())
    assert new.id == 3  # the id sequence continues after the imported ids (PostgreSQL too)
    with db.session() as s:
        assert s.get(UserRow, "alice").password_hash == alice_hash


def test_a_migrated_file_is_never_imported_twice(tmp_path: Path) -> None:
    data = tmp_path / "old-data"
    make_old_data_dir(data)
    settings = Settings(data_dir=data, embedding="fake")
    db = open_database(settings)
    for name in ("audit.sqlite3", "users.sqlite3", "drafts.sqlite3"):  # e.g. a rename that failed
        (data / f"{name}.migrated").rename(data / name)
    assert import_legacy(db, data) == {}
    assert AuditLog(db).count() == 4 and len(UserStore(db).list()) == 3


def _draft():
    return Draft(
        kind="policy",
        type="password",
        client="meridian-health",
        title="New",
        text="Text [1].",
        citations=(Citation(**CITATION),),
    )


def test_missing_postgresql_is_a_clear_failure_not_a_skip(monkeypatch) -> None:
    import scripts.postgres as pg

    monkeypatch.setattr(pg.glob, "glob", lambda pattern: [])
    monkeypatch.setattr(pg.shutil, "which", lambda name: None)
    with pytest.raises(pg.PostgresUnavailable, match=r"PostgreSQL is not installed: run `make system-deps`"):
        pg.find_bindir()
