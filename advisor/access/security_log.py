"""Security events: sign-ins, uploads, deletions, re-scans, exports, downloads, user and role changes, draft
reviews, gap and questionnaire runs, refused access — who, when, from where, on which client and object.

Rows of ``security_events`` in the state database, written by the core operations themselves (Advisor
methods, the draft and user stores, job submission), so the app, the CLI and the API are all covered. The
source of a request (the client's IP address, ``app``, ``cli`` or ``api``) is a context variable that each
entry point sets with :func:`request_source`; ``AccessDenied`` raised anywhere is recorded through
:func:`install`, which the Advisor calls with its database.
"""

from __future__ import annotations

import contextvars
import logging
import os
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from advisor.db import Database, as_database
from advisor.db.models import SecurityEventRow, utc_iso
from advisor.errors import AdvisorError

log = logging.getLogger(__name__)

EVENT_TYPES: tuple[str, ...] = (
    "sign_in",
    "sign_in_failed",
    "sign_in_locked",
    "sign_out",
    "session_expired",
    "password_changed",
    "upload",
    "delete",
    "rescan",
    "export",
    "download",
    "user_added",
    "user_removed",
    "role_changed",
    "clients_assigned",
    "user_disabled",
    "user_enabled",
    "draft_submit",
    "draft_approve",
    "draft_reject",
    "gap_run",
    "questionnaire_run",
    "access_denied",
)
MAX_LIMIT = 10_000

_SOURCE: contextvars.ContextVar[str] = contextvars.ContextVar("vciso_request_source", default="")
_ACTOR: contextvars.ContextVar[str] = contextvars.ContextVar("vciso_request_actor", default="")


class SecurityLogError(AdvisorError):
    """The security event log cannot be written or read, or was given an invalid value."""


@dataclass(frozen=True)
class SecurityEvent:
    id: int
    ts: str
    event: str
    user: str
    source: str
    client: str | None
    object: str
    outcome: str
    detail: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "ts": self.ts,
            "event": self.event,
            "user": self.user,
            "source": self.source,
            "client": self.client,
            "object": self.object,
            "outcome": self.outcome,
            "detail": self.detail,
        }


def current_source() -> str:
    """Where the current request comes from: an IP address or ``app`` (default ``local``: the terminal)."""
    return _SOURCE.get() or "local"


def current_actor() -> str:
    return _ACTOR.get()


@contextmanager
def request_source(source: str | None, actor: str | None = None) -> Iterator[None]:
    """Run a block as one request from ``source`` (IP address or channel) on behalf of ``actor``."""
    token = _SOURCE.set(str(source or "")[:100])
    actor_token = _ACTOR.set(str(actor or "")[:300])
    try:
        yield
    finally:
        _SOURCE.reset(token)
        _ACTOR.reset(actor_token)


def set_request_source(source: str | None, actor: str | None = None) -> None:
    """Set the source for the rest of this thread's run (a Streamlit script run is one thread)."""
    _SOURCE.set(str(source or "")[:100])
    _ACTOR.set(str(actor or "")[:300])


def _bound(value: date | datetime, *, end: bool) -> str:
    if isinstance(value, datetime):
        return utc_iso(value)
    day = value + timedelta(days=1) if end else value
    return utc_iso(datetime.combine(day, time.min, tzinfo=UTC))


def _name(user: Any) -> str:
    if user is None:
        return current_actor() or "anonymous"
    return str(getattr(user, "username", user))


class SecurityLog:
    """Append-only log of security events in the state database."""

    def __init__(
        self, db: Database | str | os.PathLike, *, clock: Callable[[], datetime] | None = None
    ) -> None:
        self.db = as_database(db)
        self._clock = clock or (lambda: datetime.now(UTC))

    def record(
        self,
        event: str,
        *,
        user: Any,
        client: str | None = None,
        obj: str = "",
        outcome: str = "ok",
        detail: str = "",
        source: str | None = None,
    ) -> int:
        """Store one event; ``user`` is a User, a user name or None (the request's actor, else anonymous)."""
        if event not in EVENT_TYPES:
            raise SecurityLogError(f"unknown security event {event!r}: use one of {', '.join(EVENT_TYPES)}")
        row = SecurityEventRow(
            ts=utc_iso(self._clock()),
            event=event,
            username=_name(user)[:300],
            source=(source or current_source())[:100],
            client=client,
            object=str(obj or ""),
            outcome=str(outcome)[:16],
            detail=str(detail or ""),
        )
        with self.db.session(write=True, error=SecurityLogError, what="security log") as s:
            s.add(row)
            s.flush()
            event_id = int(row.id)
        log.info("security event %d: %s outcome=%s", event_id, event, outcome)
        return event_id

    def list(
        self,
        *,
        event: str | Iterable[str] | None = None,
        user: str | None = None,
        client: str | None = None,
        clients: Iterable[str] | None = None,
        since: date | None = None,
        until: date | None = None,
        limit: int = 200,
        include_unscoped: bool = True,
    ) -> list[SecurityEvent]:
        """Events, newest first. ``clients`` restricts client-scoped events to these clients; events without a
        client (sign-ins, user changes) are kept when ``include_unscoped``."""
        query = select(SecurityEventRow)
        if event is not None:
            wanted = [event] if isinstance(event, str) else list(event)
            unknown = [e for e in wanted if e not in EVENT_TYPES]
            if unknown:
                raise SecurityLogError(
                    f"unknown security event {unknown[0]!r}: use one of {', '.join(EVENT_TYPES)}"
                )
            query = query.where(SecurityEventRow.event.in_(wanted))
        if user is not None:
            query = query.where(SecurityEventRow.username == user)
        if client is not None:
            query = query.where(SecurityEventRow.client == client)
        if clients is not None:
            allowed = sorted(set(clients))
            scoped = SecurityEventRow.client.in_(allowed)
            query = query.where(scoped | SecurityEventRow.client.is_(None) if include_unscoped else scoped)
        if since is not None:
            query = query.where(SecurityEventRow.ts >= _bound(since, end=False))
        if until is not None:
            bound = _bound(until, end=True)
            query = query.where(
                SecurityEventRow.ts <= bound if isinstance(until, datetime) else SecurityEventRow.ts < bound
            )
        limit = max(0, min(int(limit), MAX_LIMIT))
        query = query.order_by(SecurityEventRow.ts.desc(), SecurityEventRow.id.desc()).limit(limit)
        with self.db.session(error=SecurityLogError, what="security log") as s:
            return [
                SecurityEvent(
                    id=int(r.id),
                    ts=r.ts,
                    event=r.event,
                    user=r.username,
                    source=r.source,
                    client=r.client,
                    object=r.object,
                    outcome=r.outcome,
                    detail=r.detail,
                )
                for r in s.scalars(query)
            ]


_INSTALLED: list[SecurityLog] = []
_INSTALL_LOCK = threading.Lock()
_DENIALS: queue.Queue = queue.Queue()
_WRITER: list[threading.Thread] = []


def install(db: Database) -> SecurityLog:
    """Make ``db``'s security log the one refused access is recorded in (the latest installed wins)."""
    sec = SecurityLog(db)
    with _INSTALL_LOCK:
        _INSTALLED[:] = [sec]
    return sec


def _write_denials() -> None:
    while True:
        sec, kwargs = _DENIALS.get()
        try:
            sec.record("access_denied", **kwargs)
        except Exception as exc:  # noqa: BLE001 - the log being unavailable must not stop the writer
            log.warning("could not record a refused access: %s", type(exc).__name__)
        finally:
            _DENIALS.task_done()


def record_denial(message: str, *, user: Any = None, client: str | None = None, obj: str = "") -> None:
    """Queue a refused access for the installed log; never raises (the refusal itself must go through).

    The write happens on a background thread: a refusal is often raised inside a write transaction, which
    on SQLite holds the database until it rolls back."""
    with _INSTALL_LOCK:
        sec = _INSTALLED[0] if _INSTALLED else None
        if sec is None:
            return
        if not _WRITER or not _WRITER[0].is_alive():
            _WRITER[:] = [threading.Thread(target=_write_denials, name="vciso-denials", daemon=True)]
            _WRITER[0].start()
    _DENIALS.put(
        (
            sec,
            {
                "user": _name(user),
                "client": client,
                "obj": obj,
                "outcome": "denied",
                "detail": message,
                "source": current_source(),
            },
        )
    )


def flush_denials() -> None:
    """Wait until every queued refusal is written (tests, and before a CLI process exits)."""
    _DENIALS.join()
