"""The review workflow, in SQLite: drafts and their versions.

Rules (enforced here, so the CLI and the UI cannot forget them):

- A new draft is version 1 with status ``draft``. Only the latest version of a draft moves through
  the workflow: ``draft`` → ``in_review`` (submit) → ``approved`` or ``rejected`` (review).
- Approve and reject need a reviewer. When the reviewer is a :class:`advisor.users.User` it must have
  ``may_approve`` (admins and consultants). The reviewer may not be the author of the version under
  review (four-eyes principle). Reject needs a comment.
- A version's text never changes. Editing creates a new version with status ``draft``; an approved
  version stays approved and immutable (a database trigger refuses changes to it). A rejected draft is
  edited into a new version and submitted again.
- Citations of an edited version are those of the previous version whose [n] markers the new text
  still uses; a marker without a citation is refused.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.drafting.document import Draft
from advisor.drafting.ledger import markers_in
from advisor.database import connect, create
from advisor.errors import AccessDenied, AdvisorError, NotFound
from advisor.models import Citation

STATUSES = ("draft", "in_review", "approved", "rejected")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    client TEXT NOT NULL,
    kind TEXT NOT NULL,
    type TEXT NOT NULL,
    title TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS versions (
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    text TEXT NOT NULL,
    citations TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('draft', 'in_review', 'approved', 'rejected')),
    author TEXT NOT NULL,
    reviewer TEXT,
    comment TEXT,
    ts TEXT NOT NULL,
    submitted_at TEXT,
    reviewed_at TEXT,
    PRIMARY KEY (draft_id, version)
);
CREATE TRIGGER IF NOT EXISTS approved_versions_are_immutable
BEFORE UPDATE ON versions WHEN OLD.status = 'approved'
BEGIN SELECT RAISE(ABORT, 'approved versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS version_text_is_immutable
BEFORE UPDATE OF text, citations ON versions
BEGIN SELECT RAISE(ABORT, 'a version''s text never changes; edit creates a new version'); END;
"""


class WorkflowError(AdvisorError):
    """A review step that the workflow rules do not allow (wrong status, missing reviewer or comment)."""


@dataclass(frozen=True)
class Version:
    draft_id: int
    version: int
    text: str
    citations: tuple[Citation, ...]
    status: str
    author: str
    reviewer: str | None
    comment: str | None
    ts: str
    submitted_at: str | None = None
    reviewed_at: str | None = None


@dataclass(frozen=True)
class StoredDraft:
    id: int
    client: str
    kind: str
    type: str
    title: str
    created_by: str
    created_at: str
    latest: Version

    def as_contract(self, version: Version | None = None) -> dict[str, Any]:
        """The `vciso draft --json` shape (tests/contract/draft.schema.json), plus review metadata."""
        v = version or self.latest
        return {"id": self.id, "kind": self.kind, "status": v.status, "title": self.title, "text": v.text,
                "citations": [c.as_contract() for c in v.citations], "version": v.version,
                "type": self.type, "client": self.client, "author": v.author, "reviewer": v.reviewer,
                "comment": v.comment, "created_at": self.created_at, "updated_at": v.ts}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _reviewer_name(reviewer: Any) -> str:
    """A reviewer is a User (role-checked) or a name; either way it must be present."""
    if reviewer is None or (isinstance(reviewer, str) and not reviewer.strip()):
        raise WorkflowError("a reviewer is required to approve or reject a draft")
    if isinstance(reviewer, str):
        return reviewer.strip()
    if not getattr(reviewer, "may_approve", False):
        raise AccessDenied(f"user {reviewer.username!r} ({reviewer.role}) may not approve or reject drafts")
    return reviewer.username


class DraftStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        create(self.path, _SCHEMA, WorkflowError, "draft store", wal=False)

    def _connect(self):
        return connect(self.path, WorkflowError, "draft store", foreign_keys=True)

    # ------------------------------------------------------------------ reading
    @staticmethod
    def _version(row: sqlite3.Row) -> Version:
        cites = tuple(Citation(**c) for c in json.loads(row["citations"]))
        return Version(row["draft_id"], row["version"], row["text"], cites, row["status"], row["author"],
                       row["reviewer"], row["comment"], row["ts"], row["submitted_at"], row["reviewed_at"])

    def _get(self, conn: sqlite3.Connection, draft_id: int) -> StoredDraft:
        d = conn.execute("SELECT * FROM drafts WHERE id = ?", (int(draft_id),)).fetchone()
        if d is None:
            raise NotFound(f"draft {draft_id} not found")
        v = conn.execute("SELECT * FROM versions WHERE draft_id = ? ORDER BY version DESC LIMIT 1", (d["id"],)).fetchone()
        return StoredDraft(d["id"], d["client"], d["kind"], d["type"], d["title"], d["created_by"], d["created_at"],
                           self._version(v))

    def get(self, draft_id: int) -> StoredDraft:
        with self._connect() as conn:
            return self._get(conn, draft_id)

    def version(self, draft_id: int, version: int | None = None) -> Version:
        if version is None:
            return self.get(draft_id).latest
        with self._connect() as conn:
            row = conn.execute("SELECT * FROM versions WHERE draft_id = ? AND version = ?",
                               (int(draft_id), int(version))).fetchone()
        if row is None:
            raise NotFound(f"draft {draft_id} has no version {version}")
        return self._version(row)

    def history(self, draft_id: int) -> list[Version]:
        with self._connect() as conn:
            self._get(conn, draft_id)
            rows = conn.execute("SELECT * FROM versions WHERE draft_id = ? ORDER BY version", (int(draft_id),)).fetchall()
        return [self._version(r) for r in rows]

    def list(self, client: str | None = None, clients: tuple[str, ...] | None = None) -> list[StoredDraft]:
        """Drafts, newest first; ``clients`` limits to those a user may read."""
        with self._connect() as conn:
            ids = [r["id"] for r in conn.execute(
                "SELECT id, client FROM drafts WHERE (? IS NULL OR client = ?) ORDER BY id DESC", (client, client))
                if clients is None or r["client"] in clients]
            return [self._get(conn, i) for i in ids]

    def diff(self, draft_id: int, a: int, b: int) -> str:
        """A unified diff between two versions of a draft."""
        va, vb = self.version(draft_id, a), self.version(draft_id, b)
        return "".join(difflib.unified_diff(va.text.splitlines(keepends=True), vb.text.splitlines(keepends=True),
                                            fromfile=f"version {a}", tofile=f"version {b}"))

    # ------------------------------------------------------------------ writing
    def create(self, draft: Draft, author: str) -> StoredDraft:
        if not author or not author.strip():
            raise WorkflowError("a draft needs an author")
        now = _now()
        with self._connect() as conn:
            cur = conn.execute("INSERT INTO drafts (client, kind, type, title, created_by, created_at) VALUES (?,?,?,?,?,?)",
                               (draft.client, draft.kind, draft.type, draft.title, author, now))
            self._insert(conn, cur.lastrowid, 1, draft.text, draft.citations, author, now)
            return self._get(conn, cur.lastrowid)

    @staticmethod
    def _insert(conn, draft_id: int, version: int, text: str, citations, author: str, now: str) -> None:
        conn.execute("INSERT INTO versions (draft_id, version, text, citations, status, author, ts) "
                     "VALUES (?,?,?,?,?,?,?)",
                     (draft_id, version, text, json.dumps([asdict(c) for c in citations]), "draft", author, now))

    def edit(self, draft_id: int, text: str, author: str) -> StoredDraft:
        """Save ``text`` as a new version (status draft). Earlier versions, approved ones included, stay as they were."""
        if not text.strip():
            raise WorkflowError("the edited text is empty")
        if not author or not author.strip():
            raise WorkflowError("an edit needs an author")
        with self._connect() as conn:
            current = self._get(conn, draft_id).latest
            if current.status == "in_review":
                raise WorkflowError(f"draft {draft_id} version {current.version} is in review; approve or reject it first")
            used = markers_in(text)
            have = {c.n: c for c in current.citations}
            missing = [n for n in used if n not in have]
            if missing:
                raise WorkflowError("the edited text cites " + ", ".join(f"[{n}]" for n in missing) +
                                    " but the draft has no such citation")
            cites = tuple(have[n] for n in sorted(used))
            self._insert(conn, int(draft_id), current.version + 1, text, cites, author, _now())
            return self._get(conn, draft_id)

    def submit(self, draft_id: int, user: str = "") -> StoredDraft:
        with self._connect() as conn:
            v = self._get(conn, draft_id).latest
            if v.status != "draft":
                raise WorkflowError(f"only a draft can be submitted; version {v.version} is {v.status}"
                                    + (" (edit it to create a new version)" if v.status in ("approved", "rejected") else ""))
            conn.execute("UPDATE versions SET status = 'in_review', submitted_at = ? WHERE draft_id = ? AND version = ?",
                         (_now(), int(draft_id), v.version))
            return self._get(conn, draft_id)

    def _review(self, draft_id: int, reviewer: Any, status: str, comment: str) -> StoredDraft:
        name = _reviewer_name(reviewer)
        with self._connect() as conn:
            stored = self._get(conn, draft_id)
            if not isinstance(reviewer, str) and not reviewer.may_read(stored.client):
                raise AccessDenied(f"user {name!r} may not read client {stored.client!r}")
            v = stored.latest
            if v.status != "in_review":
                raise WorkflowError(f"only a draft in review can be {status}; version {v.version} is {v.status}")
            if name == v.author:
                raise WorkflowError(f"{name} wrote version {v.version} and may not review it (four-eyes principle)")
            conn.execute("UPDATE versions SET status = ?, reviewer = ?, comment = ?, reviewed_at = ? "
                         "WHERE draft_id = ? AND version = ?",
                         (status, name, comment.strip() or None, _now(), int(draft_id), v.version))
            return self._get(conn, draft_id)

    def approve(self, draft_id: int, reviewer: Any, comment: str = "") -> StoredDraft:
        return self._review(draft_id, reviewer, "approved", comment or "")

    def reject(self, draft_id: int, reviewer: Any, comment: str) -> StoredDraft:
        if not comment or not comment.strip():
            raise WorkflowError("rejecting a draft needs a comment that says what to change")
        return self._review(draft_id, reviewer, "rejected", comment)
