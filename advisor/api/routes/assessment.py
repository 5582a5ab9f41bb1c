"""Gap analysis and questionnaire autofill, each run as a job whose result is the CLI's ``--json``
output (``gaps`` and ``questionnaire`` contracts); a questionnaire job also keeps the filled workbook."""

from __future__ import annotations

import secrets
import shutil

from fastapi import APIRouter, Depends, Form, Request

from advisor.api.auth import Principal, client_reader
from advisor.api.problems import PROBLEM_RESPONSES, ApiProblem
from advisor.api.routes.documents import form_files
from advisor.api.schemas import GapsRequest, JobOut
from advisor.api.uploads import read_files, staging_dir
from advisor.assessment.frameworks import FRAMEWORKS, UnknownFramework

router = APIRouter(tags=["assessment"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404, 422)})

QUESTIONNAIRE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")


@router.post("/v1/clients/{id}/gaps", status_code=202, response_model=JobOut,
             summary="Gap analysis of the client's documents against a framework (a job)")
def gaps(id: str, body: GapsRequest, request: Request, who: Principal = Depends(client_reader)):
    ctx = request.app.state.ctx
    if body.framework not in FRAMEWORKS:
        raise UnknownFramework(body.framework)

    def work(progress):
        from advisor.assessment.gaps import analyze

        report = analyze(ctx.adv, id, body.framework, user=who.user,
                         progress=lambda done, total: (progress.total(total), progress.step(done)))
        return report.as_contract(), None

    return ctx.jobs.submit("gaps", id, who.user.username, work).as_json()


@router.post("/v1/clients/{id}/questionnaires", status_code=202, response_model=JobOut,
             summary="Fill in a questionnaire (multipart field 'file': .xlsx or .csv); download the result from the job",
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                 "type": "object", "required": ["file"],
                 "properties": {"file": {"type": "string", "format": "binary"},
                                "question_column": {"type": "string"}}}}}}})
async def questionnaire(id: str, request: Request, who: Principal = Depends(client_reader)):
    ctx = request.app.state.ctx
    if not (request.headers.get("content-type") or "").startswith("multipart/form-data"):
        raise ApiProblem(415, "unsupported-media-type", "send the questionnaire as multipart/form-data field 'file'")
    form = await request.form(max_files=2, max_fields=5)
    column = form.get("question_column")
    column = column.strip() if isinstance(column, str) and column.strip() else None
    stage = staging_dir(ctx.adv) / f"questionnaire-{secrets.token_hex(8)}"
    try:
        staged, rejected = await read_files(await form_files(request, "file"), stage, ctx.settings.max_file_bytes,
                                            QUESTIONNAIRE_SUFFIXES)
        if rejected or len(staged) != 1:
            reason = rejected[0]["error"] if rejected else "send exactly one questionnaire file"
            raise ApiProblem(422, "unreadable-questionnaire", reason)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    source = staged[0]
    out = source.with_name(f"{source.stem}_filled{source.suffix}")

    def work(progress):
        from advisor.assessment.questionnaire import fill

        answers, written, _ = fill(ctx.adv, source, id, question_column=column, out=out, user=who.user,
                                   progress=lambda done, total: (progress.total(total), progress.step(done)))
        return {"items": [a.as_contract() for a in answers]}, written

    return ctx.jobs.submit("questionnaire", id, who.user.username, work).as_json()
