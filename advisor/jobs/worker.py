"""The worker: threads that claim jobs from the state database and run them (:mod:`advisor.jobs.queue`).

Two setups, one code path:

- embedded: the app starts a :class:`Worker` with ``settings.jobs.embedded_workers`` threads in its own
  process (``ui.context``), so uploads never block a page;
- scale-out: ``vciso worker`` runs one in a separate process (or several, on several machines sharing
  the database, the Chroma server and the data dir) and the app replicas set ``embedded_workers=0``.

A heartbeat thread renews the lease of every job this process runs; when the process dies, another
worker's :meth:`JobQueue.claim` finds the lease expired and resumes the job (files already done stay
done), or fails it after ``max_attempts``. A job runs as the user who submitted it: their role and
client assignments are checked again when it starts.

Handlers map a job kind to ``handler(ctx) -> result dict``; add a kind by passing ``handlers=``. A job's
input files may wait in a folder under ``data_dir/jobs`` named by ``params["staging"]``; the worker
removes it when the job ends (not when it is left to be resumed).
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from advisor.access.security_log import request_source
from advisor.access.users import User, UserStore
from advisor.errors import AdvisorError, NotFound
from advisor.jobs.queue import Job, JobQueue, LeaseLost

log = logging.getLogger(__name__)

Handler = Callable[["JobContext"], dict[str, Any]]


@dataclass
class JobContext:
    """What a handler gets: the job, the advisor, the user it runs as, and progress reporting."""

    job: Job
    advisor: Any  # advisor.service.Advisor
    user: User
    queue: JobQueue
    worker: str
    lost: threading.Event = field(default_factory=threading.Event)

    @property
    def client(self) -> str:
        """The client of a job that works on one (ingest, gaps, questionnaire)."""
        if self.job.client is None:
            raise ValueError(f"job {self.job.id} ({self.job.kind}) names no client")
        return self.job.client

    def set_file(self, position: int, status: str, *, error: str | None = None, chunks: int = 0) -> None:
        self.queue.set_file(self.job.id, self.worker, position, status, error=error, chunks=chunks)


def default_handlers() -> dict[str, Handler]:
    from advisor.assessment.jobs import GAPS, QUESTIONNAIRE, run_gaps, run_questionnaire
    from advisor.jobs.uploads import INGEST, run_ingest

    return {INGEST: run_ingest, GAPS: run_gaps, QUESTIONNAIRE: run_questionnaire}


class Worker:
    """``threads`` runner threads plus one heartbeat thread; :meth:`start` / :meth:`stop`, or
    :meth:`run_once` to run one job in the calling thread (tests, ``vciso worker --once``)."""

    def __init__(
        self,
        advisor,
        queue: JobQueue,
        *,
        threads: int = 1,
        poll_s: float = 1.0,
        handlers: Mapping[str, Handler] | None = None,
        users: UserStore | None = None,
    ) -> None:
        self.advisor = advisor
        self.queue = queue
        self.threads = max(1, int(threads))
        self.poll_s = float(poll_s)
        self.handlers = dict(handlers if handlers is not None else default_handlers())
        self.users = users or UserStore(queue.db)
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._running: dict[int, JobContext] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    # -- lifecycle --------------------------------------------------------------------------
    def start(self) -> Worker:
        self._stop.clear()
        for n in range(self.threads):
            t = threading.Thread(
                target=self._loop, args=(f"{self.name}:{n}",), name=f"vciso-worker-{n}", daemon=True
            )
            t.start()
            self._threads.append(t)
        hb = threading.Thread(target=self._heartbeat_loop, name="vciso-worker-heartbeat", daemon=True)
        hb.start()
        self._threads.append(hb)
        log.info("worker %s started with %d threads", self.name, self.threads)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop claiming; wait up to ``timeout`` for running jobs (an unfinished one is resumed elsewhere)."""
        self._stop.set()
        self._wake.set()
        for t in self._threads:
            t.join(timeout)
        self._threads.clear()

    def notify(self) -> None:
        """Look for work now instead of after the poll interval (the app calls it after a submit)."""
        self._wake.set()

    @property
    def busy(self) -> int:
        with self._lock:
            return len(self._running)

    # -- running ------------------------------------------------------------------------------
    def _loop(self, worker_id: str) -> None:
        while not self._stop.is_set():
            try:
                ran = self.run_once(worker_id)
            except AdvisorError as exc:  # e.g. the database is briefly unreachable: try again later
                log.warning("worker %s: %s", worker_id, exc)
                ran = None
            if ran is None:
                self._wake.wait(self.poll_s)
                self._wake.clear()

    def run_once(self, worker_id: str | None = None) -> Job | None:
        """Claim one job and run it to its end; None when no job was waiting."""
        worker_id = worker_id or f"{self.name}:once"
        job = self.queue.claim(worker_id, kinds=self.handlers)
        if job is None:
            return None
        return self._run(job, worker_id)

    def _run(self, job: Job, worker_id: str) -> Job:
        try:
            user = self._user(job)
            ctx = JobContext(job=job, advisor=self.advisor, user=user, queue=self.queue, worker=worker_id)
        except AdvisorError as exc:
            return self._finish(job, worker_id, error=str(exc))
        with self._lock:
            self._running[job.id] = ctx
        try:
            with request_source(f"job {job.id}", job.created_by):  # events name the job they came from
                result = self.handlers[job.kind](ctx)
        except LeaseLost:
            log.warning("job %d: lease lost by %s; another worker owns it now", job.id, worker_id)
            return self.queue.get(job.id)
        except AdvisorError as exc:
            return self._finish(job, worker_id, error=str(exc))
        except Exception as exc:  # a bug must fail the job, not kill the worker
            log.exception("job %d failed with an internal error", job.id)
            return self._finish(
                job, worker_id, error=f"internal error ({type(exc).__name__}); see the worker's log"
            )
        finally:
            with self._lock:
                self._running.pop(job.id, None)
        return self._finish(job, worker_id, result=result)

    def _finish(self, job: Job, worker_id: str, **outcome) -> Job:
        try:
            done = self.queue.finish(job.id, worker_id, **outcome)
        except LeaseLost:
            log.warning("job %d finished by %s after its lease was lost; outcome dropped", job.id, worker_id)
            return self.queue.get(job.id)
        self._discard_staging(job)
        return done

    def _discard_staging(self, job: Job) -> None:
        """Remove the job's input folder (``params["staging"]``, under ``data_dir/jobs``) once it has
        ended."""
        staging = job.params.get("staging")
        if not staging:
            return
        folder = Path(staging).resolve()
        if folder.is_relative_to((self.advisor.settings.data_dir / "jobs").resolve()):
            shutil.rmtree(folder, ignore_errors=True)

    def _user(self, job: Job) -> User:
        try:
            user = self.users.get(job.created_by)
        except NotFound as exc:
            raise NotFound(f"job {job.id}: user {job.created_by!r} no longer exists") from exc
        if user.disabled:
            raise NotFound(f"job {job.id}: user {job.created_by!r} is disabled")
        return user

    def _heartbeat_loop(self) -> None:
        interval = max(0.2, self.queue.lease_s / 3)
        while not self._stop.wait(interval):
            with self._lock:
                running = list(self._running.values())
            for ctx in running:
                try:
                    if not self.queue.heartbeat(ctx.job.id, ctx.worker):
                        ctx.lost.set()
                except AdvisorError as exc:
                    log.warning("heartbeat for job %d failed: %s", ctx.job.id, exc)
