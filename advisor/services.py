"""The typed collaborators that features use, instead of reaching into the Advisor.

Gap analysis, questionnaire autofill, drafting, crosswalks, the app's pages and the evals each need a few
things: the support checker (claim scoring and cached sentence vectors), the hybrid retriever, a view of
the store, a tenant's evidence snapshot and, with an LLM engine, the engine. :class:`Services` bundles them,
bound to one principal, so every client-data read below an entry point keeps the caller's identity and is
checked by the core. :meth:`advisor.service.Advisor.services` builds it; tests can build one from fakes.

Usage::

    services = adv.services(user)             # raises AccessDenied for a missing principal
    snapshot = services.index("acme")         # == adv.tenant_index("acme", user=user)
    services.checker.similarity("backup", ["Backups run nightly."])
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # types only: importing them here would pull the store and retrieval into every caller
    from advisor.access.users import User
    from advisor.answering.support import SupportChecker
    from advisor.models import Passage, RetrievalTrace
    from advisor.retrieval.question import Question
    from advisor.retrieval.retriever import HybridRetriever, RetrievalOptions, TenantIndex
    from advisor.settings import Settings
    from advisor.store.chroma import ChunkStore


class LLM(Protocol):
    """An LLM answer engine as answering and drafting use it
    (:class:`advisor.answering.llm_engine.LLMEngine`)."""

    name: str

    def generate(
        self,
        question: str,
        passages: Sequence[Passage],
        audience: str = "consultant",
        history: Sequence[tuple[str, str]] = (),
    ) -> str: ...

    def stream(
        self,
        question: str,
        passages: Sequence[Passage],
        audience: str = "consultant",
        history: Sequence[tuple[str, str]] = (),
    ) -> Iterator[str]: ...


class Retrieve(Protocol):
    """Principal-checked hybrid retrieval for one client plus the library (evidence rule applied)."""

    def __call__(
        self,
        question: str | Question,  # text (read with ``history``) or a reading already made
        client: str | None,
        *,
        history: Sequence[str] = (),
        options: RetrievalOptions | None = None,
    ) -> RetrievalTrace: ...


@dataclass(frozen=True)
class Services:
    """What a feature may use, bound to ``user``. Every callable checks ``user`` in the core."""

    settings: Settings
    user: User
    checker: SupportChecker  # "is this claim supported?", and unit vectors of texts (cached)
    retriever: HybridRetriever  # hybrid retrieval, single questions and batches
    store: ChunkStore  # the store; its tenant views enforce tenancy
    engine: str  # the answer engine's label ("extractive", "llm:ollama:...")
    llm: LLM | None  # the LLM engine, None for the extractive engine
    index: Callable[[str | None], TenantIndex]  # a tenant's evidence snapshot (None: the library)
    retrieve: Retrieve
    options: Callable[..., RetrievalOptions]  # retrieval options from settings, with overrides

    def library(self) -> TenantIndex:
        """The built-in library's evidence snapshot (built on first use)."""
        return self.index(None)

    def generation(self, tenant: str | None) -> int | tuple[int, int]:
        """The tenant's persisted generation: the key of every cache over its chunks."""
        return self.store.generation(tenant)
