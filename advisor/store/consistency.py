"""Consistency of the stores with their manifests (`vciso doctor`): find and repair orphans.

Three kinds of orphan are possible after a crash, a bug in older versions, or a hand-edited data dir:

* chunks without a manifest entry (retrieval never returns them, but they take space and would
  reappear if the manifest were lost),
* manifest entries whose chunks are missing in whole or in part (the document would be listed but
  not answerable, and re-ingest would call it "unchanged"),
* collections without a manifest (nothing lists them).

Checks and repairs hold the tenant's write lock, so a running ingest is never mistaken for damage.
Repair deletes unlisted chunks, drops incomplete entries (the next ingest of the folder adds those
files again), drops collections nothing lists, and rewrites an old-format manifest in the current one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from advisor.store.catalog import Catalog, label
from advisor.store.chroma import ChunkStore
from ingest.locking import writing
from ingest.manifest import FORMAT, reconcile

log = logging.getLogger(__name__)


@dataclass
class Health:
    """What `vciso doctor` found for one client (``client=None``: the library)."""

    client: str | None
    documents: int = 0
    chunks: int = 0
    stray_chunks: int = 0
    entries_without_chunks: list[str] = field(default_factory=list)
    collection_without_manifest: bool = False
    interrupted_change: bool = False
    old_format: bool = False
    repaired: bool = False

    @property
    def problems(self) -> int:
        return (
            self.stray_chunks
            + len(self.entries_without_chunks)
            + int(self.collection_without_manifest)
            + int(self.interrupted_change)
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "problems": self.problems}


def tenants_to_check(store: ChunkStore, catalog: Catalog) -> list[str | None]:
    """Every client with a manifest or a collection, then the library."""
    return sorted(set(catalog.tenants()) | set(store.tenants())) + [None]


def _check(store: ChunkStore, catalog: Catalog, client: str | None) -> Health:
    manifest = catalog.manifest(client)
    present = store.ids(client)
    has_collection = client is None and store.count(None) > 0 or client in store.tenants()
    health = Health(
        client,
        documents=len(manifest.documents),
        chunks=len(present),
        interrupted_change=manifest.needs_recovery(),
        old_format=manifest.path.exists() and manifest.format < FORMAT,
    )
    if not manifest.path.exists():
        health.collection_without_manifest = has_collection
        return health
    health.stray_chunks = len(present - manifest.all_chunk_ids())
    health.entries_without_chunks = sorted(
        p for p, d in manifest.documents.items() if not set(d.chunk_ids) <= present
    )
    return health


def check(
    store: ChunkStore,
    catalog: Catalog,
    client: str | None,
    *,
    repair: bool = False,
    wait: Callable[[str], None] | None = None,
) -> Health:
    """Check one client (or the library) under its write lock; with ``repair``, fix what was found."""
    with catalog.lock(client).hold("doctor check", wait):
        health = _check(store, catalog, client)
        if not repair or not (health.problems or health.old_format):
            return health
    with writing(
        catalog.manifest(client), store, client, catalog.lock(client), "doctor repair", wait
    ) as manifest:
        if not manifest.path.exists():
            if health.collection_without_manifest:
                store.drop(client)
                log.warning("doctor: dropped the collection of %s, which no manifest lists", label(client))
        else:
            manifest.begin("doctor", "")
            stray, dropped = reconcile(manifest, store, client)
            if manifest.format < FORMAT:
                manifest.save()
            log.warning(
                "doctor: %s: %d unlisted chunks deleted, %d incomplete entries dropped",
                label(client),
                stray,
                len(dropped),
            )
    after = check(store, catalog, client)
    after.repaired = True
    return after
