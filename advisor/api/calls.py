"""Evidence of every API call, and the request-body limit. Two pure ASGI middlewares.

:class:`CallAudit` records each call under ``/v1/`` — who (user and token id), what (method, route
template such as ``/v1/clients/{id}/sources``), which client, the status and the duration — in
``api_calls`` of the state database. Calls refused for a missing or bad token are recorded too (user
``-``). Question and answer text are not recorded here: answers go to the answer audit log
(:mod:`advisor.audit`), as in the app, with the token's user as the asker.

:class:`BodyLimit` enforces the upload limit before the body is read: a ``Content-Length`` over the
limit is answered 413 at once, and a body without one (chunked) is counted as it streams and cut off
at the limit.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from advisor.api.problems import MEDIA_TYPE, ApiProblem
from advisor.database import connect, create
from advisor.errors import AdvisorError

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_calls (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ts TEXT NOT NULL,
    username TEXT NOT NULL,
    token_id TEXT,
    method TEXT NOT NULL,
    route TEXT NOT NULL,
    client TEXT,
    status INTEGER NOT NULL,
    duration_ms REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS api_calls_ts ON api_calls (ts);
"""


class CallLogError(AdvisorError):
    """The API call log cannot be written or read."""


@dataclass(frozen=True)
class Call:
    id: int
    ts: str
    username: str
    token_id: str | None
    method: str
    route: str
    client: str | None
    status: int
    duration_ms: float

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "ts": self.ts, "user": self.username, "token": self.token_id, "method": self.method,
                "route": self.route, "client": self.client, "status": self.status, "duration_ms": self.duration_ms}


class CallLog:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        create(self.path, _SCHEMA, CallLogError, "API call log")

    def record(self, username: str, token_id: str | None, method: str, route: str, client: str | None,
               status: int, duration_ms: float) -> None:
        with connect(self.path, CallLogError, "API call log") as conn:
            conn.execute("INSERT INTO api_calls (ts, username, token_id, method, route, client, status, duration_ms) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (datetime.now(UTC).isoformat(timespec="milliseconds"), username, token_id, method, route,
                          client, int(status), round(duration_ms, 1)))

    def list(self, *, clients: list[str] | None = None, user: str | None = None, limit: int = 200) -> list[Call]:
        """Calls, newest first; ``clients`` keeps calls about those clients (and ``user``'s own calls)."""
        with connect(self.path, CallLogError, "API call log") as conn:
            rows = conn.execute("SELECT * FROM api_calls WHERE (? IS NULL OR username = ?) ORDER BY id DESC LIMIT ?",
                                (user, user, max(0, min(int(limit), 10_000)))).fetchall()
        calls = [Call(**dict(r)) for r in rows]
        return [c for c in calls if clients is None or c.client in clients]


class CallAudit:
    """Records every ``/v1/`` call after its response started (streams are recorded when they end)."""

    def __init__(self, app, calls: CallLog) -> None:
        self.app, self.calls = app, calls

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        status = {"code": 500}
        started = time.perf_counter()

        async def capture(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            state = scope.get("state") or {}
            who = state.get("principal")
            route = getattr(scope.get("route"), "path", scope["path"])
            client = state.get("client") or (scope.get("path_params") or {}).get("id")
            try:
                self.calls.record(who.user.username if who else "-", who.token.id if who else None,
                                  scope["method"], route, client, status["code"],
                                  (time.perf_counter() - started) * 1000)
            except CallLogError:
                log.error("could not record an API call in the call log")


class BodyLimit:
    """Refuses request bodies larger than ``max_bytes`` (413), before and while they are read."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, int(max_bytes)

    def _too_large(self) -> ApiProblem:
        return ApiProblem(413, "payload-too-large",
                          f"the request body is larger than the {self.max_bytes / 1024 / 1024:g} MB limit")

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or ()).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared < 0 or declared > self.max_bytes:
                detail = str(self._too_large()) if declared >= 0 else "invalid Content-Length header"
                await self._refuse(scope, send, 413 if declared >= 0 else 400, detail)
                return
        seen = {"bytes": 0}

        async def counted():
            message = await receive()
            if message["type"] == "http.request":
                seen["bytes"] += len(message.get("body", b""))
                if seen["bytes"] > self.max_bytes:
                    raise self._too_large()
            return message

        await self.app(scope, counted, send)

    @staticmethod
    async def _refuse(scope, send, status: int, detail: str) -> None:
        slug = "payload-too-large" if status == 413 else "bad-request"
        title = "Content Too Large" if status == 413 else "Bad Request"
        body = json.dumps({"type": f"urn:vciso:problem:{slug}", "title": title, "status": status,
                           "detail": detail, "instance": scope["path"]}).encode()
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": body})
