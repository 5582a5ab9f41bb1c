"""Gap analysis and questionnaire autofill, each a job (:mod:`advisor.assessment.jobs`) whose result is
the CLI's ``--json`` output (``gaps`` and ``questionnaire`` contracts); a questionnaire job also keeps
the filled workbook, downloaded from ``GET /v1/jobs/{id}/download``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from advisor.api.auth import Principal, client_reader
from advisor.api.problems import PROBLEM_RESPONSES, ApiProblem
from advisor.api.routes.jobs import job_json
from advisor.api.schemas import GapsRequest, JobOut
from advisor.api.uploads import form_files, read_capped
from advisor.assessment.jobs import submit_gaps, submit_questionnaire

router = APIRouter(tags=["assessment"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404, 422)})


@router.post(
    "/v1/clients/{id}/gaps",
    status_code=202,
    response_model=JobOut,
    summary="Gap analysis of the client's documents against a framework (a job)",
)
def gaps(id: str, body: GapsRequest, request: Request, who: Principal = Depends(client_reader)):
    ctx = request.app.state.ctx
    job = submit_gaps(ctx.jobs, who.user, id, body.framework)
    ctx.notify()
    return job_json(job)


@router.post(
    "/v1/clients/{id}/questionnaires",
    status_code=202,
    response_model=JobOut,
    summary="Fill in a questionnaire (multipart field 'file': .xlsx or .csv); download the result from the "
    "job",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "question_column": {"type": "string"},
                        },
                    }
                }
            },
        }
    },
)
async def questionnaire(id: str, request: Request, who: Principal = Depends(client_reader)):
    ctx = request.app.state.ctx
    files = await read_capped(await form_files(request, "file", max_files=1), ctx.settings.max_file_bytes)
    if len(files) != 1:
        raise ApiProblem(422, "invalid-request", "send exactly one questionnaire file in field 'file'")
    column = (await request.form()).get("question_column")
    column = column.strip() if isinstance(column, str) and column.strip() else None
    name, data = files[0]
    job = await run_in_threadpool(
        submit_questionnaire, ctx.settings, ctx.jobs, who.user, id, name, data, column
    )
    ctx.notify()
    return job_json(job)
