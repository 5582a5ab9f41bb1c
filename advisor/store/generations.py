"""The one cache policy: what is derived from a tenant's chunks is keyed by the tenant's persisted generation.

Every change to a tenant's store (ingest, forget, prune, recovery, library build) bumps the generation
counter in its manifest under the write lock (:mod:`advisor.store.catalog` reads it: one stat per
question), so a cache keyed by it is right in every process, whichever process made the change. The
caches of the project, and their keys:

- catalog listing (:mod:`advisor.store.catalog`): the manifest file's (mtime, size, inode), the
  generation's own source;
- tenant snapshot with its BM25 index (``HybridRetriever``): (tenant, generation), a
  :class:`GenerationCache`;
- evidence-only snapshot (``EvidenceIndexes``): (tenant, the snapshot it filters), a
  :class:`GenerationCache`;
- saved BM25 index (:mod:`advisor.retrieval.lexical`): the generation in the file name
  (``<tenant>.v<format>.g<generation>``);
- drafting's client findings and the app's library page: (data dir, tenant, generation);
- prebuilt library vectors (:mod:`advisor.retrieval.prebuilt`): the embedding model's id and the parser
  version, stamped in the file (vectors follow texts, not generations);
- sentence vectors (``SupportChecker``): the text itself (content-addressed: a text's vector never
  changes for one embedding model).

Usage::

    snapshots: GenerationCache[TenantIndex] = GenerationCache()
    index = snapshots.get("acme", view.generation("acme"), lambda: build("acme"))
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class GenerationCache(Generic[T]):
    """One value per key, rebuilt when the key's stamp (its tenant's generation) differs from the one it
    was built at. Thread-safe; a value is built outside the lock (two threads may both build one, the
    last one is kept), so a slow build never blocks readers of other keys."""

    def __init__(self) -> None:
        self._items: dict[Hashable, tuple[object, T]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, stamp: object, build: Callable[[], T]) -> T:
        """The value for ``key`` built at ``stamp``, building it with ``build()`` when missing or stale."""
        with self._lock:
            cached = self._items.get(key)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        value = build()
        with self._lock:
            self._items[key] = (stamp, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
