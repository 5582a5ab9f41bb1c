"""Liveness and readiness, without a token: ``/health`` answers while the process runs, ``/ready``
once the regulatory library is open and indexed (503 before, or when it failed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from advisor.api.schemas import Health, Ready

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="The process is up")
def health(request: Request) -> Health:
    return Health(status="ok", version=request.app.version)


@router.get(
    "/ready",
    response_model=Ready,
    summary="Ready to answer (library open and indexed)",
    responses={503: {"model": Ready, "description": "Starting, or the library could not be opened"}},
)
def ready(request: Request):
    ctx = request.app.state.ctx
    if not ctx.ready.is_set():
        body = Ready(status="starting", detail="opening the regulatory library", clients=0)
        return JSONResponse(body.model_dump(), status_code=503)
    if ctx.warm_error:
        return JSONResponse(
            Ready(status="unavailable", detail=ctx.warm_error, clients=0).model_dump(), status_code=503
        )
    return Ready(status="ready", detail=ctx.adv.status().store, clients=ctx.adv.client_count())
