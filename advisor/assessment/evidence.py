"""Batched evidence retrieval from ONE client's documents (the library is never evidence).

Gap analysis and questionnaires run hundreds of queries against the same client. Embedding each query
is the main cost, so all queries are embedded in one batch; the searches then go through the hybrid
retriever's batch method (:meth:`advisor.retrieval.retriever.HybridRetriever.search_many`: dense through
the tenant view, so tenancy stays enforced by the store, plus BM25, fused by reciprocal rank fusion),
restricted to the client's own collection and to admissible evidence.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence

import numpy as np

from advisor.answering.evidence_rule import admissible
from advisor.answering.sentences import split_sentences
from advisor.answering.support import SupportChecker
from advisor.models import Citation, Passage
from advisor.services import Services
from ingest.types import Chunk

log = logging.getLogger(__name__)


class ClientEvidence:
    """Search one client's chunks for many queries at once."""

    def __init__(self, services: Services, client: str) -> None:
        self.services = services
        self.client = client
        self.view = services.store.scope(client)
        # the snapshot retrieval keeps (evidence only): no second fetch, no second BM25 build
        self.index = services.index(client)
        self.chunks: list[Chunk] = self.index.chunks
        self.by_id = {c.id: c for c in self.chunks}
        self.corpus_text = "\n".join(c.text for c in self.chunks).lower()

    def __bool__(self) -> bool:
        return bool(self.chunks)

    def mentions(self, words: Sequence[str]) -> bool:
        return any(w.lower() in self.corpus_text for w in words)

    def search(
        self,
        queries: Sequence[str],
        *,
        k: int = 6,
        candidates: int = 20,
        doc_types: tuple[str, ...] = (),
        exclude: tuple[str, ...] = (),
        vectors: np.ndarray | None = None,
        drop: Callable[[Chunk], bool] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[list[Passage]]:
        """For each query, the best ``k`` client passages. ``vectors``: the queries' embeddings when the
        caller already has them (else they are computed here, in one batch)."""
        if not self.chunks or not queries:
            return [[] for _ in queries]
        t0 = time.perf_counter()
        if vectors is None:
            vectors = np.asarray(self.view.embeddings.embed_documents(list(queries)), dtype=np.float32)
        t1 = time.perf_counter()
        found = self.services.retriever.search_many(
            self.view,
            self.index,
            queries,
            vectors.tolist(),
            k=k,
            candidates=candidates,
            doc_types=doc_types,
            keep=self._keep(doc_types, exclude, drop),
            progress=progress,
        )
        out = [self._with_cosines(passages, vector) for passages, vector in zip(found, vectors)]
        log.info(
            "client evidence: %d queries embedded in %.2fs, searched in %.2fs",
            len(queries),
            t1 - t0,
            time.perf_counter() - t1,
        )
        return out

    def _with_cosines(self, passages: list[Passage], vector: np.ndarray) -> list[Passage]:
        """BM25-only hits get their cosine to the query, from the checker's cached chunk vectors."""
        lexical_only = [i for i, p in enumerate(passages) if p.dense == 0.0]
        if not lexical_only:
            return passages
        sims = self.services.checker.vectors([passages[i].text for i in lexical_only]) @ vector
        out = list(passages)
        for i, sim in zip(lexical_only, sims):
            p = out[i]
            out[i] = Passage(p.chunk, p.text, p.score, float(sim), p.lexical)
        return out

    @staticmethod
    def _keep(
        doc_types: tuple[str, ...], exclude: tuple[str, ...], drop: Callable[[Chunk], bool] | None = None
    ) -> Callable[[Chunk], bool]:
        return lambda c: (
            admissible(c)
            and (not doc_types or c.doc_type in doc_types)
            and c.doc_type not in exclude
            and not (drop and drop(c))
        )  # dense hits come from the store: the evidence rule again


def best_sentence(checker: SupportChecker, claim: str, text: str) -> str:
    """The sentence of ``text`` closest to ``claim`` (the quote of a citation)."""
    return checker.check(claim, [text]).best.strip()


def citations(checker: SupportChecker, claim: str, passages: Sequence[Passage]) -> list[dict]:
    """Contract-shaped citations (n from 1) with the sentence of each passage closest to ``claim``."""
    out = []
    for n, p in enumerate(passages, start=1):
        quote = (
            expand(p.text, best_sentence(checker, claim, p.text)) if split_sentences(p.text) else p.text[:300]
        )
        out.append(Citation.from_passage(n, p, _tidy(quote)).as_contract())
    return out


def table_row(text: str, sentence: str) -> str:
    """When ``sentence`` is a table line of ``text`` ("Ref | Provider | Audit rights" or a row under it), the
    row it belongs to read against its header ("Ref: ICT-05; Provider: PagerDuty, Inc.; Audit rights: No");
    "" otherwise. A header alone says nothing about the client, so its first row is quoted with it."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if " | " not in sentence or sentence not in lines:
        return ""
    i = lines.index(sentence)
    width = sentence.count(" | ")
    rows = [j for j in range(len(lines)) if lines[j].count(" | ") == width]
    if i not in rows or len(rows) < 2:
        return ""
    header, row = (lines[rows[0]], lines[rows[1]] if i == rows[0] else sentence)
    pairs = zip(header.split(" | "), row.split(" | "), strict=True)
    return "; ".join(f"{h.strip()}: {v.strip()}" for h, v in pairs if v.strip())


def expand(text: str, sentence: str, limit: int = 320) -> str:
    """The quote for ``sentence`` of ``text``: a heading is quoted with the sentence after it, a list
    introduction ("MFA is required for:") with the items that follow it, and a table line as its row read
    against the header (:func:`table_row`)."""
    sentence = quote = sentence.strip()
    row = table_row(text, sentence)
    if row:
        return row if len(row) <= limit else row[: limit - 1].rstrip() + "…"
    if len(sentence) < 40 and not sentence.endswith((".", ":")):  # a heading: quote what follows it
        following = split_sentences(text.split(sentence, 1)[-1])
        if not following:
            return sentence
        sentence = following[0]
        quote = f"{quote}: {sentence}"
    if sentence.endswith(":"):
        after = text.split(sentence, 1)[-1]
        items = [s.strip().lstrip("-•* ").strip() for s in after.splitlines() if s.strip()][:4]
        quote = quote + " " + "; ".join(items)
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"


def _tidy(quote: str, limit: int = 400) -> str:
    quote = re.sub(r"\s+", " ", quote).strip()
    return quote if len(quote) <= limit else quote[: limit - 1].rstrip() + "…"
