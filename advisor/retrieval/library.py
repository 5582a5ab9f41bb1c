"""Builds the built-in regulatory library into its own collection, idempotently."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from advisor.retrieval.prebuilt import embed_library
from advisor.store.chroma import ChunkStore
from ingest.frameworks.library import load_library
from ingest.locking import WriteLock, writing
from ingest.manifest import DocumentRecord, Manifest

log = logging.getLogger(__name__)
LIBRARY_TENANT = "_library"


@dataclass(frozen=True)
class LibraryReport:
    added: int
    removed: int
    total: int
    by_framework: dict[str, int]
    prebuilt: int = 0  # clauses whose vector came from the shipped file (not embedded)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.removed)


def build_library(
    store: ChunkStore,
    manifests: Path,
    corpus_dir: Path,
    lock: WriteLock | None = None,
    wait: Callable[[str], None] | None = None,
    prebuilt: Path | None = None,
) -> LibraryReport:
    """Parse the frameworks in the corpus folder and make the library collection match them.

    Only clauses whose text changed are embedded again; a second build with the same texts does nothing.
    A missing corpus raises ``CorpusError`` (an ``AdvisorError`` saying how to provide one).
    The store is changed while holding the library's write lock ``lock`` (one builder at a time).
    ``prebuilt`` is the shipped vectors file: a clause whose text hash (and model and parser stamps) it
    holds is not embedded (see :mod:`advisor.retrieval.prebuilt`).
    """
    chunks = load_library(corpus_dir)
    with writing(Manifest(manifests, LIBRARY_TENANT), store, None, lock, "library build", wait) as manifest:
        return _build(store, manifest, chunks, prebuilt)


def _build(
    store: ChunkStore, manifest: Manifest, chunks: list, prebuilt: Path | None = None
) -> LibraryReport:
    by_framework: dict[str, list[str]] = {}
    for c in chunks:
        by_framework.setdefault(str(c.extra.get("framework", c.source)), []).append(c.id)
    wanted = {c.id for c in chunks}
    have = manifest.all_chunk_ids()
    new = [c for c in chunks if c.id not in have]
    stale = sorted(have - wanted)
    shipped = 0
    if new or stale:
        manifest.begin("library", "frameworks")
        vectors, shipped = embed_library(store.embeddings, new, prebuilt)
        store.add(None, new, vectors)
        manifest.documents = {
            key: DocumentRecord(
                path=key,
                source=key,
                sha256="",
                chunk_ids=ids,
                ingested_at="",
                doc_type="regulation",
                title=key,
                pages=None,
                size=0,
            )
            for key, ids in sorted(by_framework.items())
        }
        manifest.save()
        store.delete(None, stale)
        manifest.commit()
        log.info(
            "library: %d clauses added (%d from prebuilt vectors), %d removed", len(new), shipped, len(stale)
        )
    return LibraryReport(
        added=len(new),
        removed=len(stale),
        total=len(chunks),
        by_framework={k: len(v) for k, v in sorted(by_framework.items())},
        prebuilt=shipped,
    )


def library_is_built(manifests: Path) -> bool:
    m = Manifest(manifests, LIBRARY_TENANT)
    return bool(m.documents) and not m.needs_recovery()
