"""Audit log: every answer given, who asked, what was cited, and the reviewer's feedback.

Rows of ``audit_records`` in the state database (:mod:`advisor.db`), so every app replica, worker and
terminal writes to one log. Question and answer text live in the database only; logs carry ids and counts.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import func, select

from advisor.db import Database, as_database
from advisor.db.models import AuditRecordRow, utc_iso
from advisor.errors import AccessDenied, AdvisorError, NotFound
from advisor.models import Answer

log = logging.getLogger(__name__)

Rating = Literal["up", "down"]
RATINGS: tuple[str, ...] = ("up", "down")
MAX_LIMIT = 10_000


class AuditError(AdvisorError):
    """The audit log cannot be written or read, or was given an invalid value."""


@dataclass(frozen=True)
class AuditRecord:
    """One answered question. ``citations`` hold the contract shape ({n, source, title, page, ...})."""

    id: int
    ts: str  # UTC, ISO 8601
    user: str
    client: str | None
    audience: str
    engine: str
    question: str
    answer: str
    abstained: bool
    citations: tuple[dict[str, Any], ...]
    latency_ms: float
    feedback: str | None = None
    feedback_comment: str = ""

    @property
    def timestamp(self) -> datetime:
        return datetime.fromisoformat(self.ts)

    def as_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict of every field."""
        return {
            "id": self.id,
            "ts": self.ts,
            "user": self.user,
            "client": self.client,
            "audience": self.audience,
            "engine": self.engine,
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [dict(c) for c in self.citations],
            "latency_ms": self.latency_ms,
            "feedback": self.feedback,
            "feedback_comment": self.feedback_comment,
        }


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _bound(value: date | datetime, *, end: bool) -> str:
    """An ISO timestamp bound for a filter. A plain date covers the whole UTC day."""
    if isinstance(value, datetime):
        return utc_iso(value)
    day = value + timedelta(days=1) if end else value
    return utc_iso(datetime.combine(day, time.min, tzinfo=UTC))


def _row_to_record(row: AuditRecordRow) -> AuditRecord:
    return AuditRecord(
        id=int(row.id),
        ts=row.ts,
        user=row.username,
        client=row.client,
        audience=row.audience,
        engine=row.engine,
        question=row.question,
        answer=row.answer,
        abstained=bool(row.abstained),
        citations=tuple(row.citations),
        latency_ms=float(row.latency_ms),
        feedback=row.feedback,
        feedback_comment=row.feedback_comment or "",
    )


class AuditLog:
    """Append-only record of answers, with feedback. Safe to share between threads and processes.

    ``db`` is the state database (:func:`advisor.db.open_database`), a database URL, or the path of a
    SQLite file (tests).
    """

    def __init__(self, db: Database | str | os.PathLike, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.db = as_database(db)
        self._clock = clock

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=AuditError, what="audit log")

    def record(self, answer: Answer, *, user: str) -> int:
        """Store one answer given to ``user``; return the new record id."""
        if not user:
            raise AuditError("an audit record needs the user who asked")
        row = AuditRecordRow(
            ts=utc_iso(self._clock()),
            username=user,
            client=answer.client,
            audience=answer.audience,
            engine=answer.backend,
            question=answer.question,
            answer=answer.text,
            abstained=bool(answer.abstained),
            citations=[c.as_contract() for c in answer.citations],
            latency_ms=round(float(answer.latency_ms), 1),
            feedback_comment="",
        )
        with self._session(write=True) as s:
            s.add(row)
            s.flush()
            record_id = int(row.id)
        log.info(
            "audit record %d: client=%s engine=%s citations=%d abstained=%s",
            record_id,
            answer.client,
            answer.backend,
            len(answer.citations),
            answer.abstained,
        )
        return record_id

    def set_feedback(self, record_id: int, rating: Rating, comment: str = "", *, user: str) -> AuditRecord:
        """Store ``user``'s rating of their own answer; returns the updated record.

        Raises NotFound for an unknown id and AccessDenied when ``user`` did not ask the question.
        """
        if rating not in RATINGS:
            raise AuditError(f"invalid rating {rating!r}: use one of {', '.join(RATINGS)}")
        with self._session(write=True) as s:
            row = s.get(AuditRecordRow, int(record_id))
            if row is None:
                raise NotFound(f"audit record {record_id} does not exist")
            if row.username != user:
                raise AccessDenied(f"user {user!r} may not give feedback on audit record {record_id}")
            row.feedback, row.feedback_comment = rating, (comment or "").strip()
        log.info("audit record %d: feedback=%s", record_id, rating)
        return self.get(record_id)

    def get(self, record_id: int) -> AuditRecord:
        """The record with this id; raises NotFound."""
        with self._session() as s:
            row = s.get(AuditRecordRow, int(record_id))
            if row is None:
                raise NotFound(f"audit record {record_id} does not exist")
            return _row_to_record(row)

    def list(
        self,
        client: str | None = None,
        user: str | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 200,
        *,
        clients: Iterable[str] | None = None,
    ) -> list[AuditRecord]:
        """Records, newest first, filtered by client, user and UTC date range (both days inclusive).

        ``clients`` restricts the result to these clients (e.g. the ones a consultant may read); an
        empty collection matches nothing. A ``datetime`` bound is used exactly.
        """
        query = select(AuditRecordRow)
        if client is not None:
            query = query.where(AuditRecordRow.client == client)
        if clients is not None:
            allowed = sorted(set(clients))
            if not allowed:
                return []
            query = query.where(AuditRecordRow.client.in_(allowed))
        if user is not None:
            query = query.where(AuditRecordRow.username == user)
        if since is not None:
            query = query.where(AuditRecordRow.ts >= _bound(since, end=False))
        if until is not None:
            bound = _bound(until, end=True)
            inclusive = isinstance(until, datetime)  # a datetime is used exactly; a date covers its whole day
            query = query.where(AuditRecordRow.ts <= bound if inclusive else AuditRecordRow.ts < bound)
        limit = max(0, min(int(limit), MAX_LIMIT))
        query = query.order_by(AuditRecordRow.ts.desc(), AuditRecordRow.id.desc()).limit(limit)
        with self._session() as s:
            records = [_row_to_record(r) for r in s.scalars(query)]
        log.debug("audit list: %d records", len(records))
        return records

    def count(self) -> int:
        """Number of records in the log."""
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(AuditRecordRow)) or 0)
