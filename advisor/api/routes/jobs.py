"""Jobs: status, per-file progress and result of uploads, gap analyses and questionnaires; downloads.

The jobs are the state database's (:mod:`advisor.jobs.queue`), shared with the app and every worker: an upload
made through the API shows in the app's job list, and the other way round.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse

from advisor.access.policy import Access
from advisor.api.auth import Principal, principal
from advisor.api.problems import PROBLEM_RESPONSES
from advisor.api.schemas import JobOut, JobsOut
from advisor.errors import NotFound
from advisor.jobs.queue import Job

router = APIRouter(tags=["jobs"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404)})


def job_json(job: Job) -> dict[str, Any]:
    """The ``GET /v1/jobs/{id}`` shape; a result file is offered as a download link, never as a path."""
    result = dict(job.result) if job.result is not None else None
    has_file = bool(result and result.pop("file", None))
    running = next((f.name for f in job.files if f.status == "running"), "")
    return {
        "id": job.id,
        "kind": job.kind,
        "client": job.client,
        "user": job.created_by,
        "status": job.status,
        "progress": {"done": job.files_done, "total": len(job.files), "current": running},
        "files": [
            {"name": f.name, "status": f.status, "error": f.error, "chunks": f.chunks} for f in job.files
        ],
        "result": result,
        "error": job.error,
        "attempts": job.attempts,
        "download": f"/v1/jobs/{job.id}/download" if has_file and job.status == "succeeded" else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


def readable_job(request: Request, job_id: int, who: Principal) -> Job:
    """The job, when the caller may read its client (403 otherwise)."""
    job = request.app.state.ctx.jobs.get(job_id)
    request.state.client = job.client
    Access.require_read(who.user, job.client)
    return job


@router.get("/v1/jobs", response_model=JobsOut, summary="Recent jobs of the clients you may read")
def jobs(
    request: Request,
    client: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    who: Principal = Depends(principal),
):
    ctx = request.app.state.ctx
    if client is not None:
        request.state.client = client
        Access.require_read(who.user, client)
    allowed = ctx.adv.clients(user=who.user)
    return {"jobs": [job_json(j) for j in ctx.jobs.list(client=client, clients=allowed, limit=limit)]}


@router.get(
    "/v1/jobs/{job_id}", response_model=JobOut, summary="A job's status, per-file progress and result"
)
def job(job_id: int, request: Request, who: Principal = Depends(principal)):
    return job_json(readable_job(request, job_id, who))


@router.get(
    "/v1/jobs/{job_id}/download",
    summary="The job's result file (a filled questionnaire)",
    response_class=FileResponse,
    responses={200: {"content": {"application/octet-stream": {}}, "description": "The file"}},
)
def download(job_id: int, request: Request, who: Principal = Depends(principal)):
    found = readable_job(request, job_id, who)
    name = (found.result or {}).get("file") if found.status == "succeeded" else None
    path = Path(name) if name else None
    if path is None or not path.is_file():
        raise NotFound(f"job {job_id} has no result file" + ("" if not found.active else " yet"))
    adv = request.app.state.ctx.adv
    adv.exported(f"{found.kind} result", found.client, user=who.user, obj=f"job {job_id}")
    return FileResponse(path, filename=path.name)
