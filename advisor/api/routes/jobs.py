"""Jobs: status, progress and result of uploads, questionnaires and gap analyses; result downloads."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse

from advisor.access import Access
from advisor.api.auth import Principal, principal
from advisor.api.problems import PROBLEM_RESPONSES
from advisor.api.schemas import JobOut, JobsOut
from advisor.errors import NotFound

router = APIRouter(tags=["jobs"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404)})


def readable_job(request: Request, job_id: str, who: Principal):
    """The job, when the caller may read its client (403 otherwise)."""
    job = request.app.state.ctx.jobs.store.get(job_id)
    request.state.client = job.client
    Access.require_read(who.user, job.client)
    return job


@router.get("/v1/jobs", response_model=JobsOut, summary="Recent jobs of the clients you may read")
def jobs(request: Request, limit: int = Query(50, ge=1, le=500), who: Principal = Depends(principal)):
    ctx = request.app.state.ctx
    allowed = Access.visible_clients(who.user, [j.client for j in ctx.jobs.store.list(limit=limit)])
    return {"jobs": [j.as_json() for j in ctx.jobs.store.list(clients=allowed, limit=limit)]}


@router.get("/v1/jobs/{job_id}", response_model=JobOut, summary="A job's status, progress and result")
def job(job_id: str, request: Request, who: Principal = Depends(principal)):
    return readable_job(request, job_id, who).as_json()


@router.get("/v1/jobs/{job_id}/download", summary="The job's result file (a filled questionnaire)",
            response_class=FileResponse,
            responses={200: {"content": {"application/octet-stream": {}}, "description": "The file"}})
def download(job_id: str, request: Request, who: Principal = Depends(principal)):
    found = readable_job(request, job_id, who)
    path = Path(found.result_file) if found.result_file and found.status == "succeeded" else None
    if path is None or not path.is_file():
        raise NotFound(f"job {job_id} has no result file" + ("" if found.finished else " yet"))
    return FileResponse(path, filename=path.name)
