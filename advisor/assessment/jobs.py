"""Gap analyses and questionnaires as jobs (:mod:`advisor.jobs.queue`), run by any worker
(:mod:`advisor.jobs.worker`).

    job = submit_gaps(queue, user, "acme", "hipaa")
    job = submit_questionnaire(settings, queue, user, "acme", "review.xlsx", data)

The result of a finished job is the CLI's ``--json`` output (``gaps`` and ``questionnaire`` contracts);
a questionnaire job also writes the filled workbook under ``data_dir/jobs/results/<job id>/`` and names
it in ``result["file"]`` (a path on the server, for the download endpoint; not shown to users). The
handlers run as the job's submitter, whose access is checked again by the feature code.
"""

from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.access.policy import Access
from advisor.access.users import User
from advisor.assessment.frameworks import FRAMEWORKS, UnknownFramework
from advisor.errors import AdvisorError
from advisor.jobs.queue import Job, JobQueue

if TYPE_CHECKING:  # pragma: no cover
    from advisor.jobs.worker import JobContext

log = logging.getLogger(__name__)

GAPS = "gaps"
QUESTIONNAIRE = "questionnaire"
QUESTIONNAIRE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".tsv", ".txt")


class QuestionnaireUploadError(AdvisorError):
    """A questionnaire upload that cannot become a job (type, size, empty)."""


def submit_gaps(queue: JobQueue, user: User, client: str, framework: str) -> Job:
    Access.require_read(user, client)
    if framework not in FRAMEWORKS:
        raise UnknownFramework(framework)
    return queue.submit(GAPS, created_by=user.username, client=client, params={"framework": framework})


def submit_questionnaire(
    settings,
    queue: JobQueue,
    user: User,
    client: str,
    name: str,
    data: bytes,
    question_column: str | None = None,
) -> Job:
    """Stage the questionnaire file (.xlsx or .csv) and queue the job that fills it in."""
    from advisor.jobs.uploads import UploadRejected, sanitise_filename

    Access.require_read(user, client)
    suffix = Path(name or "").suffix.lower()
    if suffix not in QUESTIONNAIRE_SUFFIXES:
        raise QuestionnaireUploadError(f"{name!r}: use an .xlsx or .csv questionnaire")
    try:
        safe = sanitise_filename(name)
    except UploadRejected as exc:
        raise QuestionnaireUploadError(str(exc)) from exc
    if not data:
        raise QuestionnaireUploadError("the questionnaire file is empty")
    if len(data) > settings.max_file_bytes:
        raise QuestionnaireUploadError(
            f"the questionnaire is larger than the {settings.max_file_mb:g} MB limit"
        )
    staging = settings.data_dir / "jobs" / "incoming" / secrets.token_hex(8)
    staging.mkdir(parents=True, exist_ok=True)
    (staging / safe).write_bytes(data)
    return queue.submit(
        QUESTIONNAIRE,
        created_by=user.username,
        client=client,
        params={"file": str(staging / safe), "question_column": question_column},
    )


def run_gaps(ctx: JobContext) -> dict[str, Any]:
    from advisor.assessment.gaps import analyze

    report = analyze(ctx.advisor, ctx.client, ctx.job.params["framework"], user=ctx.user)
    return report.as_contract()


def run_questionnaire(ctx: JobContext) -> dict[str, Any]:
    from advisor.assessment.questionnaire import fill

    source = Path(ctx.job.params["file"])
    if not source.is_file():
        raise QuestionnaireUploadError("the uploaded questionnaire is gone (staging folder removed)")
    results = ctx.advisor.settings.data_dir / "jobs" / "results" / str(ctx.job.id)
    results.mkdir(parents=True, exist_ok=True)
    out = results / f"{source.stem}_filled{source.suffix}"
    try:
        answers, written, _ = fill(
            ctx.advisor,
            source,
            ctx.client,
            out=out,
            user=ctx.user,
            question_column=ctx.job.params.get("question_column"),
        )
    finally:
        # the job ends here, done or failed (a worker that dies never gets here: its resume needs the file)
        source.unlink(missing_ok=True)
        if source.parent.is_dir() and not any(source.parent.iterdir()):
            source.parent.rmdir()
    log.info("questionnaire job %d: %d questions", ctx.job.id, len(answers))
    return {"items": [a.as_contract() for a in answers], "file": str(written) if written else None}
