"""The naive RAG baseline: what a first LangChain prototype would do, for comparison with vciso.

- The same documents: each client's files loaded with ``ingest.loaders.load`` (page by page) and the
  library's clause texts, split with ``RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)``.
- ``langchain_chroma.Chroma`` in memory (one collection per client, one for the library), the same
  MiniLM embeddings as vciso.
- Similarity top-4 over the client's collection and the library together (merged by distance).
- The "answer" is the top chunk's first sentences, citing all four retrieved chunks (source, page).
  No verification, no abstention, no audience. Deterministic: same inputs, same output.

Embeddings of chunk texts are cached on disk (``<data dir>/evals/naive_rag_embeddings.npz``) so that
only the first run pays for embedding the library's ~3,300 pieces.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.answering.sentences import split_sentences
from evals.datasets import Case
from evals.metrics import SentenceCitations
from evals.systems import IndexedChunk, SystemAnswer

log = logging.getLogger(__name__)

CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1000, 200, 4
RANK_DEPTH = 10
LIBRARY = "__library__"


class CachedEmbeddings(Embeddings):
    """Document embeddings cached by text hash (in memory, optionally saved to an .npz file)."""

    def __init__(self, base: Embeddings, path: Path | None = None) -> None:
        self.base = base
        self.path = path
        self._cache: dict[str, np.ndarray] = {}
        self._dirty = False
        if path is not None and path.is_file():
            with np.load(path) as data:
                self._cache = {k: data[k] for k in data.files}

    @staticmethod
    def _key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        keys = [self._key(t) for t in texts]
        missing = [(k, t) for k, t in dict(zip(keys, texts)).items() if k not in self._cache]
        if missing:
            vectors = self.base.embed_documents([t for _, t in missing])
            for (k, _), v in zip(missing, vectors):
                self._cache[k] = np.asarray(v, dtype=np.float32)
            self._dirty = True
        return [self._cache[k].tolist() for k in keys]

    def embed_query(self, text: str) -> list[float]:
        return self.base.embed_query(text)

    def prefill(self, texts: Sequence[str], vectors: Sequence[Sequence[float]]) -> None:
        """Seed the cache with vectors the same model already computed (they are not saved to disk)."""
        for text, vector in zip(texts, vectors):
            self._cache.setdefault(self._key(text), np.asarray(vector, dtype=np.float32))

    def save(self) -> None:
        if self.path is not None and self._dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp.npz")
            np.savez(tmp, **self._cache)  # type: ignore[arg-type]  # numpy's stub types **kwds as bool
            tmp.replace(self.path)
            self._dirty = False


def store_vectors(store: Any, tenant: str | None) -> tuple[list[str], list[Any]]:
    """Texts and vectors already in vciso's store for ``tenant`` (read only). Library clauses shorter than
    a naive piece are identical texts, so the baseline need not embed them again. Empty if unavailable."""
    try:
        from advisor.store.chroma import collection_name

        col = store._client.get_collection(collection_name(tenant), embedding_function=None)
        res = col.get(include=["documents", "embeddings"])
        return list(res["documents"]), list(res["embeddings"])
    except Exception as exc:  # noqa: BLE001 - only an optimisation
        log.debug("no stored vectors to reuse: %s", exc)
        return [], []


def _splitter():
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)


def split_documents(
    client: str, paths: Sequence[Path], max_bytes: int = 25 * 1024 * 1024
) -> list[IndexedChunk]:
    """The client's files, page by page, cut into 1000/200 character pieces."""
    from ingest.loaders import load

    splitter = _splitter()
    out: list[IndexedChunk] = []
    for path in sorted(paths, key=lambda p: p.name):
        doc = load(path, max_bytes=max_bytes)
        for page in doc.pages:
            for i, piece in enumerate(splitter.split_text(page.text)):
                key = f"{client}|{path.name}|{page.number}|{i}|{piece}"
                out.append(
                    IndexedChunk(
                        id="n" + hashlib.sha256(key.encode()).hexdigest()[:31],
                        source=path.name,
                        page=page.number,
                        section=None,
                        framework=None,
                        client=client,
                        text=piece,
                    )
                )
    return out


def split_library(frameworks_dir: Path) -> list[IndexedChunk]:
    """Each library clause's text cut into 1000/200 pieces, keeping the clause id as metadata."""
    from ingest.frameworks.library import load_library

    splitter = _splitter()
    out: list[IndexedChunk] = []
    for clause in load_library(frameworks_dir):
        for i, piece in enumerate(splitter.split_text(clause.text)):
            out.append(
                IndexedChunk(
                    id=f"n{clause.id[:28]}-{i}",
                    source=clause.source,
                    page=None,
                    section=clause.section,
                    framework=clause.extra.get("framework"),
                    client=None,
                    text=piece,
                )
            )
    return out


class NaiveRAG:
    """The baseline system (``name`` "naive-rag")."""

    name = "naive-rag"

    def __init__(
        self,
        embeddings: Embeddings,
        frameworks_dir: Path,
        client_files: Mapping[str, Sequence[Path]],
        *,
        cache_path: Path | None = None,
    ) -> None:
        self.embeddings = CachedEmbeddings(embeddings, cache_path)
        self.frameworks_dir = Path(frameworks_dir)
        self.client_files = {k: [Path(p) for p in v] for k, v in client_files.items()}
        self._chunks: dict[str, list[IndexedChunk]] = {}
        self._stores: dict[str, Any] = {}
        self._client: Any = None  # a chromadb client, opened on first use

    def _chroma(self):
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            self._client = chromadb.EphemeralClient(
                ChromaSettings(anonymized_telemetry=False, allow_reset=True)
            )
        return self._client

    def _key(self, tenant: str | None) -> str:
        return LIBRARY if tenant is None else tenant

    def index(self, tenant: str | None) -> list[IndexedChunk]:
        key = self._key(tenant)
        if key not in self._chunks:
            if tenant is None:
                self._chunks[key] = split_library(self.frameworks_dir)
            else:
                self._chunks[key] = split_documents(tenant, self.client_files.get(tenant, []))
        return self._chunks[key]

    def _store(self, tenant: str | None):
        key = self._key(tenant)
        if key not in self._stores:
            from langchain_chroma import Chroma

            chunks = self.index(tenant)
            name = "naive-" + hashlib.sha256(key.encode()).hexdigest()[:16]
            client = self._chroma()
            try:
                client.delete_collection(name)
            except Exception:  # noqa: BLE001 - not there yet
                pass
            t0 = time.perf_counter()
            store = Chroma(collection_name=name, embedding_function=self.embeddings, client=client)
            for start in range(0, len(chunks), 1000):
                batch = chunks[start : start + 1000]
                store.add_texts(
                    [c.text for c in batch],
                    metadatas=[{"i": start + i} for i in range(len(batch))],
                    ids=[c.id for c in batch],
                )
            self.embeddings.save()
            log.info(
                "naive-rag: indexed %d pieces for %s in %.1f s", len(chunks), key, time.perf_counter() - t0
            )
            self._stores[key] = store
        return self._stores[key]

    def search(self, question: str, client: str | None, k: int) -> list[tuple[IndexedChunk, float]]:
        """The k most similar pieces from the client's collection and the library, by distance."""
        hits: list[tuple[float, int, IndexedChunk]] = []
        for order, tenant in enumerate([client, None] if client is not None else [None]):
            chunks = self.index(tenant)
            # Chroma's HNSW index is approximate and its graph differs from build to build, so a top-k
            # query is not reproducible; asking for every piece and ordering by distance is exact.
            for doc, distance in self._store(tenant).similarity_search_with_score(question, k=len(chunks)):
                hits.append((float(distance), order, chunks[int(doc.metadata["i"])]))
        hits.sort(key=lambda h: (round(h[0], 5), h[1], h[2].id))
        return [(c, d) for d, _, c in hits[:k]]

    def run(self, case: Case) -> SystemAnswer:
        t0 = time.perf_counter()
        ranked = self.search(case.question, case.client, RANK_DEPTH)
        top = [c for c, _ in ranked[:TOP_K]]
        first: list[str] = []
        for sentence in split_sentences(top[0].text) if top else []:
            first.append(sentence)
            if sum(len(s) for s in first) >= 200 or len(first) == 3:
                break
        marks = "".join(f"[{n}]" for n in range(1, len(top) + 1))
        text = f"{' '.join(first)} {marks}".strip()
        latency = (time.perf_counter() - t0) * 1000
        cited = tuple(c.text for c in top)
        return SystemAnswer(
            text=text,
            abstained=False,
            citations=tuple(
                {"source": c.source, "page": c.page, "section": c.section, "client": c.client} for c in top
            ),
            sentences=tuple(SentenceCitations(s, cited) for s in first),
            ranked=tuple(c.id for c, _ in ranked),
            latency_ms=latency,
        )
