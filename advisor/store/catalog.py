"""The catalog: what each tenant lists, read fresh from its manifest, with recovery on open.

The manifest is the truth of what a tenant holds. Readers (questions, the document list, the library
page) ask the catalog, which

* re-reads a manifest only when the file changed on disk (one ``stat`` per question otherwise),
* finishes a dead writer's interrupted change before anything is read (recovery on open: the journal is
  reconciled under the tenant's write lock; a live writer's journal is left to it),
* hands out the persisted generation that keys every cache, and makes this process's vector store
  catch up with changes other processes made (:meth:`ChunkStore.sync`),
* lists the chunk ids retrieval may return, so a chunk the manifest does not list is never read.

Writers take :meth:`lock` (see :mod:`ingest.locking`). Usage::

    catalog = Catalog(data_dir / "manifests", store, lock_timeout_s=300)
    store.catalog = catalog              # views now read only listed chunks, keyed by generation
    catalog.generation("acme")           # 7: bumped by every change, in any process
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from advisor.store.chroma import ChunkStore, validate_client_id
from ingest.locking import WriteLock, recover_if_needed
from ingest.manifest import DocumentRecord, Manifest

log = logging.getLogger(__name__)

LIBRARY_MANIFEST = "_library"


def manifest_name(tenant: str | None) -> str:
    """The library's manifest is '_library'; client X's is 'X'."""
    return LIBRARY_MANIFEST if tenant is None else validate_client_id(tenant)


def label(tenant: str | None) -> str:
    return "the library" if tenant is None else f"client {tenant}"


@dataclass(frozen=True)
class Listing:
    """One tenant's manifest as read at one generation."""

    generation: int
    documents: tuple[DocumentRecord, ...]
    chunk_ids: frozenset[str]


_EMPTY = Listing(0, (), frozenset())


class Catalog:
    """Fresh, recovered listings of every tenant whose manifest lives in ``folder``."""

    def __init__(self, folder: Path, store: ChunkStore, *, lock_timeout_s: float) -> None:
        self.folder = folder
        self.store = store
        self.lock_timeout_s = lock_timeout_s
        self._cache: dict[str | None, tuple[tuple[int, int, int], Listing]] = {}
        self._lock = threading.Lock()

    def lock(self, tenant: str | None) -> WriteLock:
        """The inter-process write lock of ``tenant``'s store."""
        return WriteLock(self.folder, manifest_name(tenant), label(tenant), self.lock_timeout_s)

    def manifest(self, tenant: str | None) -> Manifest:
        return Manifest(self.folder, manifest_name(tenant))

    def listing(self, tenant: str | None) -> Listing:
        """The tenant's listing now; recovers a dead writer's change first and syncs the store."""
        manifest = self.manifest(tenant)
        if manifest.journal_path.exists() and recover_if_needed(
            manifest, self.store, tenant, self.lock(tenant)
        ):
            log.info("recovered an interrupted change of %s on open", label(tenant))
        try:
            st = manifest.path.stat()
        except FileNotFoundError:
            return _EMPTY
        sig = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            cached = self._cache.get(tenant)
        if cached and cached[0] == sig:
            listing = cached[1]
        else:
            manifest.reload()
            listing = Listing(
                manifest.generation, tuple(manifest.documents.values()), frozenset(manifest.all_chunk_ids())
            )
            with self._lock:
                self._cache[tenant] = (sig, listing)
        self.store.sync(tenant, listing.generation)
        return listing

    def generation(self, tenant: str | None) -> int:
        return self.listing(tenant).generation

    def listed(self, tenant: str | None) -> frozenset[str]:
        return self.listing(tenant).chunk_ids

    def documents(self, tenant: str | None) -> list[DocumentRecord]:
        return list(self.listing(tenant).documents)

    def tenants(self) -> list[str]:
        """Client ids that have a manifest."""
        return sorted(p.stem for p in self.folder.glob("*.json") if not p.stem.startswith("_"))
