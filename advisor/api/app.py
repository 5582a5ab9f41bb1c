"""The FastAPI application: one :class:`ApiContext` (advisor, users, tokens, jobs, call log, limiter)
built once per process from the settings, the routers, the problem handlers and the middlewares.

    app = create_app(Settings())                  # what `vciso api` serves with uvicorn
    app = create_app(settings, advisor=adv)       # tests pass an advisor with fake embeddings

OpenAPI is served at ``/openapi.json``, interactive docs at ``/docs``.
"""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from fastapi import FastAPI

from advisor.access.tokens import TokenStore
from advisor.access.users import UserStore
from advisor.api import problems
from advisor.api.auth import RateLimiter
from advisor.api.calls import BodyLimit, CallAudit, CallLog
from advisor.db import open_database
from advisor.jobs.queue import JobQueue
from advisor.service import Advisor
from advisor.settings import Settings

if TYPE_CHECKING:
    from advisor.jobs.worker import Worker

log = logging.getLogger(__name__)


def _version() -> str:
    try:
        return version("vciso")
    except PackageNotFoundError:
        return "0"


@dataclass
class ApiContext:
    """Everything the endpoints use; built once per process."""

    settings: Settings
    adv: Advisor
    users: UserStore
    tokens: TokenStore
    jobs: JobQueue
    calls: CallLog
    limiter: RateLimiter
    worker: Worker | None = None  # when this process runs jobs itself
    ready: threading.Event = field(default_factory=threading.Event)
    warm_error: str = ""

    def start_worker(self) -> None:
        """Run queued jobs in this process (``settings.jobs.embedded_workers`` threads; 0: separate
        ``vciso worker`` processes run them)."""
        threads = self.settings.jobs.embedded_workers
        if threads > 0 and self.worker is None:
            from advisor.jobs.worker import Worker

            self.worker = Worker(
                self.adv, self.jobs, threads=threads, poll_s=self.settings.jobs.poll_s, users=self.users
            ).start()

    def stop_worker(self) -> None:
        if self.worker is not None:
            self.worker.stop(timeout=5.0)
            self.worker = None

    def notify(self) -> None:
        """A job was queued: look for it now instead of after the poll interval."""
        if self.worker is not None:
            self.worker.notify()

    def warm_up(self) -> None:
        """Open the library and build its lexical index before the first question (``/ready`` waits for
        it)."""
        try:
            self.adv.ensure_library()
            self.adv.library_index()
        except Exception as exc:  # noqa: BLE001 — /ready reports it; questions raise their own clear error
            log.error("warm-up failed: %s", type(exc).__name__)
            self.warm_error = f"the regulatory library could not be opened: {exc}"
        finally:
            self.ready.set()


def build_context(settings: Settings, advisor: Advisor | None = None) -> ApiContext:
    from advisor.factory import build_advisor

    adv = advisor or build_advisor(settings)
    db = open_database(settings)
    return ApiContext(
        settings=settings,
        adv=adv,
        users=UserStore(db),
        tokens=TokenStore(db),
        jobs=JobQueue.from_settings(settings),
        calls=CallLog(db),
        limiter=RateLimiter(settings.api.rate_limit),
    )


def create_app(settings: Settings, *, advisor: Advisor | None = None, warm: bool = True) -> FastAPI:
    """The API app. ``warm=False`` skips the background warm-up (``/ready`` is then ready at once)."""
    from advisor.api.routes import answers, assessment, chunks, documents, drafts, health, jobs

    ctx = build_context(settings, advisor)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if warm:
            threading.Thread(target=ctx.warm_up, name="vciso-api-warm-up", daemon=True).start()
        else:
            ctx.ready.set()
        ctx.start_worker()
        yield
        ctx.stop_worker()

    app = FastAPI(
        title="vciso API",
        version=_version(),
        description="Grounded answers with page-accurate citations from a client's documents and the "
        "regulatory "
        "library; documents, gap analyses, questionnaires, drafts and the audit log. Authenticate with "
        "a personal token (`vciso tokens create --user NAME --name LABEL`) as `Authorization: Bearer`. "
        "Errors are RFC 9457 problem details (application/problem+json).",
        lifespan=lifespan,
        responses={k: v for k, v in problems.PROBLEM_RESPONSES.items() if k in (401, 422, 429)},
    )
    app.state.ctx = ctx
    problems.install(app)
    for module in (health, answers, documents, chunks, jobs, assessment, drafts):
        app.include_router(module.router)
    app.add_middleware(CallAudit, calls=ctx.calls)
    app.add_middleware(BodyLimit, max_bytes=int(settings.api.max_upload_mb * 1024 * 1024))
    if not warm:
        ctx.ready.set()
    return app
