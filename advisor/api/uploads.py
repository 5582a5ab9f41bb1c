"""Files from a multipart request body, read within the limits.

The whole body is capped before it is read (:class:`advisor.api.calls.BodyLimit`); here each file is
read up to one byte past ``settings.max_file_bytes``, so an oversized file costs no more memory than the
limit and is then refused by :func:`advisor.jobs.uploads.submit_upload` with the same message as in the app.
Checking names and types, staging and the ingest job itself are the core's (:mod:`advisor.jobs.uploads`),
shared with the app, so a file uploaded through the API and the same file uploaded in the app are one
document.
"""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import UploadFile

from advisor.api.problems import ApiProblem

MAX_FILES = 100


async def form_files(request: Request, field: str, *, max_files: int = MAX_FILES) -> list[UploadFile]:
    """The files of one multipart field; 415 for a body that is not multipart/form-data."""
    if not (request.headers.get("content-type") or "").startswith("multipart/form-data"):
        raise ApiProblem(
            415, "unsupported-media-type", f"send the files as multipart/form-data in fields named {field!r}"
        )
    form = await request.form(max_files=max_files, max_fields=20)
    files = [f for f in form.getlist(field) if isinstance(f, UploadFile)]
    if not files:
        raise ApiProblem(
            422, "invalid-request", f"no files: send them as multipart form fields named {field!r}"
        )
    return files


async def read_capped(files: list[UploadFile], max_bytes: int) -> list[tuple[str, bytes]]:
    """(name, bytes) of each file, each read to at most ``max_bytes + 1`` bytes."""
    out = []
    for upload in files:
        try:
            out.append((upload.filename or "", await upload.read(max_bytes + 1)))
        finally:
            await upload.close()
    return out
