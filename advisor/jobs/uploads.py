"""Uploads as jobs: files checked and staged by the app (or the API), then indexed by a worker.

:func:`submit_upload` enforces the limits server-side — size (``settings.max_file_bytes``), type (the
loaders' suffixes) and a sanitised file name — stages the accepted bytes under
``data_dir/jobs/incoming/<token>/`` and queues an ``ingest`` job; refused files are recorded in the
job as failed. :func:`run_ingest` (the worker's handler) moves each staged file to
``data_dir/uploads/<client>/<name>`` and indexes it, one file at a time, so progress is per file and a
resumed job skips the files already done. A file that fails to index is not kept (a previous version
of it is put back). Every replica and worker must see the same data dir (uploads and manifests).
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from advisor.access.policy import Access
from advisor.access.users import User
from advisor.errors import AdvisorError
from advisor.jobs.queue import FileSpec, Job, JobQueue, LeaseLost
from ingest.loaders import SUPPORTED_SUFFIXES

if TYPE_CHECKING:  # pragma: no cover
    from advisor.jobs.worker import JobContext

log = logging.getLogger(__name__)

INGEST = "ingest"
MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class UploadRejected(AdvisorError):
    """An uploaded file breaks a limit; the message is shown to the user."""


def sanitise_filename(name: str) -> str:
    """A safe file name: no folders, no control or special characters, no leading dots, bounded length.

    Raises UploadRejected when nothing usable is left or the type is not supported.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("_", base).strip(" .")
    base = re.sub(r"[_ ]+", "_", base)
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem.strip("._-"):
        raise UploadRejected(f"{name!r}: not a usable file name with a type (e.g. policy.pdf)")
    suffix = "." + suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRejected(f"unsupported file type {suffix}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    stem = stem[: MAX_NAME_CHARS - len(suffix)]
    return stem + suffix


def upload_dir(settings, client: str) -> Path:
    from advisor.store.chroma import validate_client_id

    folder = settings.data_dir / "uploads" / validate_client_id(client)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def submit_upload(
    settings, queue: JobQueue, user: User, client: str, files: Iterable[tuple[str, bytes]]
) -> Job:
    """Check and stage ``files`` (name, bytes) for ``client`` and queue the ingest job; returns the job."""
    Access.require_read(user, client)
    upload_dir(settings, client)  # validates the client id
    staging = settings.data_dir / "jobs" / "incoming" / secrets.token_hex(8)
    specs: list[FileSpec] = []
    names: set[str] = set()
    for name, data in files:
        try:
            safe = sanitise_filename(name)
            if len(data) > settings.max_file_bytes:
                raise UploadRejected(f"file is larger than the {settings.max_file_mb:g} MB limit")
            if not data:
                raise UploadRejected("the file is empty")
            if safe in names:
                raise UploadRejected(f"uploaded twice in one batch as {safe}")
            existing = settings.data_dir / "uploads" / client / safe
            if existing.is_file() and not user.may_delete_documents and existing.read_bytes() != data:
                raise UploadRejected(
                    "a document of this name exists; replacing it needs the right to delete documents"
                )
        except UploadRejected as exc:
            specs.append(FileSpec(name=name, error=str(exc)))
            continue
        names.add(safe)
        staging.mkdir(parents=True, exist_ok=True)
        (staging / safe).write_bytes(data)
        specs.append(FileSpec(name=name, path=str(staging / safe)))
    if not specs:
        raise UploadRejected("no files were uploaded")
    job = queue.submit(
        INGEST, created_by=user.username, client=client, params={"staging": str(staging)}, files=specs
    )
    log.info("upload for client %s: job %d with %d files", client, job.id, len(specs))
    return job


def _move_into_place(staged: Path, target: Path) -> bytes | None:
    """Move the staged bytes to ``target``; return the bytes it replaced (None: it is new)."""
    previous = target.read_bytes() if target.is_file() else None
    os.replace(staged, target)
    return previous


def run_ingest(ctx: JobContext) -> dict[str, Any]:
    """The worker's handler for ``ingest`` jobs; returns the contract shape of ``vciso ingest --json``."""
    job = ctx.job
    folder = upload_dir(ctx.advisor.settings, ctx.client)
    result: dict[str, Any] = {
        "added": [],
        "updated": [],
        "unchanged": [],
        "removed": [],
        "failed": [],
        "chunks": 0,
        "warnings": [],
    }
    for f in job.files:
        if f.done:  # refused up front, or finished before a resume
            if f.status == "failed":
                result["failed"].append({"path": f.name, "error": f.error or "failed"})
            else:
                result[f.status].append(str(folder / Path(f.path or f.name).name))
                result["chunks"] += f.chunks
            continue
        if ctx.lost.is_set():
            raise LeaseLost(f"job {job.id} was taken over")
        ctx.set_file(f.position, "running")
        staged = Path(f.path or "")
        target = folder / staged.name
        previous: bytes | None = None
        if staged.is_file():
            previous = _move_into_place(staged, target)
        elif not target.is_file():  # a resume after a crash between move and index finds the moved file
            ctx.set_file(f.position, "failed", error="the uploaded file is gone (staging folder removed)")
            result["failed"].append({"path": f.name, "error": "the uploaded file is gone"})
            continue
        error: str | None
        try:
            report = ctx.advisor.ingest([target], ctx.client, user=ctx.user)
        except AdvisorError as exc:
            report = None
            error = str(exc)
        else:
            error = report.failed[0]["error"] if report.failed else None
        if error is not None:
            if previous is None:
                target.unlink(missing_ok=True)
            else:
                target.write_bytes(previous)
            ctx.set_file(f.position, "failed", error=error)
            result["failed"].append({"path": f.name, "error": error})
            continue
        status = next((s for s in ("added", "updated") if getattr(report, s)), "unchanged")
        ctx.set_file(f.position, status, chunks=report.chunks)
        result[status].append(str(target))
        result["chunks"] += report.chunks
        result["warnings"].extend(report.warnings)
    return result
