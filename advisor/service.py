"""The Advisor: the one object the CLI, the app and the evals talk to (built by :mod:`advisor.factory`)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

from advisor.access import security_log
from advisor.access.audit import AuditLog
from advisor.access.policy import Access, replacements
from advisor.access.users import User
from advisor.answering.abstention import abstention_text
from advisor.answering.evidence_rule import EvidenceIndexes, screen
from advisor.answering.plan import draft_extractive, make_plan
from advisor.answering.sentences import split_sentences
from advisor.answering.special import special_answer
from advisor.answering.support import SupportChecker
from advisor.answering.verification import verify
from advisor.errors import AccessDenied, NotFound
from advisor.models import AUDIENCES, Answer, AnswerEvent, RetrievalTrace, StoreStatus
from advisor.retrieval.library import LibraryReport, build_library
from advisor.retrieval.prebuilt import vectors_path
from advisor.retrieval.question import Question, understand
from advisor.retrieval.retriever import HybridRetriever, RetrievalOptions, TenantIndex
from advisor.services import LLM, Services
from advisor.settings import Settings
from advisor.store.catalog import Catalog
from advisor.store.chroma import ChunkStore, TenantView, validate_client_id
from advisor.store.consistency import Health, check, tenants_to_check
from ingest.manifest import DocumentRecord, Manifest
from ingest.pipeline import IngestOptions, Ingestor, IngestReport

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Engine:
    """An answer engine: 'extractive' composes from passages; an LLM engine generates text."""

    name: str
    llm: LLM | None = None  # advisor.answering.llm_engine.LLMEngine; None: the extractive composer


class Advisor:
    def __init__(self, settings: Settings, store: ChunkStore, engine: Engine, audit: AuditLog) -> None:
        self.settings = settings
        self.store = store
        self.engine = engine
        self.audit = audit
        self.events = security_log.install(audit.db)  # security events; refused access is recorded there too
        self.retriever = HybridRetriever()
        self.checker = SupportChecker(store.embeddings)
        self._library_lock = threading.Lock()
        # The manifests are the truth of what each store lists; the catalog reads them fresh (one stat per
        # question), recovers a dead writer's change on open and keys every cache by their generation.
        self.catalog = Catalog(self.manifests, store, lock_timeout_s=settings.store.lock_timeout_s)
        store.catalog = self.catalog
        self._evidence = EvidenceIndexes()

    def services(self, user: User) -> Services:
        """The typed collaborators a feature uses, bound to ``user`` (every client-data read checks it)."""
        if not isinstance(user, User):
            raise AccessDenied(
                "no principal: every operation on client data needs a signed-in user "
                "or the terminal's local operator"
            )

        return Services(
            settings=self.settings,
            user=user,
            checker=self.checker,
            retriever=self.retriever,
            store=self.store,
            engine=self.engine.name,
            llm=self.engine.llm,
            index=partial(self.tenant_index, user=user),
            retrieve=partial(self.retrieve, user=user),
            options=self.retrieval_options,
        )

    # -- library -----------------------------------------------------------------------------
    @property
    def manifests(self) -> Path:
        return self.settings.data_dir / "manifests"

    def build_library(self, wait: Callable[[str], None] | None = None) -> LibraryReport:
        """Build the library under its inter-process write lock (``wait`` hears about waiting for it)."""
        with self._library_lock:
            return build_library(
                self.store,
                self.manifests,
                self.settings.corpus,
                self.catalog.lock(None),
                wait,
                prebuilt=vectors_path(self.settings),
            )

    def ensure_library(self) -> None:
        """The library is built on first use. Its manifest is checked per question by the catalog (one stat;
        re-read only when another process changed it)."""
        if not self.catalog.documents(None):
            self.build_library()

    # -- client documents ----------------------------------------------------------------------
    def _ingestor(
        self, client: str, doc_type: str | None = None, wait: Callable[[str], None] | None = None
    ) -> Ingestor:
        validate_client_id(client)
        options = IngestOptions(
            max_bytes=self.settings.max_file_bytes,
            chunk_chars=self.settings.chunk_chars,
            doc_type=doc_type,
            limits=self.settings.parsing.limits(),
            isolate=self.settings.parsing.isolate,
        )
        return Ingestor(
            self.store, Manifest(self.manifests, client), client, options, self.catalog.lock(client), wait
        )

    def ingest(
        self,
        paths: Sequence[Path],
        client: str,
        *,
        user: User,
        doc_type: str | None = None,
        prune: bool = False,
        progress: Callable[[str, str], None] | None = None,
        wait: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Ingest under the client's write lock; ``wait`` hears "waiting for another ingest ..." messages.

        ``user`` must read ``client``; replacing an indexed document with different content (an upload of a
        same-named file) or pruning needs the right to delete documents, as deleting does."""
        Access.require_read(user, client)
        validate_client_id(client)
        replaced = replacements(paths, self.catalog.documents(client))
        if replaced or prune:
            what = f"replace {', '.join(sorted(replaced))}" if replaced else "prune removed files"
            if not Access.has(user, "delete_documents"):
                raise AccessDenied(
                    f"user {user.username!r} may not {what}: replacing or removing a document "
                    "needs the right to delete documents"
                )
        report = self._ingestor(client, doc_type, wait).ingest(list(paths), prune=prune, progress=progress)
        self.events.record(
            "rescan" if prune else "upload",
            user=user,
            client=client,
            obj=", ".join(Path(p).name for p in paths)[:2000],
            outcome="partial" if report.failed else "ok",
            detail=f"added={len(report.added)} updated={len(report.updated)} "
            f"removed={len(report.removed)} failed={len(report.failed)}",
        )
        return report

    def forget(
        self, path: str, client: str, *, user: User, wait: Callable[[str], None] | None = None
    ) -> DocumentRecord:
        Access.require_read(user, client)
        Access.require(user, "delete_documents")
        record = self._ingestor(client, wait=wait).forget(path)
        self.events.record("delete", user=user, client=client, obj=record.source)
        return record

    def download_source(self, client: str, source: str, *, user: User) -> bytes:
        """The bytes of one of ``client``'s indexed source files (a ``download`` security event)."""
        Access.require_read(user, client)
        record = next((r for r in self.catalog.documents(client) if r.source == source), None)
        if record is None or not Path(record.path).is_file():
            raise NotFound(f"no source file {source!r} for client {client}")
        data = Path(record.path).read_bytes()
        self.events.record("download", user=user, client=client, obj=source, detail=f"{len(data)} bytes")
        return data

    def exported(self, what: str, client: str | None, *, user: User, obj: str = "") -> None:
        """Record that ``user`` exported ``what`` (an answer, a draft, a gap report, a questionnaire)."""
        Access.require_read(user, client)
        self.events.record("export", user=user, client=client, obj=obj, detail=what)

    def sources(self, client: str, *, user: User) -> list[DocumentRecord]:
        Access.require_read(user, client)
        validate_client_id(client)
        return sorted(self.catalog.documents(client), key=lambda d: d.source.lower())

    def client_count(self) -> int:
        """How many clients exist (a number, no names: for health checks)."""
        return len(
            {p.stem for p in self.manifests.glob("*.json") if not p.stem.startswith("_")}
            | set(self.store.tenants())
        )

    def clients(self, *, user: User) -> list[str]:
        """The clients ``user`` may read (admins: all)."""
        from_manifests = {p.stem for p in self.manifests.glob("*.json") if not p.stem.startswith("_")}
        return Access.visible_clients(user, sorted(from_manifests | set(self.store.tenants())))

    # -- questions -----------------------------------------------------------------------------
    def retrieval_options(self, **overrides: Any) -> RetrievalOptions:
        r = self.settings.retrieval
        base = RetrievalOptions(k=r.k, candidates=r.candidates, rrf_k=r.rrf_k, context_chars=r.context_chars)
        return replace(base, **overrides)

    def retrieve(
        self,
        question: str | Question,
        client: str | None,
        *,
        history: Sequence[str] = (),
        options: RetrievalOptions | None = None,
        user: User,
    ) -> RetrievalTrace:
        """Passages for ``question`` (text, read here with ``history``, or a reading already made)."""
        Access.require_read(user, client)
        self.ensure_library()
        reading = understand(question, history) if isinstance(question, str) else question
        # "What must a controller-processor contract contain?" is the law's question whoever is selected.
        scope = None if client is not None and reading.rules_only(client) else client
        trace = self.retriever.retrieve(self.store.scope(scope), reading, options or self.retrieval_options())
        return screen(trace)  # the evidence rule: flagged passages are withheld (and listed) here

    def ask(
        self,
        question: str,
        client: str | None,
        *,
        audience: str = "consultant",
        history: Sequence[tuple[str, str]] = (),
        user: User,
        options: RetrievalOptions | None = None,
    ) -> Answer:
        answer = None
        for event in self.stream(
            question, client, audience=audience, history=history, user=user, options=options
        ):
            if event.kind == "final":
                answer = event.answer
        assert answer is not None
        return answer

    def stream(
        self,
        question: str,
        client: str | None,
        *,
        audience: str = "consultant",
        history: Sequence[tuple[str, str]] = (),
        user: User,
        options: RetrievalOptions | None = None,
    ) -> Iterator[AnswerEvent]:
        """Answer events: 'sentence' events of the verified answer, then 'final' with the Answer (which is
        also written to the audit log). An LLM's raw text is never yielded: only what verification kept."""
        Access.require_read(user, client)
        if audience not in AUDIENCES:
            raise ValueError(f"unknown audience {audience!r}; valid: {', '.join(AUDIENCES)}")
        t0 = time.perf_counter()
        reading = understand(question, [q for q, _ in history])  # the one reading of the question
        special = special_answer(self, reading, client, audience, user)  # crosswalks, applicability
        if special is not None:
            for sentence in split_sentences(special.text):
                yield AnswerEvent("sentence", sentence)
            record_id = self.audit.record(special, user=user.username)
            yield AnswerEvent(
                "final",
                answer=replace(
                    special, timings={"total_ms": (time.perf_counter() - t0) * 1000, "audit_id": record_id}
                ),
            )
            return
        trace = self.retrieve(reading, client, options=options, user=user)
        t1 = time.perf_counter()
        plan = make_plan(
            lambda text, tenant: self.retrieve(text, tenant, options=options, user=user),
            self.checker,
            trace,
            client,
        )
        passages, decision = list(plan.passages), plan.decision
        # The answer's trace holds the passages it was drawn from (a comparison's sides, the library when the
        # client's documents did not answer), so the citations' [n] and the trace agree.
        trace = replace(trace, passages=plan.passages)
        draft = ""
        if not decision.abstain:  # no engine is asked to answer from evidence too weak to answer
            if self.engine.llm is None:
                # Retrieval used the follow-up with its context; the answer must fit the question as asked.
                draft = draft_extractive(plan, audience, self.checker, client)
            else:
                draft = "".join(self.engine.llm.stream(question, passages, audience, history))
        t2 = time.perf_counter()
        verified = verify(draft, passages, self.checker) if draft else None
        if verified is None or not verified.citations:
            text = abstention_text(reading, decision, client, trace.searched)
            answer = Answer(
                text=text,
                citations=(),
                abstained=True,
                audience=audience,
                backend=self.engine.name,
                client=client,
                question=question,
                trace=trace,
                removed=verified.removed if verified else (),
            )
        else:
            answer = Answer(
                text=verified.text,
                citations=verified.citations,
                abstained=False,
                audience=audience,
                backend=self.engine.name,
                client=client,
                question=question,
                trace=trace,
                checks=verified.checks,
                removed=verified.removed,
            )
        t3 = time.perf_counter()
        answer = replace(
            answer,
            timings={
                "retrieval_ms": (t1 - t0) * 1000,
                "generation_ms": (t2 - t1) * 1000,
                "verification_ms": (t3 - t2) * 1000,
                "total_ms": (t3 - t0) * 1000,
            },
        )
        for sentence in split_sentences(answer.text):
            yield AnswerEvent("sentence", sentence)
        record_id = self.audit.record(answer, user=user.username)
        log.info(
            "answered question for client %s: audit record %d, %d citations, abstained=%s",
            client,
            record_id,
            len(answer.citations),
            answer.abstained,
        )
        yield AnswerEvent("final", answer=replace(answer, timings={**answer.timings, "audit_id": record_id}))

    def tenant_index(self, client: str | None, *, user: User) -> TenantIndex:
        """All chunks of one client (or of the library, ``None``) with their BM25 index, cached until they
        change — the snapshot retrieval uses, shared with gap analysis, drafting and the library page.
        Only evidence is in it (:mod:`advisor.answering.evidence_rule`); its ``withheld`` lists what was
        left out."""
        Access.require_read(user, client)
        if client is None:
            self.ensure_library()
        return self._evidence.of(client, self.retriever.index(self.store.scope(client), client))

    def library_index(self) -> TenantIndex:
        """The built-in library's snapshot (public regulatory texts: no client data, so no principal)."""
        self.ensure_library()
        return self._evidence.of(None, self.retriever.index(self.store.scope(None), None))

    def library_generation(self) -> int | tuple[int, int]:
        """The library's persisted generation (the key of caches over its clauses)."""
        return self.store.generation(None)

    def status(self) -> StoreStatus:
        """What the store is and holds, in numbers (no client names): health checks and the status page."""
        return StoreStatus(
            store=self.store.describe,
            engine=self.engine.name,
            library_chunks=self.store.count(None),
            client_collections=len(self.store.tenants()),
        )

    def store_health(
        self, client: str | None = None, *, repair: bool = False, wait: Callable[[str], None] | None = None
    ) -> list[Health]:
        """Are the stores consistent with their manifests (one client, else every client and the library)?
        ``repair`` fixes what it can under each store's write lock (see :mod:`advisor.store.consistency`)."""
        tenants = [validate_client_id(client)] if client else tenants_to_check(self.store, self.catalog)
        return [check(self.store, self.catalog, t, repair=repair, wait=wait) for t in tenants]

    def warm_up(self) -> None:
        """Build the library's lexical index and load the embedding model before the first question."""
        self.library_index()
        self.store.embeddings.embed_query("information security policy")

    def library_view(self) -> TenantView:
        """The store's view of the built-in library (public regulatory texts: no principal)."""
        self.ensure_library()
        return self.store.scope(None)

    def chunk_text(self, client: str | None, chunk_id: str, *, user: User) -> str:
        """The whole text of one cited chunk (the UI's 'view whole chunk')."""
        Access.require_read(user, client)
        found = self.store.get(client, [chunk_id]) if chunk_id in self.catalog.listed(client) else []
        if not found:
            raise NotFound(f"chunk {chunk_id} not found for {client or 'the library'}")
        return found[0].text
