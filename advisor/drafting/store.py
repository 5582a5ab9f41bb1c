"""The review workflow, in the state database: drafts and their versions (``drafts``, ``draft_versions``).

Rules (enforced here, so the CLI and the UI cannot forget them):

- A new draft is version 1 with status ``draft``. Only the latest version of a draft moves through
  the workflow: ``draft`` → ``in_review`` (submit) → ``approved`` or ``rejected`` (review).
- Approve and reject need a reviewer. When the reviewer is a :class:`advisor.access.users.User` it must have
  ``may_approve`` (admins and consultants). The reviewer may not be the author of the version under
  review (four-eyes principle). Reject needs a comment.
- A version's text never changes. Editing creates a new version with status ``draft``; an approved
  version stays approved and immutable (a trigger refuses changes to it, on SQLite and PostgreSQL, and
  this module only ever updates the latest version's status). A rejected draft is
  edited into a new version and submitted again.
- Citations of an edited version are those of the previous version whose [n] markers the new text
  still uses; a marker without a citation is refused.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.access.policy import Access
from advisor.access.security_log import SecurityLog
from advisor.db import Database, as_database
from advisor.db.models import DraftRow, DraftVersionRow
from advisor.drafting.document import Draft
from advisor.drafting.ledger import markers_in
from advisor.errors import AccessDenied, AdvisorError, NotFound
from advisor.models import Citation

STATUSES = ("draft", "in_review", "approved", "rejected")


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
        return {
            "id": self.id,
            "kind": self.kind,
            "status": v.status,
            "title": self.title,
            "text": v.text,
            "citations": [c.as_contract() for c in v.citations],
            "version": v.version,
            "type": self.type,
            "client": self.client,
            "author": v.author,
            "reviewer": v.reviewer,
            "comment": v.comment,
            "created_at": self.created_at,
            "updated_at": v.ts,
        }


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _reviewer_name(reviewer: Any) -> str:
    """A reviewer is a signed-in User allowed to approve (a bare name proves nothing: four-eyes means two
    people, so the CLI asks for the reviewer's password and the app and API know who is signed in)."""
    if reviewer is None or (isinstance(reviewer, str) and not reviewer.strip()):
        raise WorkflowError("a reviewer is required to approve or reject a draft")
    if isinstance(reviewer, str):
        raise AccessDenied(f"{reviewer!r} is only a name: a review needs the signed-in reviewer")
    if not getattr(reviewer, "may_approve", False):
        raise AccessDenied(f"user {reviewer.username!r} ({reviewer.role}) may not approve or reject drafts")
    return reviewer.username


class DraftStore:
    """Drafts in the state database. ``db`` is the state database (:func:`advisor.db.open_database`), a
    database URL, or the path of a SQLite file (tests)."""

    def __init__(self, db: Database | str | os.PathLike) -> None:
        self.db = as_database(db)

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=WorkflowError, what="draft store")

    # ------------------------------------------------------------------ reading
    @staticmethod
    def _version(row: DraftVersionRow) -> Version:
        cites = tuple(Citation(**c) for c in row.citations)
        return Version(
            row.draft_id,
            row.version,
            row.text,
            cites,
            row.status,
            row.author,
            row.reviewer,
            row.comment,
            row.ts,
            row.submitted_at,
            row.reviewed_at,
        )

    @staticmethod
    def _latest(s: Session, draft_id: int) -> DraftVersionRow:
        return s.scalars(
            select(DraftVersionRow)
            .where(DraftVersionRow.draft_id == draft_id)
            .order_by(DraftVersionRow.version.desc())
            .limit(1)
        ).one()

    def _get(self, s: Session, draft_id: int) -> StoredDraft:
        d = s.get(DraftRow, int(draft_id))
        if d is None:
            raise NotFound(f"draft {draft_id} not found")
        return StoredDraft(
            d.id,
            d.client,
            d.kind,
            d.type,
            d.title,
            d.created_by,
            d.created_at,
            self._version(self._latest(s, d.id)),
        )

    def get(self, draft_id: int, *, user) -> StoredDraft:
        """The draft, for a ``user`` who may read its client (every method takes the principal)."""
        with self._session() as s:
            stored = self._get(s, draft_id)
        Access.require_read(user, stored.client)
        return stored

    def version(self, draft_id: int, version: int | None = None, *, user) -> Version:
        latest = self.get(draft_id, user=user).latest
        if version is None:
            return latest
        with self._session() as s:
            row = s.get(DraftVersionRow, (int(draft_id), int(version)))
            if row is None:
                raise NotFound(f"draft {draft_id} has no version {version}")
            return self._version(row)

    def history(self, draft_id: int, *, user) -> list[Version]:
        self.get(draft_id, user=user)
        with self._session() as s:
            rows = s.scalars(
                select(DraftVersionRow)
                .where(DraftVersionRow.draft_id == int(draft_id))
                .order_by(DraftVersionRow.version)
            )
            return [self._version(r) for r in rows]

    def list(self, client: str | None = None, *, user) -> list[StoredDraft]:
        """Drafts newest first, of ``client`` or of every client ``user`` may read."""
        if client is not None:
            Access.require_read(user, client)
        elif user is None:
            Access.require_read(user, client)  # refuses: no principal, no list
        query = select(DraftRow.id, DraftRow.client).order_by(DraftRow.id.desc())
        if client is not None:
            query = query.where(DraftRow.client == client)
        with self._session() as s:
            return [self._get(s, i) for i, c in s.execute(query).all() if Access.may_read(user, c)]

    def diff(self, draft_id: int, a: int, b: int, *, user) -> str:
        """A unified diff between two versions of a draft."""
        va, vb = self.version(draft_id, a, user=user), self.version(draft_id, b, user=user)
        return "".join(
            difflib.unified_diff(
                va.text.splitlines(keepends=True),
                vb.text.splitlines(keepends=True),
                fromfile=f"version {a}",
                tofile=f"version {b}",
            )
        )

    # ------------------------------------------------------------------ writing
    def create(self, draft: Draft, author: str, *, user) -> StoredDraft:
        Access.require_read(user, draft.client)
        if not author or not author.strip():
            raise WorkflowError("a draft needs an author")
        now = _now()
        with self._session(write=True) as s:
            row = DraftRow(
                client=draft.client,
                kind=draft.kind,
                type=draft.type,
                title=draft.title,
                created_by=author,
                created_at=now,
            )
            s.add(row)
            s.flush()
            self._insert(s, row.id, 1, draft.text, draft.citations, author, now)
            return self._get(s, row.id)

    @staticmethod
    def _insert(s: Session, draft_id: int, version: int, text: str, citations, author: str, now: str) -> None:
        s.add(
            DraftVersionRow(
                draft_id=draft_id,
                version=version,
                text=text,
                citations=[asdict(c) for c in citations],
                status="draft",
                author=author,
                ts=now,
            )
        )
        s.flush()

    def edit(self, draft_id: int, text: str, author: str, *, user) -> StoredDraft:
        """Save ``text`` as a new version (status draft). Earlier versions, approved ones included, stay as
        they were."""
        self.get(draft_id, user=user)
        if not text.strip():
            raise WorkflowError("the edited text is empty")
        if not author or not author.strip():
            raise WorkflowError("an edit needs an author")
        with self._session(write=True) as s:
            current = self._get(s, draft_id).latest
            if current.status == "in_review":
                raise WorkflowError(
                    f"draft {draft_id} version {current.version} is in review; approve or reject it first"
                )
            used = markers_in(text)
            have = {c.n: c for c in current.citations}
            missing = [n for n in used if n not in have]
            if missing:
                raise WorkflowError(
                    "the edited text cites "
                    + ", ".join(f"[{n}]" for n in missing)
                    + " but the draft has no such citation"
                )
            cites = tuple(have[n] for n in sorted(used))
            self._insert(s, int(draft_id), current.version + 1, text, cites, author, _now())
            return self._get(s, draft_id)

    def submit(self, draft_id: int, *, user) -> StoredDraft:
        self.get(draft_id, user=user)
        with self._session(write=True) as s:
            v = self._latest(s, int(draft_id))
            if v.status != "draft":
                raise WorkflowError(
                    f"only a draft can be submitted; version {v.version} is {v.status}"
                    + (" (edit it to create a new version)" if v.status in ("approved", "rejected") else "")
                )
            v.status, v.submitted_at = "in_review", _now()
            s.flush()
            stored, version = self._get(s, draft_id), v.version
        SecurityLog(self.db).record(
            "draft_submit",
            user=user,
            client=stored.client,
            obj=f"draft {draft_id}",
            detail=f"version {version}",
        )
        return stored

    def _review(self, draft_id: int, reviewer: Any, status: str, comment: str) -> StoredDraft:
        name = _reviewer_name(reviewer)
        with self._session(write=True) as s:
            stored = self._get(s, draft_id)
            if not reviewer.may_read(stored.client):
                raise AccessDenied(f"user {name!r} may not read client {stored.client!r}")
            v = self._latest(s, int(draft_id))
            if v.status != "in_review":
                raise WorkflowError(
                    f"only a draft in review can be {status}; version {v.version} is {v.status}"
                )
            if name == v.author:
                raise WorkflowError(
                    f"{name} wrote version {v.version} and may not review it (four-eyes principle)"
                )
            v.status, v.reviewer, v.comment, v.reviewed_at = status, name, comment.strip() or None, _now()
            s.flush()
            stored, version = self._get(s, draft_id), v.version
        event = "draft_approve" if status == "approved" else "draft_reject"
        SecurityLog(self.db).record(
            event, user=reviewer, client=stored.client, obj=f"draft {draft_id}", detail=f"version {version}"
        )
        return stored

    def approve(self, draft_id: int, reviewer: Any, comment: str = "") -> StoredDraft:
        return self._review(draft_id, reviewer, "approved", comment or "")

    def reject(self, draft_id: int, reviewer: Any, comment: str) -> StoredDraft:
        if not comment or not comment.strip():
            raise WorkflowError("rejecting a draft needs a comment that says what to change")
        return self._review(draft_id, reviewer, "rejected", comment)
