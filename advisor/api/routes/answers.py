"""``POST /v1/ask`` (JSON, or Server-Sent Events with ``?stream=true``) and the audit log.

The stream sends only verified text: one ``sentence`` event per sentence of the checked answer, then one
``final`` event with the whole answer and its citations (the ``ask`` contract), or one ``error`` event
with a problem detail. Raw LLM tokens are never sent: they have not been verified.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import date

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from advisor.access.policy import Access
from advisor.api.auth import Principal, principal
from advisor.api.problems import PROBLEM_RESPONSES, ApiProblem, Problem, status_of
from advisor.api.schemas import AnswerOut, AskRequest, AuditOut, CallsOut
from advisor.errors import AdvisorError, NotFound
from advisor.models import Answer, AnswerEvent
from advisor.services import Services

log = logging.getLogger(__name__)

router = APIRouter(tags=["answers"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404)})

RANK_DEPTH = 10


def answer_out(services: Services, answer: Answer, body: AskRequest, options: dict) -> dict:
    """The ``ask`` contract plus chunk ids, the audit record id and, on request, the retrieval trace."""
    out = answer.as_contract()
    for cite, c in zip(out["citations"], answer.citations, strict=True):
        cite["chunk_id"] = c.chunk_id
    out.update(client=answer.client, audience=answer.audience, audit_id=answer.timings.get("audit_id"))
    if body.trace:
        passages = answer.trace.passages if answer.trace else ()
        out["passages"] = [
            {
                "id": p.id,
                "merged_ids": list(p.merged_ids),
                "text": p.text,
                "client": p.chunk.client,
                "source": p.chunk.source,
            }
            for p in passages
        ]
        deeper = services.options(**{**options, "k": RANK_DEPTH, "context_chars": 10**9})
        trace = services.retrieve(body.question, body.client, options=deeper)
        ranked: list[str] = []
        for p in trace.passages:
            ranked += [i for i in (p.id, *p.merged_ids) if i not in ranked]
        out["ranked"] = ranked
    return out


def _sse(event: str, data: dict) -> bytes:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode()


def _events(
    services: Services, events: Iterator[AnswerEvent], body: AskRequest, options: dict, path: str
) -> Iterator[bytes]:
    try:
        for event in events:
            if event.kind == "sentence":
                yield _sse("sentence", {"text": event.text})
            elif event.kind == "final" and event.answer is not None:
                yield _sse("final", answer_out(services, event.answer, body, options))
    except Exception as exc:  # noqa: BLE001 — the status line is sent; the error goes in the stream
        status, slug = status_of(exc)
        detail = (
            str(exc)
            if isinstance(exc, AdvisorError)
            else "the server failed to answer; the error is in its log"
        )
        if not isinstance(exc, AdvisorError):
            log.error("streamed answer failed", exc_info=exc)
        yield _sse(
            "error",
            Problem(
                type=f"urn:vciso:problem:{slug}", title="Error", status=status, detail=detail, instance=path
            ).model_dump(),
        )


@router.post(
    "/v1/ask",
    response_model=AnswerOut,
    summary="Ask a question about one client (and the library)",
    responses={
        200: {
            "content": {"text/event-stream": {"schema": {"type": "string"}}},
            "description": "The answer; with stream=true, Server-Sent Events: `sentence` events "
            "of the verified answer, then `final` (this shape) or `error`",
        }
    },
)
def ask(
    body: AskRequest,
    request: Request,
    stream: bool = Query(False, description="Server-Sent Events"),
    who: Principal = Depends(principal),
):
    ctx = request.app.state.ctx
    request.state.client = body.client
    Access.require_read(who.user, body.client)
    if body.client is not None and body.client not in ctx.adv.clients(user=who.user):
        raise NotFound(f"unknown client {body.client!r}")
    if not (body.dense or body.lexical):
        raise ApiProblem(422, "invalid-request", "dense and lexical retrieval cannot both be off")
    options = {} if body.dense and body.lexical else {"dense": body.dense, "lexical": body.lexical}
    retrieval = ctx.adv.retrieval_options(**options) if options else None
    kwargs = dict(
        audience=body.audience,
        history=[(t.question, t.answer) for t in body.history],
        user=who.user,
        options=retrieval,
    )
    if stream:
        events = ctx.adv.stream(body.question, body.client, **kwargs)
        return StreamingResponse(
            _events(ctx.adv.services(who.user), events, body, options, request.url.path),
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache"},
        )
    return answer_out(
        ctx.adv.services(who.user), ctx.adv.ask(body.question, body.client, **kwargs), body, options
    )


@router.get(
    "/v1/audit", response_model=AuditOut, summary="Answers given, newest first (only what you may see)"
)
def audit(
    request: Request,
    client: str | None = None,
    user: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = Query(100, ge=1, le=1000),
    who: Principal = Depends(principal),
):
    """Client answers for the clients the caller may read; answers from the library alone for admins,
    and for everyone else only their own — the rule of the app's audit page."""
    ctx = request.app.state.ctx
    if client is not None:
        request.state.client = client
        Access.require_read(who.user, client)
    allowed = ctx.adv.clients(user=who.user)
    scope = [c for c in allowed if client in (None, c)]
    records = ctx.adv.audit.list(user=user, since=since, until=until, limit=limit, clients=scope)
    if client is None:
        admin = who.user.role == "admin"
        if admin or user in (None, who.user.username):
            own = user if admin else who.user.username
            records += [
                r
                for r in ctx.adv.audit.list(user=own, since=since, until=until, limit=limit)
                if r.client is None
            ]
    records = sorted(records, key=lambda r: (r.ts, r.id), reverse=True)[:limit]
    return {"records": [r.as_json() for r in records]}


@router.get(
    "/v1/audit/calls", response_model=CallsOut, summary="API calls, newest first (admins: all; others: own)"
)
def calls(request: Request, limit: int = Query(100, ge=1, le=1000), who: Principal = Depends(principal)):
    ctx = request.app.state.ctx
    mine = None if who.user.role == "admin" else who.user.username
    return {"calls": [c.as_json() for c in ctx.calls.list(user=mine, limit=limit)]}
