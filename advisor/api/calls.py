"""Evidence of every API call, and the request-body limit. Two pure ASGI middlewares.

:class:`CallAudit` records each call under ``/v1/`` — who (user and token id), what (method, route
template such as ``/v1/clients/{id}/sources``), which client, the status and the duration — in the
state database (table ``api_calls``). Calls refused for a missing or bad token are recorded too (user
``-``). Question and answer text are not recorded here: answers go to the answer audit log
(:mod:`advisor.access.audit`), as in the app, with the token's user as the asker.

:class:`BodyLimit` enforces the upload limit before the body is read: a ``Content-Length`` over the
limit is answered 413 at once, and a body without one (chunked) is counted as it streams and cut off
at the limit.
"""

from __future__ import annotations

import json
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from advisor.access.security_log import request_source
from advisor.api.problems import MEDIA_TYPE, ApiProblem
from advisor.db import Database, as_database, utc_iso
from advisor.db.models import ApiCallRow
from advisor.errors import AdvisorError

log = logging.getLogger(__name__)


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
        return {
            "id": self.id,
            "ts": self.ts,
            "user": self.username,
            "token": self.token_id,
            "method": self.method,
            "route": self.route,
            "client": self.client,
            "status": self.status,
            "duration_ms": self.duration_ms,
        }


class CallLog:
    """API calls in the state database (table ``api_calls``)."""

    def __init__(self, db: Database | str | os.PathLike) -> None:
        self.db = as_database(db)

    def record(
        self,
        username: str,
        token_id: str | None,
        method: str,
        route: str,
        client: str | None,
        status: int,
        duration_ms: float,
    ) -> None:
        with self.db.session(write=True, error=CallLogError, what="API call log") as s:
            s.add(
                ApiCallRow(
                    ts=utc_iso(),
                    username=username,
                    token_id=token_id,
                    method=method,
                    route=route,
                    client=client,
                    status=int(status),
                    duration_ms=round(duration_ms, 1),
                )
            )

    def list(self, *, user: str | None = None, limit: int = 200) -> list[Call]:
        """Calls, newest first (all, or one user's)."""
        query = select(ApiCallRow).order_by(ApiCallRow.id.desc()).limit(max(0, min(int(limit), 10_000)))
        if user is not None:
            query = query.where(ApiCallRow.username == user)
        with self.db.session(error=CallLogError, what="API call log") as s:
            return [
                Call(r.id, r.ts, r.username, r.token_id, r.method, r.route, r.client, r.status, r.duration_ms)
                for r in s.scalars(query)
            ]


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

        peer = scope.get("client")
        try:
            with request_source(peer[0] if peer else "api"):  # security events name the caller's address
                await self.app(scope, receive, capture)
        finally:
            state = scope.get("state") or {}
            who = state.get("principal")
            route = getattr(scope.get("route"), "path", scope["path"])
            client = state.get("client") or (scope.get("path_params") or {}).get("id")
            try:
                self.calls.record(
                    who.user.username if who else "-",
                    who.token.id if who else None,
                    scope["method"],
                    route,
                    client,
                    status["code"],
                    (time.perf_counter() - started) * 1000,
                )
            except CallLogError:
                log.error("could not record an API call in the call log")


class BodyLimit:
    """Refuses request bodies larger than ``max_bytes`` (413), before and while they are read."""

    def __init__(self, app, max_bytes: int) -> None:
        self.app, self.max_bytes = app, int(max_bytes)

    def _too_large(self) -> ApiProblem:
        return ApiProblem(
            413,
            "payload-too-large",
            f"the request body is larger than the {self.max_bytes / 1024 / 1024:g} MB limit",
        )

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
        body = json.dumps(
            {
                "type": f"urn:vciso:problem:{slug}",
                "title": title,
                "status": status,
                "detail": detail,
                "instance": scope["path"],
            }
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", MEDIA_TYPE.encode()),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
