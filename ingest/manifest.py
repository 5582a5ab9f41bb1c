"""Per-client manifest of ingested documents, and the journal that keeps it in step with the store.

Every change to a client's store follows one order: write a journal entry, add the new chunks,
atomically replace the manifest, delete the old chunks, remove the journal. If the process dies at any
point, :func:`reconcile` (run when a journal is found) deletes chunks the manifest does not name and
drops manifest entries whose chunks are incomplete, so no document is ever half-indexed.

Every save bumps ``generation``, a counter persisted in the manifest: caches in every process are keyed
by it, so a change made by one process is seen by all the others on their next read. Changes happen
under the tenant's write lock (:mod:`ingest.locking`). A manifest written before generations existed
(format 1) reads as generation 0 and is upgraded by its next save.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


@dataclass
class DocumentRecord:
    path: str
    source: str
    sha256: str
    chunk_ids: list[str]
    ingested_at: str
    doc_type: str
    title: str
    pages: int | None
    size: int
    warnings: list[str] = field(default_factory=list)


class ChunkIds(Protocol):
    """What reconciliation needs from a store."""

    def ids(self, tenant: str | None) -> set[str]: ...

    def delete(self, tenant: str | None, ids: list[str]) -> None: ...


def _atomic_write(path: Path, data: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


FORMAT = 2


class Manifest:
    """The documents of one client (or of the library), persisted as JSON under ``folder``.

    Documents are keyed by their stable id within the client: the resolved path of the file (its
    ingest root plus its path below that root), so two files with the same name never collide.
    """

    def __init__(self, folder: Path, tenant: str) -> None:
        self.folder = folder
        self.tenant = tenant
        self.path = folder / f"{tenant}.json"
        self.journal_path = folder / f"{tenant}.journal"
        self.documents: dict[str, DocumentRecord] = {}
        self.generation = 0
        self.format = FORMAT
        self.reload()

    def reload(self) -> None:
        """Read the manifest again from disk (a writer does this once it holds the lock)."""
        self.documents, self.generation, self.format = {}, 0, FORMAT
        if self.path.exists():
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            fields = set(DocumentRecord.__dataclass_fields__)
            self.documents = {
                k: DocumentRecord(**{f: x for f, x in v.items() if f in fields})
                for k, v in raw.get("documents", {}).items()
            }
            self.generation = int(raw.get("generation", 0))
            self.format = int(raw.get("format", 1))

    def save(self) -> None:
        """Atomically replace the manifest and bump its generation."""
        self.generation += 1
        self.format = FORMAT
        payload = {
            "tenant": self.tenant,
            "format": FORMAT,
            "generation": self.generation,
            "documents": {k: asdict(v) for k, v in sorted(self.documents.items())},
        }
        _atomic_write(self.path, json.dumps(payload, indent=1))

    def unshared(self, record: DocumentRecord) -> list[str]:
        """The chunk ids of ``record`` that no other listed document uses (safe to delete with it)."""
        others = {i for k, d in self.documents.items() if k != record.path for i in d.chunk_ids}
        return sorted(set(record.chunk_ids) - others)

    def sources(self) -> set[str]:
        return {d.source for d in self.documents.values()}

    def by_source(self, source: str) -> DocumentRecord | None:
        return next((d for d in self.documents.values() if d.source == source), None)

    def all_chunk_ids(self) -> set[str]:
        return {i for d in self.documents.values() for i in d.chunk_ids}

    # -- journal -------------------------------------------------------------------------------
    def begin(self, action: str, path: str) -> None:
        _atomic_write(self.journal_path, json.dumps({"action": action, "path": path}))

    def commit(self) -> None:
        self.journal_path.unlink(missing_ok=True)

    def needs_recovery(self) -> bool:
        return self.journal_path.exists()


def reconcile(manifest: Manifest, store: ChunkIds, store_tenant: str | None) -> tuple[int, list[str]]:
    """Make store and manifest agree after an interrupted change.

    Returns the number of stray chunks deleted and the paths dropped from the manifest (they will be
    ingested afresh next time).
    """
    present = store.ids(store_tenant)
    wanted = manifest.all_chunk_ids()
    stray = sorted(present - wanted)
    dropped = [p for p, d in manifest.documents.items() if not set(d.chunk_ids) <= present]
    for p in dropped:
        del manifest.documents[p]
    if dropped:
        manifest.save()
        stray = sorted(present - manifest.all_chunk_ids())
    store.delete(store_tenant, stray)
    manifest.commit()
    if stray or dropped:
        log.warning(
            "recovered %s after an interrupted change: %d stray chunks removed, %d documents to re-ingest",
            manifest.tenant,
            len(stray),
            len(dropped),
        )
    return len(stray), dropped
