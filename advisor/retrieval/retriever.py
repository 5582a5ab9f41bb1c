"""Hybrid retrieval for one client plus the library: dense + BM25 fused by RRF, clause ids first."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from advisor.models import Passage, RetrievalTrace
from advisor.retrieval.crosswalk import official
from advisor.retrieval.editions import superseded, year_of
from advisor.retrieval.fusion import merge_neighbours, rrf, within_budget
from advisor.retrieval.identifiers import Identifier, section_matches
from advisor.retrieval.items import companions, item_units, own_sections
from advisor.retrieval.lexical import LexicalIndex, index_name, persisted_index
from advisor.retrieval.question import Question
from advisor.store.chroma import TenantView
from advisor.store.generations import GenerationCache
from ingest.types import Chunk

log = logging.getLogger(__name__)

SUPERSEDED_WEIGHT = 0.5  # fused score factor of an older edition of a client document (see editions.py)
COMPANION_DEPTH = 3  # ranked passages whose table row brings its item's own section (see _with_companions)
RECITAL_WEIGHT = (
    0.5  # fused score factor of a recital (GDPR and the EU cyber laws): operative text ranks first
)


@dataclass(frozen=True)
class RetrievalOptions:
    k: int = 8
    candidates: int = 40
    rrf_k: int = 60
    context_chars: int = 6000
    doc_types: tuple[str, ...] = ()
    frameworks: tuple[str, ...] = ()
    dense: bool = True
    lexical: bool = True


class TenantIndex:
    """A snapshot of one tenant's chunks with its BM25 index and a clause-id lookup."""

    def __init__(self, chunks: list[Chunk], lexical: LexicalIndex | None = None) -> None:
        self.chunks = chunks
        self.lexical = lexical if lexical is not None else LexicalIndex([c.text for c in chunks])
        self.withheld: tuple[str, ...] = ()  # an evidence-only snapshot lists the documents it left out
        self.by_section: dict[str, list[Chunk]] = {}
        for c in chunks:
            if c.section:
                self.by_section.setdefault(c.section, []).append(c)
        # Library units by their title ("essential cybersecurity requirements", "security of processing"):
        # a question that names a title of three words or more names the clause.
        # Older editions of the client's documents ("…_2025.pdf" beside "…_2026.pdf"): {source: latest}.
        self.superseded = superseded({(c.source, c.doc_type) for c in chunks if c.client is not None})
        self.item_sections = own_sections(chunks)  # {(source, id key): an item's own section}
        self.by_title: dict[str, list[Chunk]] = {}
        for c in chunks:
            title = _title_key(c.title or "") if c.client is None and c.doc_type == "regulation" else ""
            if title:
                self.by_title.setdefault(title, []).append(c)


class HybridRetriever:
    """Keeps one BM25 index per tenant, keyed by the tenant's generation: the counter persisted in its
    manifest, so the index is rebuilt after a change made by any process."""

    def __init__(self) -> None:
        self._indexes: GenerationCache[TenantIndex] = GenerationCache()

    def index(self, view: TenantView, tenant: str | None) -> TenantIndex:
        """The tenant's cached snapshot, rebuilt only when its chunks changed (a new generation)."""
        gen = view.generation(tenant)

        def build() -> TenantIndex:
            chunks = view.all_chunks(tenant)  # the BM25 index is loaded when saved for this generation
            lexical = persisted_index(
                [c.text for c in chunks], [c.id for c in chunks], view.index_dir, index_name(tenant), gen
            )
            return TenantIndex(chunks, lexical)

        return self._indexes.get(tenant, gen, build)

    def retrieve(self, view: TenantView, question: Question, options: RetrievalOptions) -> RetrievalTrace:
        """The passages for ``question`` (read once by :func:`advisor.retrieval.question.understand`)."""
        query = question.text
        lexical_query = " ".join((query, *question.idioms))  # "get into" is searched as "access" too
        idents = list(question.identifiers)
        frameworks = options.frameworks or question.frameworks
        library_weight = 1.0 if view.client is None or question.requirement else 0.35
        vector = view.embeddings.embed_query(query) if options.dense else None

        rankings: list[tuple[float, list[str]]] = []
        pool: dict[str, Passage] = {}
        searched: list[str] = []
        older: set[str] = set()  # sources an edition of a later year supersedes, unless the question names it
        for tenant in view.tenants:
            index = self.index(view, tenant)
            older |= {s for s in index.superseded if year_of(s) not in question.years}
            searched.append(
                f"library ({len(index.chunks)} clauses)"
                if tenant is None
                else f"client {tenant} ({len({c.source for c in index.chunks})} documents)"
            )
            weight = library_weight if tenant is None else 1.0
            dense_ids, lex_ids = _candidates(
                view,
                tenant,
                index,
                lexical_query,
                vector,
                pool,
                candidates=options.candidates,
                lexical_depth=options.candidates * 3 if options.lexical else 0,
                where=_where(tenant, options.doc_types, frameworks),
                keep=_filter(tenant, options.doc_types, frameworks),
            )
            rankings += [(weight, dense_ids), (weight, lex_ids)]

        fused = rrf(rankings, options.rrf_k)
        ranked = sorted(
            (_rescore(pool[i], s * _weight(pool[i].chunk, older)) for i, s in fused), key=lambda p: -p.score
        )
        items = [
            Passage(c, c.text, 1.0, exact=True)
            for tenant in view.tenants
            if tenant is not None
            for c in item_units(self.index(view, tenant).chunks, question.document_ids)
        ]
        exact = items + self._exact(view, idents, frameworks) + self._titled(view, question, frameworks)
        exact_ids = {p.id for p in exact}
        ordered = _with_companions(
            view, self, exact + [p for p in ranked if p.id not in exact_ids], options.k
        )
        for p in ordered:
            view.check(p.chunk)  # raises TenancyError for a chunk of another client
        merged = merge_neighbours(ordered[: options.k * 3])
        passages = within_budget(merged, options.context_chars, options.k)
        return RetrievalTrace(
            reading=question,
            passages=tuple(passages),
            searched=tuple(searched),
        )

    def search_many(
        self,
        view: TenantView,
        index: TenantIndex,
        queries: Sequence[str],
        vectors: Sequence[Sequence[float]],
        *,
        k: int = 6,
        candidates: int = 20,
        doc_types: tuple[str, ...] = (),
        keep: Callable[[Chunk], bool] = lambda c: True,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[list[Passage]]:
        """Batch retrieval from the view's own client only (gap analysis, questionnaires): for each query
        and its embedding (``vectors``, computed by the caller in one batch), the best ``k`` passages of
        dense and BM25 candidates fused by RRF — the recipe of :meth:`retrieve`, without the library,
        identifiers or neighbour merging. ``index`` is the client's snapshot to search lexically (the
        caller's evidence-only view of :meth:`index`). Scores are the fused ones; a passage BM25 alone found
        has ``dense`` 0.0. ``keep`` filters both rankings.

        Usage::

            vectors = view.embeddings.embed_documents(queries)
            found = retriever.search_many(view, retriever.index(view, "acme"), queries, vectors, k=6)
        """
        tenant = view.client
        if tenant is None:
            raise ValueError("batch retrieval searches one client's documents, not the library")
        where = {"doc_type": {"$in": list(doc_types)}} if doc_types else None
        out: list[list[Passage]] = []
        for i, (query, vector) in enumerate(zip(queries, vectors)):
            pool: dict[str, Passage] = {}
            dense_ids, lex_ids = _candidates(
                view,
                tenant,
                index,
                query,
                list(vector),
                pool,
                candidates=candidates,
                lexical_depth=candidates * 2,
                where=where,
                keep=lambda c: c.client == tenant and keep(c),
                filter_dense=True,
            )
            fused = rrf([(1.0, dense_ids), (1.0, lex_ids)])[:k]
            out.append([_rescore(pool[cid], s) for cid, s in fused])
            if progress:
                progress(i + 1, len(queries))
        return out

    def _exact(
        self, view: TenantView, idents: list[Identifier], frameworks: tuple[str, ...]
    ) -> list[Passage]:
        """Library clauses named in the question: the clause itself, else its parts, else its parent."""
        if not idents:
            return []
        index = self.index(view, None)
        out: list[Passage] = []
        for ident in idents:
            scored: list[tuple[int, Chunk]] = []
            for section, chunks in index.by_section.items():
                level = section_matches(section, ident.section)
                if level:
                    scored += [(level, c) for c in chunks if c.extra.get("framework") == ident.framework]
            if not scored:
                continue
            best = max(level for level, _ in scored)
            picked = [c for level, c in scored if level == best][:6]
            out += [Passage(c, c.text, 1.0, exact=True) for c in picked]
            # "Which 800-53 controls is 03.05.03 derived from?": the clause's official mappings come next.
            targets = [f for f in frameworks if f != ident.framework]
            if targets:
                mapped = [m for c in picked for m in official(index.chunks, c) if m.framework in targets]
                by_id = {c.id: c for c in index.chunks} if mapped else {}
                out += [Passage(by_id[m.chunk_id], by_id[m.chunk_id].text, 1.0, exact=True) for m in mapped]
        return out

    def _titled(self, view: TenantView, question: Question, frameworks: tuple[str, ...]) -> list[Passage]:
        """Library units whose title the question spells out (of the named frameworks, if any), up to 4; for
        a client, only when the question asks what a rule demands ("our incident response plan" is theirs)."""
        if view.client is not None and not question.requirement:
            return []
        index = self.index(view, None)
        words = " " + " ".join(re.findall(r"[a-z0-9]+", question.text.casefold())) + " "
        hits = [
            c
            for title, chunks in index.by_title.items()
            if f" {title} " in words
            for c in chunks
            if not frameworks or c.extra.get("framework") in frameworks
        ]
        hits = [c for c in hits if c.extra.get("kind") != "recital"]
        return [Passage(c, c.text, 1.0, exact=True) for c in hits[:4]]


def _with_companions(
    view: TenantView, retriever: HybridRetriever, ordered: list[Passage], k: int
) -> list[Passage]:
    """A summary-table row among the first ``COMPANION_DEPTH`` passages brings its item's own section
    right after it (:func:`advisor.retrieval.items.companions`) unless that section already ranks within
    ``k``: eight rows of one findings table would otherwise crowd out the detailed finding."""
    top = {p.id for p in ordered[:k]}
    found = {p.id: p for p in ordered}
    out: list[Passage] = []
    for pos, p in enumerate(ordered):
        out.append(p)
        if pos >= COMPANION_DEPTH or p.chunk.client is None:
            continue
        sections = retriever.index(view, p.chunk.client).item_sections
        for c in companions(p.chunk, sections)[:1]:
            if c.id not in top:
                top.add(c.id)
                out.append(found.get(c.id) or Passage(c, c.text, p.score))
    kept: dict[str, Passage] = {}
    for p in out:
        kept.setdefault(p.id, p)  # a section brought forward is not repeated further down
    return list(kept.values())


def _candidates(
    view: TenantView,
    tenant: str | None,
    index: TenantIndex,
    query: str,
    vector: list[float] | None,
    pool: dict[str, Passage],
    *,
    candidates: int,
    lexical_depth: int,
    where: dict | None,
    keep: Callable[[Chunk], bool],
    filter_dense: bool = False,
) -> tuple[list[str], list[str]]:
    """One tenant's dense and BM25 rankings for ``query`` (chunk ids, best first; at most ``candidates``
    each), their passages added to ``pool``. BM25 reads ``lexical_depth`` hits (0: no lexical ranking) and
    keeps those ``keep`` accepts; dense hits are filtered by ``where`` in the store and, with
    ``filter_dense``, by ``keep`` too."""
    dense_ids: list[str] = []
    if vector is not None:
        for hit in view.dense_search(tenant, vector, candidates, where):
            if filter_dense and not keep(hit.chunk):
                continue
            dense_ids.append(hit.chunk.id)
            pool[hit.chunk.id] = Passage(hit.chunk, hit.chunk.text, 0.0, dense=hit.similarity)
    lex_ids: list[str] = []
    if lexical_depth:
        for pos, score in index.lexical.query(query, lexical_depth):
            chunk = index.chunks[pos]
            if not keep(chunk):
                continue
            lex_ids.append(chunk.id)
            prev = pool.get(chunk.id)
            pool[chunk.id] = Passage(chunk, chunk.text, 0.0, dense=prev.dense if prev else 0.0, lexical=score)
            if len(lex_ids) >= candidates:
                break
    return dense_ids, lex_ids


def _title_key(title: str) -> str:
    words = re.findall(r"[a-z0-9]+", title.casefold())
    return " ".join(words) if 3 <= len(words) <= 8 else ""


def _weight(chunk: Chunk, older: set[str]) -> float:
    """Recitals explain an act; its articles and annexes oblige. A recital counts for less in the ranking,
    and so does an older edition of a client document (``older``: their sources)."""
    if chunk.client is not None:
        return SUPERSEDED_WEIGHT if chunk.source in older else 1.0
    return RECITAL_WEIGHT if chunk.doc_type == "regulation" and chunk.extra.get("kind") == "recital" else 1.0


def _rescore(p: Passage, score: float) -> Passage:
    return Passage(p.chunk, p.text, score, p.dense, p.lexical, p.exact, p.merged_ids)


def _where(tenant: str | None, doc_types: tuple[str, ...], frameworks: tuple[str, ...]) -> dict | None:
    if tenant is None:
        return {"x_framework": {"$in": list(frameworks)}} if frameworks else None
    return {"doc_type": {"$in": list(doc_types)}} if doc_types else None


def _filter(
    tenant: str | None, doc_types: tuple[str, ...], frameworks: tuple[str, ...]
) -> Callable[[Chunk], bool]:
    if tenant is None:
        return (lambda c: c.extra.get("framework") in frameworks) if frameworks else (lambda c: True)
    return (lambda c: c.doc_type in doc_types) if doc_types else (lambda c: True)
