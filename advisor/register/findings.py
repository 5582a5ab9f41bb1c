"""The findings register: one ``Finding`` model, proposals, review, status history.

Extraction (:mod:`advisor.register.extract`) only *proposes*: nothing enters the register until a
consultant confirms it (optionally editing fields) or rejects it. A confirmed finding's status changes
with a note, and every change is kept as an event. Re-extracting a changed report proposes an update of
the confirmed finding (``replaces``) instead of a duplicate; confirming that proposal merges it. "Changed"
means changed since the report was last read: a consultant's edits and status updates are not re-proposed
away by the next extraction.

Every method takes the principal: reading needs read access to the client, changes need a consultant or
an admin (executives read only).
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.access.policy import Access
from advisor.db import Database, as_database, utc_iso
from advisor.db.models import FindingEventRow, FindingRow
from advisor.errors import AccessDenied, AdvisorError, NotFound
from ingest.types import Chunk

SEVERITIES = ("critical", "high", "medium", "low", "info")
STATUSES = ("open", "in_progress", "closed", "risk_accepted")
EDITABLE = ("title", "severity", "owner", "due", "status")
FIELDS = ("ref", "title", "severity", "owner", "due", "status", "framework_refs", "source", "page", "quote")
STORED = (*FIELDS, "client", "key", "review", "replaces", "created_at", "updated_at", "history")


class RegisterError(AdvisorError):
    """A register operation that cannot be done (bad value, wrong review state, database failure)."""


@dataclass(frozen=True)
class Finding:
    """A finding of an audit, assessment or pen-test report: the one finding type of the product.

    ``ref`` is the report's own id ("F-01", "L-03", "4.2", "Finding 7"); ``key`` is the register's row id.
    ``framework_refs`` are ``{"framework": registry key, "clause": clause id}``. The register keeps the
    fields up to ``history``; ``reference`` (the report's own reference text, "164.312(d)", "PCI DSS
    8.3.6"), ``observation``, ``recommendation`` and ``chunk`` (the report passage it was read from) are
    read from the report when it is parsed or linked (:mod:`advisor.drafting.findings`), never stored.
    ``status_from`` is set when a report states the status as of its own date (a later report listing the
    finding as closed, :mod:`advisor.register.supersede`): ``{"date", "source", "page", "quote", "note"}``;
    confirming the proposal records the change dated by that document, with its citation.
    """

    ref: str
    title: str
    severity: str = ""
    owner: str = ""
    due: str | None = None
    status: str = "open"
    framework_refs: tuple[dict, ...] = ()
    source: str = ""
    page: int | None = None
    quote: str = ""
    client: str = ""
    key: int | None = None
    review: str = "proposed"
    replaces: int | None = None
    created_at: str = ""
    updated_at: str = ""
    history: tuple[dict, ...] = field(default=(), compare=False)
    reference: str = field(default="", compare=False)
    observation: str = field(default="", compare=False)
    recommendation: str = field(default="", compare=False)
    chunk: Chunk | None = field(default=None, compare=False, repr=False)
    status_from: dict | None = field(default=None, compare=False)

    @property
    def text(self) -> str:
        """Title and observation: what the finding is about (compared with requirements and questions)."""
        return f"{self.title}. {self.observation}" if self.observation else self.title

    @property
    def is_open(self) -> bool:
        return self.status in ("open", "in_progress")

    def overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.due is not None and self.due < (today or date.today()).isoformat()

    @property
    def rank(self) -> tuple:
        sev = SEVERITIES.index(self.severity) if self.severity in SEVERITIES else len(SEVERITIES)
        return (sev, self.due or "9999", self.ref)

    def content(self) -> dict[str, Any]:
        """The fields a report states (compared when a report is re-extracted)."""
        values = ((k, getattr(self, k)) for k in FIELDS)
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in values}

    def as_json(self) -> dict[str, Any]:
        """The register's fields (the `findings --json` shape)."""
        out = {k: getattr(self, k) for k in STORED}
        out["framework_refs"] = list(self.framework_refs)
        out["history"] = list(self.history)
        out["overdue"] = self.overdue()
        return out


def normalise_severity(text: str) -> str:
    low = (text or "").strip().lower()
    low = {"informational": "info", "moderate": "medium", "very high": "critical"}.get(low, low)
    if low and low not in SEVERITIES:
        raise RegisterError(f"unknown severity {text!r}: use one of {', '.join(SEVERITIES)}")
    return low


def normalise_status(text: str) -> str:
    low = (text or "open").strip().lower().replace(" ", "_").replace("-", "_")
    low = {
        "remediated": "closed",
        "resolved": "closed",
        "done": "closed",
        "accepted": "risk_accepted",
        "in_remediation": "in_progress",
        "ongoing": "in_progress",
        "not_started": "open",
    }.get(low, low)
    if low not in STATUSES:
        raise RegisterError(f"unknown status {text!r}: use one of {', '.join(STATUSES)}")
    return low


def _check_due(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise RegisterError(f"due date {value!r} is not YYYY-MM-DD") from None


def require_editor(user) -> None:
    if user is None or getattr(user, "role", "") not in ("admin", "consultant"):
        name = getattr(user, "username", "anonymous")
        raise AccessDenied(
            f"user {name!r} may not change the findings register (consultants and admins only)"
        )


class FindingsRegister:
    """The findings register in the state database (``db``: a Database, URL or SQLite path)."""

    def __init__(self, db: Database | str | os.PathLike) -> None:
        self.db = as_database(db)

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=RegisterError, what="findings register")

    # ------------------------------------------------------------------ reading
    @staticmethod
    def _finding(row: FindingRow, events: Sequence[FindingEventRow] = ()) -> Finding:
        hist = tuple(
            {
                "ts": e.ts,
                "date": e.dated or e.ts[:10],
                "origin": "document" if e.dated else "person",
                "citation": e.citation,
                "user": e.username,
                "action": e.action,
                "note": e.note,
                "changes": e.changes,
            }
            for e in events
        )
        return Finding(
            ref=row.ref,
            title=row.title,
            severity=row.severity,
            owner=row.owner,
            due=row.due,
            status=row.status,
            framework_refs=tuple(row.framework_refs),
            source=row.source,
            page=row.page,
            quote=row.quote,
            client=row.client,
            key=row.id,
            review=row.review,
            replaces=row.replaces,
            created_at=row.created_at,
            updated_at=row.updated_at,
            history=hist,
        )

    def _row(self, s: Session, key: int, client: str, user) -> FindingRow:
        Access.require_read(user, client)
        row = s.get(FindingRow, int(key))
        if row is None or row.client != client:
            raise NotFound(f"finding #{key} not found for client {client!r}")
        return row

    def list(
        self, client: str, *, user, review: str | tuple[str, ...] = "confirmed", history: bool = False
    ) -> list[Finding]:
        """The client's findings in ``review`` state(s) (default: the register itself), most severe first."""
        Access.require_read(user, client)
        states = (review,) if isinstance(review, str) else tuple(review)
        with self._session() as s:
            rows = s.scalars(
                select(FindingRow).where(FindingRow.client == client, FindingRow.review.in_(states))
            ).all()
            out = [self._finding(r, self._events(s, r.id) if history else []) for r in rows]
        return sorted(out, key=lambda f: f.rank)

    @staticmethod
    def _events(s: Session, key: int) -> builtins.list[FindingEventRow]:
        return list(
            s.scalars(
                select(FindingEventRow).where(FindingEventRow.finding_id == key).order_by(FindingEventRow.id)
            ).all()
        )

    def get(self, client: str, key: int, *, user) -> Finding:
        with self._session() as s:
            row = self._row(s, key, client, user)
            return self._finding(row, self._events(s, row.id))

    # ------------------------------------------------------------------ proposing
    def propose(
        self, client: str, extracted: Sequence[Finding], *, user
    ) -> dict[str, builtins.list[Finding]]:
        """Record extracted findings as proposals. Returns ``{"new", "updates", "unchanged"}``: a finding
        whose ref is not in the register is proposed; one that differs from its confirmed entry is proposed
        as an update of it; one the report states as it did when last read is unchanged."""
        Access.require_read(user, client)
        require_editor(user)
        out: dict[str, builtins.list[Finding]] = {"new": [], "updates": [], "unchanged": []}
        now = utc_iso()
        with self._session(write=True) as s:
            for f in extracted:
                rows = s.scalars(
                    select(FindingRow).where(FindingRow.client == client, FindingRow.ref == f.ref)
                ).all()
                content = f.content()
                reading = {**content, "status_from": f.status_from} if f.status_from else content
                if rows and self._last_reading(s, [r.id for r in rows]) == reading:
                    kept = next((r for r in rows if r.review == "confirmed"), rows[-1])
                    out["unchanged"].append(self._finding(kept))
                    continue
                confirmed = next((r for r in rows if r.review == "confirmed"), None)
                pending = next((r for r in rows if r.review == "proposed"), None)
                if pending is not None:  # a newer reading of the report replaces the pending proposal
                    self._apply(pending, content, now)
                    self._event(s, pending.id, user, "reproposed", "", reading)
                    row = pending
                else:
                    row = FindingRow(
                        client=client,
                        review="proposed",
                        replaces=confirmed.id if confirmed else None,
                        created_at=now,
                        updated_at=now,
                        **self._columns(content),
                    )
                    s.add(row)
                    s.flush()
                    self._event(s, row.id, user, "proposed", "", reading)
                out["updates" if row.replaces else "new"].append(self._finding(row))
        return out

    @staticmethod
    def _last_reading(s: Session, keys: builtins.list[int]) -> dict[str, Any] | None:
        """What the report said the last time it was read (people's later edits and status updates are not
        a change of the report, so they never cause a new proposal)."""
        event = s.scalars(
            select(FindingEventRow)
            .where(
                FindingEventRow.finding_id.in_(keys), FindingEventRow.action.in_(("proposed", "reproposed"))
            )
            .order_by(FindingEventRow.id.desc())
            .limit(1)
        ).first()
        return event.changes if event is not None else None

    @staticmethod
    def _content(row: FindingRow) -> dict[str, Any]:
        return {k: getattr(row, k) for k in FIELDS}

    @staticmethod
    def _columns(content: dict[str, Any]) -> dict[str, Any]:
        c = dict(content)
        c["framework_refs"] = list(c.get("framework_refs") or [])
        c["severity"] = normalise_severity(c.get("severity", ""))
        c["status"] = normalise_status(c.get("status") or "open")
        c["due"] = _check_due(c.get("due"))
        return c

    def _apply(self, row: FindingRow, content: dict[str, Any], now: str) -> None:
        for k, v in self._columns(content).items():
            setattr(row, k, v)
        row.updated_at = now

    @staticmethod
    def _event(
        s: Session, key: int, user, action: str, note: str, changes: dict[str, Any], doc: dict | None = None
    ) -> None:
        """Record a change; ``doc`` (a report's ``status_from``) dates it by that document and cites it."""
        s.add(
            FindingEventRow(
                finding_id=key,
                ts=utc_iso(),
                username=user.username,
                action=action,
                note=note,
                changes=changes,
                dated=doc["date"] if doc else None,
                citation={k: doc.get(k) for k in ("source", "page", "quote")} if doc else None,
            )
        )

    def _reported(self, s: Session, key: int, user, doc: dict | None, before: str, after: str) -> bool:
        """Record the status a report states as a change dated by that report (``doc``: its ``status_from``),
        distinct from people's changes; False when there is no such document statement."""
        if not doc or before == after:
            return False
        note = doc.get("note") or f"status stated by {doc.get('source')} ({doc['date']})"
        self._event(s, key, user, "reported", note, {"status": [before, after]}, doc)
        return True

    # ------------------------------------------------------------------ reviewing
    def confirm(
        self, client: str, key: int, *, user, edits: dict[str, Any] | None = None, note: str = ""
    ) -> Finding:
        """Confirm a proposal (with the consultant's ``edits``); an update proposal is merged into its
        finding."""
        require_editor(user)
        edits = self._edits(edits)
        now = utc_iso()
        with self._session(write=True) as s:
            row = self._row(s, key, client, user)
            if row.review != "proposed":
                raise RegisterError(f"finding #{key} is {row.review}, not a proposal")
            if row.replaces is not None:
                target = s.get(FindingRow, row.replaces)
                # Only what the report changed since it was last read is applied, so people's edits and
                # status updates of fields the report did not change stand.
                others = s.scalars(
                    select(FindingRow.id).where(
                        FindingRow.client == client, FindingRow.ref == row.ref, FindingRow.id != row.id
                    )
                ).all()
                before = self._last_reading(s, list(others)) or {}
                doc = (self._last_reading(s, [row.id]) or {}).get("status_from")
                report = {k: v for k, v in self._content(row).items() if before.get(k) != v}
                changes = {k: v for k, v in {**report, **edits}.items() if getattr(target, k) != v}
                old_status = target.status
                for k, v in changes.items():
                    setattr(target, k, v)
                target.updated_at = now
                row.review, row.updated_at = "merged", now
                self._event(s, row.id, user, "merged", note, {"into": target.id})
                if "status" in changes and "status" not in edits:
                    if self._reported(s, target.id, user, doc, old_status, changes["status"]):
                        del changes["status"]
                if changes:
                    self._event(
                        s, target.id, user, "updated", note or "updated from the re-extracted report", changes
                    )
                row = target
            else:
                for k, v in edits.items():
                    setattr(row, k, v)
                row.review, row.updated_at = "confirmed", now
                self._event(s, row.id, user, "confirmed", note, edits)
                if "status" not in edits:
                    doc = (self._last_reading(s, [row.id]) or {}).get("status_from")
                    self._reported(s, row.id, user, doc, "open", row.status)
            return self._finding(row, self._events(s, row.id))

    def reject(self, client: str, key: int, *, user, note: str = "") -> Finding:
        require_editor(user)
        with self._session(write=True) as s:
            row = self._row(s, key, client, user)
            if row.review != "proposed":
                raise RegisterError(f"finding #{key} is {row.review}, not a proposal")
            row.review, row.updated_at = "rejected", utc_iso()
            self._event(s, row.id, user, "rejected", note, {})
            return self._finding(row, self._events(s, row.id))

    def update(self, client: str, key: int, *, user, note: str, **changes: Any) -> Finding:
        """Change a confirmed finding (status, owner, due date ...) with a note; the history keeps it."""
        require_editor(user)
        if not note.strip():
            raise RegisterError("an update needs a note (why the finding changed)")
        edits = self._edits(changes)
        if not edits:
            raise RegisterError(f"nothing to update: give one of {', '.join(EDITABLE)}")
        with self._session(write=True) as s:
            row = self._row(s, key, client, user)
            if row.review != "confirmed":
                raise RegisterError(f"finding #{key} is {row.review}: confirm it before updating it")
            before = {k: getattr(row, k) for k in edits}
            for k, v in edits.items():
                setattr(row, k, v)
            row.updated_at = utc_iso()
            self._event(
                s,
                row.id,
                user,
                "status" if set(edits) == {"status"} else "edited",
                note,
                {k: [before[k], v] for k, v in edits.items()},
            )
            return self._finding(row, self._events(s, row.id))

    @staticmethod
    def _edits(edits: dict[str, Any] | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in (edits or {}).items():
            if v is None:
                continue
            if k not in EDITABLE:
                raise RegisterError(f"field {k!r} cannot be edited: use one of {', '.join(EDITABLE)}")
            out[k] = {"severity": normalise_severity, "status": normalise_status, "due": _check_due}.get(
                k, str
            )(v)
        return out
