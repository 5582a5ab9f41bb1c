"""Batched evidence retrieval from ONE client's documents (the library is never evidence).

Gap analysis and questionnaires run hundreds of queries against the same client. Embedding each query
is the main cost, so all queries are embedded in one batch, then each is searched densely (Chroma,
through the tenant view, so tenancy stays enforced by the store) and lexically (BM25 over the client's
chunks), and the two rankings are fused by reciprocal rank fusion — the same recipe as
:mod:`advisor.retrieval.retriever`, restricted to the client's own collection.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Sequence

import numpy as np

from advisor.answering.evidence_rule import admissible
from advisor.answering.sentences import split_sentences
from advisor.models import Citation, Passage
from advisor.retrieval.fusion import rrf
from ingest.types import Chunk

log = logging.getLogger(__name__)


class ClientEvidence:
    """Search one client's chunks for many queries at once."""

    def __init__(self, adv, client: str) -> None:
        self.adv = adv
        self.client = client
        self.view = adv.store.scope(client)
        index = adv.tenant_index(
            client
        )  # the snapshot retrieval keeps: no second fetch, no second BM25 build
        self.chunks: list[Chunk] = index.chunks
        self.by_id = {c.id: c for c in self.chunks}
        self.lexical = index.lexical
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
        keep = self._keep(doc_types, exclude, drop)
        where = {"doc_type": {"$in": list(doc_types)}} if doc_types else None
        out: list[list[Passage]] = []
        for i, (query, vector) in enumerate(zip(queries, vectors)):
            pool: dict[str, Passage] = {}
            dense_ids = []
            for hit in self.view.dense_search(self.client, vector.tolist(), candidates, where):
                if hit.chunk.client != self.client or not keep(hit.chunk):
                    continue
                dense_ids.append(hit.chunk.id)
                pool[hit.chunk.id] = Passage(hit.chunk, hit.chunk.text, 0.0, dense=hit.similarity)
            lex_ids = []
            for pos, score in self.lexical.query(query, candidates * 2):
                chunk = self.chunks[pos]
                if not keep(chunk):
                    continue
                lex_ids.append(chunk.id)
                prev = pool.get(chunk.id)
                pool[chunk.id] = Passage(
                    chunk, chunk.text, 0.0, dense=prev.dense if prev else 0.0, lexical=score
                )
                if len(lex_ids) >= candidates:
                    break
            fused = rrf([(1.0, dense_ids), (1.0, lex_ids)])[:k]
            lexical_only = [cid for cid, _ in fused if cid not in dense_ids]
            if lexical_only:  # BM25-only hits: their cosine to the query, from cached chunk vectors
                sims = self.adv.checker.vectors([pool[c].text for c in lexical_only]) @ vector
                for cid, sim in zip(lexical_only, sims):
                    pool[cid] = Passage(pool[cid].chunk, pool[cid].text, 0.0, float(sim), pool[cid].lexical)
            out.append(
                [
                    Passage(pool[cid].chunk, pool[cid].text, s, pool[cid].dense, pool[cid].lexical)
                    for cid, s in fused
                ]
            )
            if progress:
                progress(i + 1, len(queries))
        log.info(
            "client evidence: %d queries embedded in %.2fs, searched in %.2fs",
            len(queries),
            t1 - t0,
            time.perf_counter() - t1,
        )
        return out

    @staticmethod
    def _keep(
        doc_types: tuple[str, ...], exclude: tuple[str, ...], drop: Callable[[Chunk], bool] | None = None
    ):
        return lambda c: (
            admissible(c)
            and (not doc_types or c.doc_type in doc_types)
            and c.doc_type not in exclude
            and not (drop and drop(c))
        )  # dense hits come from the store: the evidence rule again


def best_sentence(adv, claim: str, text: str) -> str:
    """The sentence of ``text`` closest to ``claim`` (the quote of a citation)."""
    return adv.checker.check(claim, [text]).best.strip()


def citations(adv, claim: str, passages: Sequence[Passage]) -> list[dict]:
    """Contract-shaped citations (n from 1) with the sentence of each passage closest to ``claim``."""
    out = []
    for n, p in enumerate(passages, start=1):
        quote = expand(p.text, best_sentence(adv, claim, p.text)) if split_sentences(p.text) else p.text[:300]
        out.append(Citation.from_passage(n, p, _tidy(quote)).as_contract())
    return out


def expand(text: str, sentence: str, limit: int = 320) -> str:
    """The quote for ``sentence`` of ``text``: a heading is quoted with the sentence after it, and a list
    introduction ("MFA is required for:") with the items that follow it."""
    sentence = quote = sentence.strip()
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
