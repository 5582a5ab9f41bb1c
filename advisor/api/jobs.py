"""Long work off the request path: uploads, questionnaires and gap analyses run as jobs.

A job is a row in the state database (table ``api_jobs``, :mod:`advisor.db`) and a task on a small thread
pool in the API process (``settings.api.workers`` threads). Its status (queued → running → succeeded
or failed), per-item progress, result (the same JSON as the CLI's ``--json``) and an optional result
file (a filled questionnaire) survive a page reload and are read back by ``GET /v1/jobs/{id}``.

When an API process starts, jobs that another process on this host left queued or running and whose
process is gone are marked failed with a clear message, so no job stays "running" forever.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from advisor.db import Database, as_database, utc_iso
from advisor.db.models import ApiJobRow
from advisor.errors import AdvisorError, NotFound

log = logging.getLogger(__name__)

STATUSES = ("queued", "running", "succeeded", "failed")


class JobError(AdvisorError):
    """The job store cannot be read or written."""


@dataclass(frozen=True)
class Job:
    id: str
    kind: str
    client: str
    username: str
    status: str
    done: int
    total: int
    current: str
    result: dict[str, Any] | None
    error: str | None
    result_file: str | None
    created_at: str
    started_at: str | None
    finished_at: str | None

    @property
    def finished(self) -> bool:
        return self.status in ("succeeded", "failed")

    def as_json(self) -> dict[str, Any]:
        """The ``GET /v1/jobs/{id}`` shape (the result file is offered as a download link, not a path)."""
        return {"id": self.id, "kind": self.kind, "client": self.client, "user": self.username,
                "status": self.status, "progress": {"done": self.done, "total": self.total, "current": self.current},
                "result": self.result, "error": self.error,
                "download": f"/v1/jobs/{self.id}/download" if self.result_file and self.status == "succeeded" else None,
                "created_at": self.created_at, "started_at": self.started_at, "finished_at": self.finished_at}


class Progress:
    """Handed to a job's work function: report items done (``step``) or set the total."""

    def __init__(self, store: JobStore, job_id: str) -> None:
        self._store, self._id = store, job_id

    def total(self, n: int) -> None:
        self._store.update(self._id, total=int(n))

    def step(self, done: int, current: str = "") -> None:
        self._store.update(self._id, done=int(done), current=str(current)[:200])


Work = Callable[[Progress], tuple[dict[str, Any], Path | None]]


def _now() -> str:
    return utc_iso()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class JobStore:
    """API jobs in the state database."""

    def __init__(self, db: Database | str | os.PathLike) -> None:
        self.db = as_database(db)

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=JobError, what="job store")

    @staticmethod
    def _to_job(row: ApiJobRow) -> Job:
        return Job(id=row.id, kind=row.kind, client=row.client, username=row.username, status=row.status,
                   done=row.done, total=row.total, current=row.current, result=row.result, error=row.error,
                   result_file=row.result_file, created_at=row.created_at, started_at=row.started_at,
                   finished_at=row.finished_at)

    def add(self, kind: str, client: str, username: str, total: int = 0) -> Job:
        row = ApiJobRow(id=secrets.token_hex(8), kind=kind, client=client, username=username, status="queued",
                        done=0, total=int(total), current="", host=socket.gethostname(), pid=os.getpid(),
                        created_at=_now())
        with self._session(write=True) as s:
            s.add(row)
        return self._to_job(row)

    def get(self, job_id: str) -> Job:
        with self._session() as s:
            row = s.get(ApiJobRow, str(job_id))
            if row is None:
                raise NotFound(f"job {job_id!r} does not exist")
            return self._to_job(row)

    def list(self, clients: list[str] | None = None, limit: int = 100) -> list[Job]:
        """Jobs, newest first; ``clients`` limits them to those a user may read."""
        query = select(ApiJobRow).order_by(ApiJobRow.created_at.desc()).limit(int(limit))
        if clients is not None:
            query = query.where(ApiJobRow.client.in_(list(clients)))
        with self._session() as s:
            return [self._to_job(r) for r in s.scalars(query)]

    _FIELDS = frozenset({"status", "done", "total", "current", "result", "error", "result_file", "started_at",
                         "finished_at"})

    def update(self, job_id: str, **fields: Any) -> None:
        unknown = set(fields) - self._FIELDS
        if unknown:
            raise ValueError(f"unknown job fields: {', '.join(sorted(unknown))}")
        with self._session(write=True) as s:
            row = s.get(ApiJobRow, str(job_id))
            if row is None:
                raise NotFound(f"job {job_id!r} does not exist")
            for key, value in fields.items():
                setattr(row, key, value)

    def fail_orphans(self) -> int:
        """Mark failed the unfinished jobs of dead processes on this host; returns how many."""
        host = socket.gethostname()
        with self._session(write=True) as s:
            rows = s.scalars(select(ApiJobRow).where(ApiJobRow.status.in_(("queued", "running")),
                                                     ApiJobRow.host == host)).all()
            dead = [r for r in rows if r.pid != os.getpid() and not _alive(r.pid)]
            for row in dead:
                row.status, row.finished_at = "failed", _now()
                row.error = "the API process stopped before this job finished; submit it again"
        if dead:
            log.warning("%d unfinished jobs of stopped API processes marked failed", len(dead))
        return len(dead)


class JobRunner:
    """Runs work functions on a thread pool and records their outcome in the job store."""

    def __init__(self, store: JobStore, workers: int = 1) -> None:
        self.store = store
        self._pool = ThreadPoolExecutor(max_workers=max(1, int(workers)), thread_name_prefix="vciso-job")
        store.fail_orphans()

    def submit(self, kind: str, client: str, username: str, work: Work, *, total: int = 0,
               cleanup: Callable[[], None] | None = None) -> Job:
        job = self.store.add(kind, client, username, total)
        self._pool.submit(self._run, job.id, work, cleanup)
        log.info("job %s (%s) queued for client %s", job.id, kind, client)
        return job

    def _run(self, job_id: str, work: Work, cleanup: Callable[[], None] | None) -> None:
        self.store.update(job_id, status="running", started_at=_now())
        try:
            result, file = work(Progress(self.store, job_id))
        except AdvisorError as exc:
            self.store.update(job_id, status="failed", error=str(exc), finished_at=_now())
            log.info("job %s failed: %s", job_id, type(exc).__name__)
        except Exception as exc:  # noqa: BLE001 — a job must end with a status, whatever happened
            log.error("job %s failed unexpectedly", job_id, exc_info=exc)
            self.store.update(job_id, status="failed", error="the job failed unexpectedly; the error is in the "
                              "server's log", finished_at=_now())
        else:
            self.store.update(job_id, status="succeeded", result=result,
                              result_file=str(file) if file else None, finished_at=_now())
            log.info("job %s succeeded", job_id)
        finally:
            if cleanup is not None:
                cleanup()

    def shutdown(self, wait: bool = True) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=not wait)
