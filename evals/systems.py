"""Systems under evaluation, behind one small interface, and what they hand back for scoring.

``AdvisorSystem`` wraps the real core (``adv.ask`` for the answer, ``adv.retrieve`` for the ranking the
retrieval metrics read); retrieval variants (BM25 only, dense only) are the same class with retrieval
options. The naive LangChain baseline lives in :mod:`evals.baseline_rag` and returns the same shapes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from advisor.access.policy import local_operator
from advisor.answering.sentences import markers, split_sentences, strip_bullet, strip_markers
from advisor.service import Advisor
from advisor.services import Services
from evals.datasets import Case
from evals.metrics import SentenceCitations

_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class IndexedChunk:
    """What the metrics need to know about one chunk of a system's index."""

    id: str
    source: str
    page: int | None
    section: str | None
    framework: str | None  # library chunks only
    client: str | None
    text: str


@dataclass(frozen=True)
class SystemAnswer:
    text: str
    abstained: bool
    citations: tuple[dict[str, Any], ...]  # {"source", "page", "section", "client"} as in the ask contract
    sentences: tuple[SentenceCitations, ...]  # answer sentences with the texts of the passages they cite
    ranked: tuple[str, ...]  # chunk ids, best first (the retrieval metrics read this)
    latency_ms: float
    extra: dict[str, Any] = field(default_factory=dict)


class System(Protocol):
    name: str

    def index(self, tenant: str | None) -> Sequence[IndexedChunk]:
        """Every chunk the system can retrieve for ``tenant`` (None: the regulatory library)."""

    def run(self, case: Case) -> SystemAnswer: ...


def is_claim(sentence: str) -> bool:
    """Sentences of fewer than three words ("Yes.", "Details:") are structure, not claims."""
    return len(_WORD.findall(strip_markers(sentence))) >= 3


def cited_sentences(text: str, passage_text: dict[int, str]) -> tuple[SentenceCitations, ...]:
    """Split an answer with [n] markers into claims and the texts of the passages each one cites."""
    out = []
    for sentence in split_sentences(text):
        sentence = strip_bullet(sentence)
        if not is_claim(sentence):
            continue
        cited = tuple(passage_text[n] for n in markers(sentence) if n in passage_text)
        out.append(SentenceCitations(strip_markers(sentence), cited))
    return tuple(out)


def chunk_view(chunk: Any) -> IndexedChunk:
    return IndexedChunk(
        id=chunk.id,
        source=chunk.source,
        page=chunk.page,
        section=chunk.section,
        framework=chunk.extra.get("framework"),
        client=chunk.client,
        text=chunk.text,
    )


class AdvisorSystem:
    """vciso itself, optionally with retrieval options (``dense=False`` is BM25 only, ``lexical=False``
    dense only)."""

    RANK_DEPTH = 10

    def __init__(
        self, adv: Advisor, name: str = "vciso", *, services: Services | None = None, **options: Any
    ) -> None:
        self.adv = adv
        self.services = services or adv.services(local_operator())  # the evals run as the terminal's operator
        self.name = name
        self.options = options
        self._index: dict[str | None, list[IndexedChunk]] = {}

    def index(self, tenant: str | None) -> list[IndexedChunk]:
        if tenant not in self._index:
            self._index[tenant] = [chunk_view(c) for c in self.services.store.all_chunks(tenant)]
        return self._index[tenant]

    def run(self, case: Case) -> SystemAnswer:
        adv = self.adv
        options = adv.retrieval_options(**self.options) if self.options else None
        t0 = time.perf_counter()
        operator = local_operator()  # the evals run from the terminal, as its operator
        answer = adv.ask(case.question, case.client, audience=case.audience, options=options, user=operator)
        latency = (time.perf_counter() - t0) * 1000
        # The ranking the retrieval metrics read: the same retrieval, deeper and without the context budget.
        trace = adv.retrieve(
            case.question,
            case.client,
            user=operator,
            options=adv.retrieval_options(**{**self.options, "k": self.RANK_DEPTH, "context_chars": 10**9}),
        )
        ranked: list[str] = []
        for p in trace.passages:
            for chunk_id in (p.id, *p.merged_ids):
                if chunk_id not in ranked:
                    ranked.append(chunk_id)
        by_chunk: dict[str, str] = {}
        for p in answer.trace.passages if answer.trace else ():
            for chunk_id in (p.id, *p.merged_ids):
                by_chunk.setdefault(chunk_id, p.text)
        passage_text = {c.n: by_chunk.get(c.chunk_id, c.quote) for c in answer.citations}
        return SystemAnswer(
            text=answer.text,
            abstained=answer.abstained,
            citations=tuple(c.as_contract() for c in answer.citations),
            sentences=() if answer.abstained else cited_sentences(answer.text, passage_text),
            ranked=tuple(ranked),
            latency_ms=latency,
            extra={"removed": len(answer.removed)},
        )
