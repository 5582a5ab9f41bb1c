"""Errors as RFC 9457 problem details (``application/problem+json``), never a traceback.

Every error the API returns has ``type`` (a ``urn:vciso:problem:<slug>`` URI), ``title`` (fixed per
type), ``status``, ``detail`` (the message of the core's :class:`AdvisorError`, fit to show a user) and
``instance`` (the request path). An unexpected exception is logged with its traceback on the server and
answered with a generic 500 problem.
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from advisor.access.tokens import TokenError
from advisor.access.users import UserError
from advisor.assessment.frameworks import UnknownFramework
from advisor.assessment.jobs import QuestionnaireUploadError
from advisor.assessment.questionnaire import QuestionnaireError
from advisor.db import DatabaseError
from advisor.drafting.store import WorkflowError
from advisor.errors import (
    AccessDenied,
    AdvisorError,
    BackendUnavailable,
    ConfigError,
    IngestError,
    NotFound,
    StoreError,
    TenancyError,
)
from advisor.jobs.queue import JobError
from advisor.jobs.uploads import UploadRejected

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(description="URI naming the kind of problem, e.g. urn:vciso:problem:access-denied")
    title: str = Field(description="Short summary of the kind of problem")
    status: int = Field(description="HTTP status code")
    detail: str = Field(description="What went wrong in this request, fit to show a user")
    instance: str = Field(description="The request path")


class ApiProblem(AdvisorError):
    """An error raised by the API layer itself (authentication, limits, unknown routes)."""

    def __init__(self, status: int, slug: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.slug, self.headers = status, slug, headers or {}


# Most specific first: the first matching class decides status and slug.
_MAPPING: tuple[tuple[type[Exception], int, str], ...] = (
    (AccessDenied, 403, "access-denied"),
    (NotFound, 404, "not-found"),
    (WorkflowError, 409, "workflow-conflict"),
    (BackendUnavailable, 503, "backend-unavailable"),
    (StoreError, 503, "store-unavailable"),
    (DatabaseError, 503, "database-unavailable"),
    (JobError, 503, "job-queue-unavailable"),
    (TenancyError, 400, "invalid-client"),
    (IngestError, 422, "unreadable-file"),
    (QuestionnaireError, 422, "unreadable-questionnaire"),
    (QuestionnaireUploadError, 422, "unreadable-questionnaire"),
    (UploadRejected, 422, "upload-rejected"),
    (UnknownFramework, 422, "unknown-framework"),
    (UserError, 422, "invalid-value"),
    (TokenError, 422, "invalid-value"),
    (ConfigError, 500, "configuration-error"),
    (AdvisorError, 400, "bad-request"),
)

PROBLEM_RESPONSES = {
    code: {"model": Problem, "description": HTTPStatus(code).phrase, "content": {MEDIA_TYPE: {}}}
    for code in (400, 401, 403, 404, 422, 429)
}


def problem_response(
    request: Request, status: int, slug: str, detail: str, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = Problem(
        type=f"urn:vciso:problem:{slug}",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path,
    )
    return JSONResponse(body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers)


def status_of(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, ApiProblem):
        return exc.status, exc.slug
    for cls, status, slug in _MAPPING:
        if isinstance(exc, cls):
            return status, slug
    return 500, "internal-error"


def describe_validation(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("body", "query", "path"))
        parts.append(f"{where or 'request'}: {err.get('msg', 'invalid')}")
    return "invalid request: " + "; ".join(parts)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem response."""

    @app.exception_handler(AdvisorError)
    async def advisor_error(request: Request, exc: AdvisorError) -> JSONResponse:
        status, slug = status_of(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, type(exc).__name__)
        return problem_response(request, status, slug, str(exc), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return problem_response(request, 422, "invalid-request", describe_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"no such endpoint: {request.method} {request.url.path}"
        return problem_response(request, exc.status_code, slug, detail, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("%s %s failed unexpectedly", request.method, request.url.path, exc_info=exc)
        return problem_response(
            request,
            500,
            "internal-error",
            "the server failed to handle this request; the error is in its log",
        )
