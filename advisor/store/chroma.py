"""Chroma-backed chunk store: one collection per client, one for the built-in library.

Tenancy is structural: a client's chunks are only ever written to and read from that client's own
collection, and :meth:`ChunkStore.scope` hands the retrieval layer a view that can reach exactly one
client's collection plus the library. No metadata filter decides who sees what.

What a tenant holds is what its manifest lists: when a catalog is attached (:mod:`advisor.store.catalog`),
views return only listed chunks, and ``generation`` is the manifest's persisted counter, so every
cache keyed by it sees changes made by other processes. Any error Chroma raises becomes a
:class:`StoreError` with a plain message.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings

from advisor.errors import AdvisorError, StoreError, TenancyError
from advisor.store.connection import Connection
from ingest.types import Chunk

log = logging.getLogger(__name__)

LIBRARY = "library"
_CLIENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{1,62}$")
_BATCH = 2000
_CORE = (
    "client",
    "source",
    "title",
    "doc_type",
    "page",
    "section",
    "sha256",
    "ingested_at",
    "effective_date",
)


def validate_client_id(client: str) -> str:
    """Client ids become collection names: lower-case letters, digits, '-' and '_' (2–63 characters)."""
    if not isinstance(client, str) or not _CLIENT_ID.match(client) or client == LIBRARY:
        raise TenancyError(
            f"invalid client id {client!r}: use 2-63 lower-case letters, digits, '-' or '_', "
            "starting with a letter or digit"
        )
    return client


def collection_name(tenant: str | None) -> str:
    """The library lives in 'library'; client X in 'client-X'."""
    return LIBRARY if tenant is None else f"client-{validate_client_id(tenant)}"


def to_metadata(chunk: Chunk) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "client": chunk.client or "",
        "source": chunk.source,
        "title": chunk.title or "",
        "doc_type": chunk.doc_type,
        "section": chunk.section or "",
        "sha256": chunk.sha256,
        "ingested_at": chunk.ingested_at,
    }
    if chunk.page is not None:
        meta["page"] = int(chunk.page)
    if chunk.effective_date:
        meta["effective_date"] = chunk.effective_date
    for key, value in chunk.extra.items():
        if isinstance(value, (str, int, float, bool)):
            meta[f"x_{key}"] = value
    return meta


def from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        text=text,
        client=meta.get("client") or None,
        source=meta.get("source", ""),
        title=meta.get("title") or None,
        doc_type=meta.get("doc_type", "other"),
        page=meta.get("page"),
        section=meta.get("section") or None,
        sha256=meta.get("sha256", ""),
        ingested_at=meta.get("ingested_at", ""),
        effective_date=meta.get("effective_date"),
        extra={k[2:]: v for k, v in meta.items() if k.startswith("x_")},
    )


@dataclass(frozen=True)
class DenseHit:
    chunk: Chunk
    similarity: float  # cosine similarity in [-1, 1]


class Listings(Protocol):
    """What a store needs from a catalog: each tenant's persisted generation and listed chunk ids."""

    def generation(self, tenant: str | None) -> int: ...

    def listed(self, tenant: str | None) -> frozenset[str]: ...


class ChunkStore:
    """Chunks and their embeddings in Chroma (embedded or server, the connection decides)."""

    def __init__(self, client: Any, embeddings: Embeddings, *, describe: str = "chroma") -> None:
        self._conn = (
            client if isinstance(client, Connection) else Connection(lambda: client, reopenable=False)
        )
        self.embeddings = embeddings
        self.describe = describe
        self.catalog: Listings | None = None
        self._generation: dict[str, int] = {}

    @property
    def _client(self) -> Any:
        return self._conn.client

    @property
    def reopened(self) -> int:
        """How often this process reopened the store because another process had changed it."""
        return self._conn.reopened

    @contextmanager
    def _using(self, what: str) -> Iterator[Any]:
        """The Chroma client for one operation; any Chroma failure becomes a StoreError."""
        try:
            with self._conn.use() as client:
                yield client
        except AdvisorError:
            raise
        except (
            Exception
        ) as exc:  # chromadb raises many types: a dead server, a damaged index, a lost collection
            log.warning(
                "vector store error while trying to %s (%s): %s", what, self.describe, type(exc).__name__
            )
            raise StoreError(
                f"the vector store could not {what} ({self.describe}): {exc}. Run `vciso doctor` to check it."
            ) from exc

    # -- collections -------------------------------------------------------------------------
    def _collection(self, client: Any, tenant: str | None, *, create: bool = True) -> Any:
        name = collection_name(tenant)
        try:
            if create:
                return client.get_or_create_collection(
                    name, metadata={"hnsw:space": "cosine"}, embedding_function=None
                )
            return client.get_collection(name, embedding_function=None)
        except Exception as exc:
            if not create and (type(exc).__name__ == "NotFoundError" or "does not exist" in str(exc)):
                return None  # no collection yet: the tenant holds nothing
            raise StoreError(f"vector store unavailable ({self.describe}): {exc}") from exc

    def tenants(self) -> list[str]:
        """Client ids that have a collection."""
        with self._using("list collections") as client:
            names = [c if isinstance(c, str) else c.name for c in client.list_collections()]
        return sorted(n[len("client-") :] for n in names if n.startswith("client-"))

    def generation(self, tenant: str | None) -> int | tuple[int, int]:
        """Changes whenever the tenant's chunks change: the manifest's persisted generation when a
        catalog is attached (changes by any process), else an in-process counter and the count."""
        if self.catalog is not None:
            return self.catalog.generation(tenant)
        return (self._generation.get(collection_name(tenant), 0), self.count(tenant))

    def sync(self, tenant: str | None, generation: int, *, own: bool = False) -> None:
        """Bring this process's view of ``tenant`` up to ``generation``
        (see :mod:`advisor.store.connection`)."""
        self._conn.sync(collection_name(tenant), generation, own=own)

    def _bump(self, tenant: str | None) -> None:
        name = collection_name(tenant)
        self._generation[name] = self._generation.get(name, 0) + 1

    # -- writes --------------------------------------------------------------------------------
    def add(
        self, tenant: str | None, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]] | None = None
    ) -> None:
        """Insert or replace chunks. Every chunk must belong to ``tenant``."""
        collection_name(tenant)
        if not chunks:
            return
        for c in chunks:
            if c.client != tenant:
                raise TenancyError(
                    f"chunk of client {c.client!r} cannot be written to {collection_name(tenant)!r}"
                )
        if vectors is None:
            vectors = self.embeddings.embed_documents([c.text for c in chunks])
        with self._using("write chunks") as client:
            col = self._collection(client, tenant)
            for start in range(0, len(chunks), _BATCH):
                part = chunks[start : start + _BATCH]
                try:
                    col.upsert(
                        ids=[c.id for c in part],
                        documents=[c.text for c in part],
                        metadatas=[to_metadata(c) for c in part],
                        embeddings=[list(map(float, v)) for v in vectors[start : start + _BATCH]],
                    )
                except Exception as exc:
                    if "dimension" in str(exc):
                        raise StoreError(
                            f"{collection_name(tenant)!r} was indexed with a different embedding model; "
                            "use the same VCISO_EMBEDDING or start from a new VCISO_DATA_DIR"
                        ) from exc
                    raise StoreError(f"could not write to the vector store ({self.describe}): {exc}") from exc
        self._bump(tenant)

    def delete(self, tenant: str | None, ids: Iterable[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        with self._using("delete chunks") as client:
            col = self._collection(client, tenant)
            for start in range(0, len(ids), _BATCH):
                col.delete(ids=ids[start : start + _BATCH])
        self._bump(tenant)

    def drop(self, tenant: str | None) -> None:
        with self._using("drop a collection") as client:
            if self._collection(client, tenant, create=False) is not None:
                client.delete_collection(collection_name(tenant))
        self._bump(tenant)

    # -- reads ---------------------------------------------------------------------------------
    def count(self, tenant: str | None) -> int:
        with self._using("count chunks") as client:
            col = self._collection(client, tenant, create=False)
            return 0 if col is None else col.count()

    def ids(self, tenant: str | None) -> set[str]:
        out: set[str] = set()
        with self._using("list chunk ids") as client:
            col = self._collection(client, tenant, create=False)
            if col is None:
                return out
            total = col.count()
            for offset in range(0, total, _BATCH):
                out.update(col.get(include=[], limit=_BATCH, offset=offset)["ids"])
        return out

    def get(self, tenant: str | None, ids: Sequence[str]) -> list[Chunk]:
        if not ids:
            return []
        with self._using("read chunks") as client:
            col = self._collection(client, tenant, create=False)
            if col is None:
                return []
            res = col.get(ids=list(ids), include=["documents", "metadatas"])
        by_id = {
            i: from_record(i, d, m)
            for i, d, m in zip(res["ids"], res["documents"], res["metadatas"])
            if d is not None and m is not None
        }
        return [by_id[i] for i in ids if i in by_id]

    def all_chunks(self, tenant: str | None) -> list[Chunk]:
        out: list[Chunk] = []
        with self._using("read chunks") as client:
            col = self._collection(client, tenant, create=False)
            if col is None:
                return out
            total = col.count()
            for offset in range(0, total, _BATCH):
                res = col.get(include=["documents", "metadatas"], limit=_BATCH, offset=offset)
                out.extend(
                    from_record(i, d, m)
                    for i, d, m in zip(res["ids"], res["documents"], res["metadatas"])
                    if d is not None and m is not None
                )
        return out

    def dense_search(
        self, tenant: str | None, vector: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[DenseHit]:
        if k <= 0:
            return []
        with self._using("search") as client:
            col = self._collection(client, tenant, create=False)
            if col is None:
                return []
            n = col.count()
            if n == 0:
                return []
            res = col.query(
                query_embeddings=[list(map(float, vector))],
                n_results=min(k, n),
                where=where or None,
                include=["documents", "metadatas", "distances"],
            )
        return [
            DenseHit(from_record(i, d, m), 1.0 - float(dist))
            for i, d, m, dist in zip(
                res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0]
            )
            if d is not None
            and m is not None  # a chunk deleted by another process since the index was loaded
        ]

    def scope(self, client: str | None) -> TenantView:
        """A read-only view of one client's collection plus the library (``client=None``: library only)."""
        if client is not None:
            validate_client_id(client)
        return TenantView(self, client)


class TenantView:
    """What one question may read: its client's chunks and the library. Nothing else is reachable."""

    def __init__(self, store: ChunkStore, client: str | None) -> None:
        self._store = store
        self.client = client

    @property
    def tenants(self) -> tuple[str | None, ...]:
        return (None,) if self.client is None else (self.client, None)

    @property
    def index_dir(self) -> Path | None:
        """Where indexes derived from the chunks are saved (beside the manifests); None without a catalog."""
        folder = getattr(self._store.catalog, "folder", None)
        return None if folder is None else Path(folder).parent / "indexes"

    def check(self, chunk: Chunk) -> Chunk:
        """Defence in depth: refuse any chunk that is not this client's or the library's."""
        if chunk.client not in self.tenants:
            raise TenancyError(f"chunk {chunk.id} of another client reached a question for {self.client!r}")
        return chunk

    def _listed(self, tenant: str | None):
        """Keeps only the chunks the tenant's manifest lists (everything when no catalog is attached)."""
        if tenant not in self.tenants:
            raise TenancyError(f"a question for {self.client!r} cannot read {collection_name(tenant)!r}")
        catalog = self._store.catalog
        if catalog is None:
            return lambda chunk_id: True
        listed = catalog.listed(tenant)
        return listed.__contains__

    def dense_search(
        self, tenant: str | None, vector: Sequence[float], k: int, where: dict[str, Any] | None = None
    ) -> list[DenseHit]:
        keep = self._listed(tenant)
        return [
            h
            for h in self._store.dense_search(tenant, vector, k, where)
            if keep(h.chunk.id) and self.check(h.chunk)
        ]

    def all_chunks(self, tenant: str | None) -> list[Chunk]:
        keep = self._listed(tenant)
        return [self.check(c) for c in self._store.all_chunks(tenant) if keep(c.id)]

    def generation(self, tenant: str | None) -> int | tuple[int, int]:
        return self._store.generation(tenant)

    @property
    def embeddings(self) -> Embeddings:
        return self._store.embeddings
