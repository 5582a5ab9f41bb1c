"""Audit log: every answer given, who asked, what was cited, and the reviewer's feedback.

SQLite in WAL mode with one short-lived connection per call, so Streamlit's threads can share one
``AuditLog``. Question and answer text live in the database only; logs carry ids and counts.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

from advisor.database import connect, create
from advisor.errors import AccessDenied, AdvisorError, NotFound
from advisor.models import Answer

log = logging.getLogger(__name__)

Rating = Literal["up", "down"]
RATINGS: tuple[str, ...] = ("up", "down")
MAX_LIMIT = 10_000

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    user TEXT NOT NULL,
    client TEXT,
    audience TEXT NOT NULL,
    engine TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    citations TEXT NOT NULL,
    latency_ms REAL NOT NULL,
    feedback TEXT CHECK (feedback IN ('up', 'down')),
    feedback_comment TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS records_client_ts ON records (client, ts);
CREATE INDEX IF NOT EXISTS records_user_ts ON records (user, ts);
CREATE INDEX IF NOT EXISTS records_ts ON records (ts);
"""

_COLUMNS = ("id, ts, user, client, audience, engine, question, answer, abstained, citations, "
            "latency_ms, feedback, feedback_comment")


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
            "id": self.id, "ts": self.ts, "user": self.user, "client": self.client,
            "audience": self.audience, "engine": self.engine, "question": self.question,
            "answer": self.answer, "abstained": self.abstained,
            "citations": [dict(c) for c in self.citations], "latency_ms": self.latency_ms,
            "feedback": self.feedback, "feedback_comment": self.feedback_comment,
        }


def _utcnow() -> datetime:
    return datetime.now(UTC)


def _iso(value: datetime) -> str:
    """Fixed-width UTC ISO 8601, so that text order is time order in SQLite."""
    dt = value if value.tzinfo else value.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def _bound(value: date | datetime, *, end: bool) -> str:
    """An ISO timestamp bound for a filter. A plain date covers the whole UTC day."""
    if isinstance(value, datetime):
        return _iso(value)
    day = value + timedelta(days=1) if end else value
    return _iso(datetime.combine(day, time.min, tzinfo=UTC))


def _row_to_record(row: sqlite3.Row) -> AuditRecord:
    return AuditRecord(
        id=int(row["id"]), ts=row["ts"], user=row["user"], client=row["client"],
        audience=row["audience"], engine=row["engine"], question=row["question"],
        answer=row["answer"], abstained=bool(row["abstained"]),
        citations=tuple(json.loads(row["citations"])), latency_ms=float(row["latency_ms"]),
        feedback=row["feedback"], feedback_comment=row["feedback_comment"] or "",
    )


class AuditLog:
    """Append-only record of answers, with feedback. Safe to share between threads."""

    def __init__(self, path: Path, *, clock: Callable[[], datetime] = _utcnow) -> None:
        self.path = Path(path)
        self._clock = clock
        create(self.path, _SCHEMA, AuditError, "audit log")

    def _connect(self):
        return connect(self.path, AuditError, "audit log")

    def record(self, answer: Answer, *, user: str) -> int:
        """Store one answer given to ``user``; return the new record id."""
        if not user:
            raise AuditError("an audit record needs the user who asked")
        ts = _iso(self._clock())
        citations = json.dumps([c.as_contract() for c in answer.citations], ensure_ascii=False)
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO records (ts, user, client, audience, engine, question, answer, abstained,"
                " citations, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (ts, user, answer.client, answer.audience, answer.backend, answer.question,
                 answer.text, int(answer.abstained), citations, float(answer.latency_ms)),
            )
            record_id = int(cur.lastrowid or 0)
        log.info("audit record %d: client=%s engine=%s citations=%d abstained=%s",
                 record_id, answer.client, answer.backend, len(answer.citations), answer.abstained)
        return record_id

    def set_feedback(self, record_id: int, rating: Rating, comment: str = "", *, user: str) -> AuditRecord:
        """Store ``user``'s rating of their own answer; returns the updated record.

        Raises NotFound for an unknown id and AccessDenied when ``user`` did not ask the question.
        """
        if rating not in RATINGS:
            raise AuditError(f"invalid rating {rating!r}: use one of {', '.join(RATINGS)}")
        with self._connect() as conn:
            row = conn.execute("SELECT user FROM records WHERE id = ?", (int(record_id),)).fetchone()
            if row is None:
                raise NotFound(f"audit record {record_id} does not exist")
            if row["user"] != user:
                raise AccessDenied(f"user {user!r} may not give feedback on audit record {record_id}")
            conn.execute("UPDATE records SET feedback = ?, feedback_comment = ? WHERE id = ?",
                         (rating, (comment or "").strip(), int(record_id)))
        log.info("audit record %d: feedback=%s", record_id, rating)
        return self.get(record_id)

    def get(self, record_id: int) -> AuditRecord:
        """The record with this id; raises NotFound."""
        with self._connect() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM records WHERE id = ?", (int(record_id),)).fetchone()
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
        where: list[str] = []
        args: list[Any] = []
        if client is not None:
            where.append("client = ?")
            args.append(client)
        if clients is not None:
            allowed = sorted(set(clients))
            if not allowed:
                return []
            where.append(f"client IN ({', '.join('?' * len(allowed))})")
            args.extend(allowed)
        if user is not None:
            where.append("user = ?")
            args.append(user)
        if since is not None:
            where.append("ts >= ?")
            args.append(_bound(since, end=False))
        if until is not None:
            if isinstance(until, datetime):
                where.append("ts <= ?")
            else:
                where.append("ts < ?")
            args.append(_bound(until, end=True))
        limit = max(0, min(int(limit), MAX_LIMIT))
        sql = f"SELECT {_COLUMNS} FROM records"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY ts DESC, id DESC LIMIT ?"
        with self._connect() as conn:
            rows = conn.execute(sql, (*args, limit)).fetchall()
        log.debug("audit list: %d records", len(rows))
        return [_row_to_record(r) for r in rows]

    def count(self) -> int:
        """Number of records in the log."""
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM records").fetchone()[0])
