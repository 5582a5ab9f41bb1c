"""The indexed chunks of one client or of the library: what retrieval searches (only admissible text,
see :mod:`advisor.answering.evidence_rule`). The evaluation harness reads them to find each case's gold chunks
when it runs against a deployed instance (``vciso eval --api``)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from advisor.api.auth import Principal, client_reader, principal
from advisor.api.problems import PROBLEM_RESPONSES
from advisor.api.schemas import ChunksOut

router = APIRouter(tags=["chunks"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404)})


def _chunks(request: Request, client: str | None, who: Principal) -> dict:
    index = request.app.state.ctx.adv.tenant_index(client, user=who.user)
    return {
        "client": client,
        "chunks": [
            {
                "id": c.id,
                "source": c.source,
                "title": c.title,
                "page": c.page,
                "section": c.section,
                "framework": c.extra.get("framework"),
                "client": c.client,
                "text": c.text,
            }
            for c in index.chunks
        ],
    }


@router.get("/v1/library/chunks", response_model=ChunksOut, summary="Every clause of the built-in library")
def library_chunks(request: Request, who: Principal = Depends(principal)):
    return _chunks(request, None, who)


@router.get("/v1/clients/{id}/chunks", response_model=ChunksOut, summary="Every indexed chunk of a client")
def client_chunks(id: str, request: Request, who: Principal = Depends(client_reader)):
    return _chunks(request, id, who)
