"""Jobs: long work recorded in the state database and run by a worker (:mod:`advisor.jobs.worker`).

A job (``jobs``) has a kind (e.g. ``ingest``), a client, JSON parameters and result, and files
(``job_files``), each with its own status, so progress survives a page reload and is the same for every
app replica. Lifecycle::

    queued ──claim──▶ running ──finish──▶ succeeded | failed
                        │  heartbeat every lease/3 seconds
                        └─ no heartbeat for lease_s: the worker is dead → queued again (resume, next
                           attempt) or failed once max_attempts runs were used

Claiming is a compare-and-set on (status, heartbeat) in a write transaction, so two workers never run
one job; a worker that lost its job (its lease expired and another took over) learns it from
:meth:`JobQueue.heartbeat` and stops. Files already finished are kept when a job resumes.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from advisor.db import Database, as_database, utc_iso
from advisor.db.models import JobFileRow, JobRow
from advisor.errors import AdvisorError, NotFound

log = logging.getLogger(__name__)

ACTIVE = ("queued", "running")
FILE_DONE = ("added", "updated", "unchanged", "failed")


class JobError(AdvisorError):
    """The job queue cannot be read or written, or a job was given invalid values."""


class LeaseLost(JobError):
    """This worker no longer owns the job (its lease expired and the job was taken over or failed)."""


@dataclass(frozen=True)
class FileSpec:
    """A file handed to a job: its display name, where its bytes wait (None if it was refused), and an
    error when it was refused before the job ran."""

    name: str
    path: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class JobFile:
    position: int
    name: str
    path: str | None
    status: str  # waiting | running | added | updated | unchanged | failed
    error: str | None = None
    chunks: int = 0

    @property
    def done(self) -> bool:
        return self.status in FILE_DONE


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    client: str | None
    status: str
    created_by: str
    created_at: str
    started_at: str | None
    finished_at: str | None
    heartbeat_at: str | None
    worker: str | None
    attempts: int
    error: str | None
    params: dict[str, Any]
    result: dict[str, Any] | None
    files: tuple[JobFile, ...] = field(default_factory=tuple)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE

    @property
    def files_done(self) -> int:
        return sum(f.done for f in self.files)

    @property
    def progress(self) -> float:
        """0..1: the share of files finished (1.0 for a finished job)."""
        if not self.active:
            return 1.0
        return self.files_done / len(self.files) if self.files else 0.0


def _to_job(row: JobRow) -> Job:
    files = tuple(JobFile(f.position, f.name, f.path, f.status, f.error, f.chunks) for f in row.files)
    return Job(
        row.id,
        row.kind,
        row.client,
        row.status,
        row.created_by,
        row.created_at,
        row.started_at,
        row.finished_at,
        row.heartbeat_at,
        row.worker,
        row.attempts,
        row.error,
        dict(row.params or {}),
        row.result,
        files,
    )


def _utcnow() -> datetime:
    return datetime.now(UTC)


class JobQueue:
    """Jobs in the state database; share it between threads, processes and replicas."""

    def __init__(
        self, db: Database | str | os.PathLike, *, lease_s: float = 30.0, max_attempts: int = 3, clock=_utcnow
    ) -> None:
        if lease_s <= 0 or max_attempts < 1:
            raise JobError("a job lease must be positive and a job needs at least one attempt")
        self.db = as_database(db)
        self.lease_s = float(lease_s)
        self.max_attempts = int(max_attempts)
        self._clock = clock

    @classmethod
    def from_settings(cls, settings) -> JobQueue:
        from advisor.db import open_database

        return cls(
            open_database(settings), lease_s=settings.jobs.lease_s, max_attempts=settings.jobs.max_attempts
        )

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=JobError, what="job queue")

    def _now(self) -> str:
        return utc_iso(self._clock())

    # -- submitting and reading -------------------------------------------------------------
    def submit(
        self,
        kind: str,
        *,
        created_by: str,
        client: str | None = None,
        params: dict[str, Any] | None = None,
        files: Sequence[FileSpec] = (),
    ) -> Job:
        """Queue a job. Files refused up front (``FileSpec.error``) are recorded as failed; a job with files
        of which none can run is finished at once as failed."""
        if not kind or not created_by:
            raise JobError("a job needs a kind and the user who started it")
        now = self._now()
        rows = [
            JobFileRow(
                position=i,
                name=f.name,
                path=f.path,
                status="failed" if f.error else "waiting",
                error=f.error,
                chunks=0,
            )
            for i, f in enumerate(files)
        ]
        runnable = any(r.status == "waiting" for r in rows)
        row = JobRow(
            kind=kind,
            client=client,
            status="queued",
            created_by=created_by,
            created_at=now,
            attempts=0,
            params=dict(params or {}),
            files=rows,
        )
        if files and not runnable:
            row.status, row.finished_at, row.error = "failed", now, "no file could be accepted"
        with self._session(write=True) as s:
            s.add(row)
            s.flush()
            job = _to_job(row)
        log.info("job %d queued: kind=%s client=%s files=%d", job.id, kind, client, len(rows))
        return job

    def get(self, job_id: int) -> Job:
        with self._session() as s:
            row = s.get(JobRow, int(job_id))
            if row is None:
                raise NotFound(f"job {job_id} does not exist")
            return _to_job(row)

    def list(
        self,
        *,
        client: str | None = None,
        clients: Iterable[str] | None = None,
        kind: str | None = None,
        limit: int = 50,
    ) -> list[Job]:
        """Jobs, newest first; ``clients`` limits to those a user may read (an empty collection: none)."""
        query = select(JobRow).order_by(JobRow.id.desc()).limit(max(0, min(int(limit), 1000)))
        if client is not None:
            query = query.where(JobRow.client == client)
        if clients is not None:
            allowed = sorted(set(clients))
            if not allowed:
                return []
            query = query.where(JobRow.client.in_(allowed))
        if kind is not None:
            query = query.where(JobRow.kind == kind)
        with self._session() as s:
            return [_to_job(r) for r in s.scalars(query)]

    # -- running ------------------------------------------------------------------------------
    def _stale_before(self) -> str:
        return utc_iso(self._clock() - timedelta(seconds=self.lease_s))

    def claim(self, worker: str, kinds: Iterable[str] | None = None) -> Job | None:
        """Take the oldest queued job (or a running one whose worker stopped heartbeating) for ``worker``;
        None when there is none. A dead worker's job that used all its attempts is marked failed."""
        self.recover()
        query = select(JobRow.id).where(JobRow.status == "queued").order_by(JobRow.id).limit(5)
        if kinds is not None:
            query = query.where(JobRow.kind.in_(sorted(set(kinds))))
        with self._session() as s:  # idle workers poll with a read, not a write lock
            if s.scalar(query) is None:
                return None
        with self._session(write=True) as s:
            for job_id in s.scalars(query.with_for_update(skip_locked=True)).all():
                now = self._now()
                taken = s.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.status == "queued")
                    .values(
                        status="running",
                        worker=worker,
                        heartbeat_at=now,
                        attempts=JobRow.attempts + 1,
                        started_at=now,
                        error=None,
                    )
                    .execution_options(synchronize_session=False)
                ).rowcount
                if taken == 1:
                    s.expire_all()
                    job = _to_job(s.get(JobRow, job_id))
                    log.info("job %d claimed by %s (attempt %d)", job.id, worker, job.attempts)
                    return job
        return None

    def recover(self) -> tuple[int, int]:
        """Requeue running jobs whose worker stopped heartbeating (or fail them after max_attempts);
        return (requeued, failed). Files that were running go back to waiting."""
        stale = select(JobRow).where(
            JobRow.status == "running",
            or_(JobRow.heartbeat_at.is_(None), JobRow.heartbeat_at < self._stale_before()),
        )
        requeued = failed = 0
        with self._session() as s:
            if s.scalars(stale.limit(1)).first() is None:
                return 0, 0
        with self._session(write=True) as s:
            rows = s.scalars(stale.with_for_update(skip_locked=True)).all()
            for row in rows:
                lost = row.worker
                for f in row.files:
                    if f.status == "running":
                        f.status = "waiting"
                row.worker = None
                if row.attempts >= self.max_attempts:
                    row.status, row.finished_at = "failed", self._now()
                    row.error = (
                        f"the worker stopped responding (no heartbeat for {self.lease_s:g} s) and the job "
                        f"used all {self.max_attempts} attempts"
                    )
                    for f in row.files:
                        if f.status == "waiting":
                            f.status, f.error = "failed", "not processed: the job failed"
                    failed += 1
                else:
                    row.status = "queued"
                    requeued += 1
                log.warning("job %d: worker %s stopped heartbeating; %s", row.id, lost, row.status)
        return requeued, failed

    def _owned(self, s, job_id: int, worker: str) -> JobRow:
        row = s.get(JobRow, int(job_id))
        if row is None:
            raise NotFound(f"job {job_id} does not exist")
        if row.status != "running" or row.worker != worker:
            raise LeaseLost(f"job {job_id} is no longer run by {worker}")
        return row

    def heartbeat(self, job_id: int, worker: str) -> bool:
        """Renew the lease; False when this worker no longer owns the job."""
        with self._session(write=True) as s:
            done = s.execute(
                update(JobRow)
                .where(JobRow.id == int(job_id), JobRow.status == "running", JobRow.worker == worker)
                .values(heartbeat_at=self._now())
                .execution_options(synchronize_session=False)
            )
            return done.rowcount == 1

    def set_file(
        self,
        job_id: int,
        worker: str,
        position: int,
        status: str,
        *,
        error: str | None = None,
        chunks: int = 0,
    ) -> None:
        """Record one file's progress (also renews the lease); raises LeaseLost when the job is not ours."""
        if status not in ("waiting", "running", *FILE_DONE):
            raise JobError(f"invalid file status {status!r}")
        with self._session(write=True) as s:
            row = self._owned(s, job_id, worker)
            f = next((f for f in row.files if f.position == position), None)
            if f is None:
                raise NotFound(f"job {job_id} has no file {position}")
            f.status, f.error, f.chunks = status, error, int(chunks)
            row.heartbeat_at = self._now()

    def finish(
        self, job_id: int, worker: str, *, result: dict[str, Any] | None = None, error: str | None = None
    ) -> Job:
        """End a job: succeeded, or failed with ``error``. Raises LeaseLost when the job is not ours."""
        with self._session(write=True) as s:
            row = self._owned(s, job_id, worker)
            row.status = "failed" if error else "succeeded"
            row.error, row.result, row.finished_at, row.worker = error, result, self._now(), None
            s.flush()
            job = _to_job(row)
        log.info("job %d %s", job.id, job.status)
        return job
