"""Client-document ingestion: files and folders in, citable chunks in the client's collection out.

Unchanged files (same sha256) are neither parsed nor embedded; a changed file's chunks are replaced;
a file that fails is reported with its reason and leaves nothing behind. Store writes follow the
journal order described in :mod:`ingest.manifest`, under the client's write lock
(:mod:`ingest.locking`): files are parsed and embedded without the lock, then written while holding
it against the manifest as it is on disk at that moment, so concurrent ingests never lose each
other's documents.

Three stages run at once, so that the embedding model is never waiting for the rest: the next files
are parsed (in the sandbox worker, another process) while a batch of chunks of several files is
embedded (in its own thread) and the batch before it is written (one journal, one store call, one
manifest save per batch).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingest.batches import EmbeddingBatches
from ingest.errors import IngestError
from ingest.limits import ParseLimits
from ingest.locking import WriteLock, writing
from ingest.manifest import DocumentRecord, Manifest
from ingest.prepare import Chunker
from ingest.sandbox import parse
from ingest.types import DOC_TYPES, Chunk, file_sha256

log = logging.getLogger(__name__)

EMBED_BATCH = 32  # chunks per embedding call, across files (see ingest/batches.py)
PARSE_AHEAD = 4  # files parsed ahead of the one being embedded
_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


_Parsed = tuple[Path, str, str, tuple[DocumentRecord, list[Chunk], list[str]]]  # path, key, sha256, parse


class Embedder(Protocol):
    """What ingest needs of a LangChain ``Embeddings``."""

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...


class ChunkWriter(Protocol):
    @property
    def embeddings(self) -> Embedder:  # chunks are embedded before the write lock is taken
        ...

    def add(
        self, tenant: str | None, chunks: Sequence[Chunk], vectors: Sequence[Sequence[float]] | None = None
    ) -> None: ...

    def delete(self, tenant: str | None, ids: Iterable[str]) -> None: ...

    def ids(self, tenant: str | None) -> set[str]: ...


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    chunks: int = 0
    warnings: list[dict[str, str]] = field(default_factory=list)

    def as_contract(self) -> dict:
        """The `vciso ingest --json` shape."""
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "failed": self.failed,
            "chunks": self.chunks,
            "warnings": self.warnings,
        }

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class IngestOptions:
    max_bytes: int
    chunk_chars: int = 1000
    doc_type: str | None = None
    limits: ParseLimits | None = None  # None: ParseLimits() defaults
    isolate: bool = False  # parse in the sandbox worker (memory and wall-time limits)


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[dict[str, str]]]:
    """Files named directly plus every file under named folders (recursive, sorted, hidden skipped)."""
    files: list[Path] = []
    missing: list[dict[str, str]] = []
    for p in paths:
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                rel = f.relative_to(p).parts
                if (
                    f.is_file()
                    and f.name not in _SKIP_NAMES
                    and not any(part.startswith(".") for part in rel)
                ):
                    files.append(f)
        elif p.is_file():
            files.append(p)
        else:
            missing.append({"path": str(p), "error": "no such file or folder"})
    return files, missing


def _source_name(path: Path, manifest: Manifest, key: str) -> str:
    """The file name users see in citations; made unique within the client by adding parent folders."""
    existing = manifest.documents.get(key)
    if existing:
        return existing.source
    taken = manifest.sources()
    parts = Path(key).parts
    for depth in range(1, len(parts) + 1):
        name = "/".join(parts[-depth:])
        if name not in taken:
            return name
    return key


class Ingestor:
    """Ingests files for one client into a store, keeping the manifest in step."""

    def __init__(
        self,
        store: ChunkWriter,
        manifest: Manifest,
        client: str,
        options: IngestOptions,
        lock: WriteLock | None = None,
        wait: Callable[[str], None] | None = None,
    ) -> None:
        if options.doc_type is not None and options.doc_type not in DOC_TYPES:
            raise IngestError(
                options.doc_type, f"unknown document type {options.doc_type!r}; valid: {', '.join(DOC_TYPES)}"
            )
        self.store = store
        self.manifest = manifest
        self.client = client
        self.options = options
        self.lock = lock
        self.wait = wait  # told when this writer waits for another one
        self._manifest_stamp: tuple[int, int, int] | None = None  # the manifest file when last read

    def _writing(self, action: str):
        return writing(self.manifest, self.store, self.client, self.lock, action, self.wait)

    def ingest(
        self,
        paths: Sequence[Path],
        *,
        prune: bool = False,
        progress: Callable[[str, str], None] | None = None,
    ) -> IngestReport:
        report = IngestReport()
        files, missing = expand(paths)
        report.failed.extend(missing)
        if self.manifest.needs_recovery():  # finish a dead writer's change before comparing files
            with self._writing("recovery"):
                pass
        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="vciso-parse") as parse_pool,
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="vciso-embed") as embed_pool,
        ):
            parsing: deque[tuple[int, str, str, Future]] = deque()
            after = 0  # files before this index are parsing, parsed or reported
            batches: EmbeddingBatches[_Parsed] = EmbeddingBatches(
                self.store.embeddings.embed_documents, embed_pool, EMBED_BATCH
            )
            while True:
                while after < len(files) and len(parsing) < PARSE_AHEAD:
                    ahead = self._next(files, after, parse_pool, report, progress)
                    after = len(files) if ahead is None else ahead[0] + 1
                    if ahead is not None:
                        parsing.append(ahead)
                if not parsing:
                    break
                i, key, sha, future = parsing.popleft()
                prepared = self._parsed(files[i], future, report)
                if prepared is not None:
                    batches.add((files[i], key, sha, prepared), [c.text for c in prepared[1]])
                elif progress:
                    progress(str(files[i]), "failed")
                done = batches.finished(keep=1)  # written while the newest call is embedding
                if done:
                    self._write_group(done, report, progress)
            batches.flush()
            while batches.pending:  # each call's finished files are written while the next one runs
                done = batches.finished(keep=max(0, batches.running - 1))
                if done:
                    self._write_group(done, report, progress)
        if prune:
            folders = [p.resolve() for p in paths if p.is_dir()]
            with self._writing("prune") as m:
                for key in sorted(m.documents):
                    kp = Path(key)
                    if any(kp.is_relative_to(d) for d in folders) and not kp.exists():
                        self._remove(m.documents[key])
                        report.removed.append(key)
        return report

    def _next(
        self,
        files: Sequence[Path],
        start: int,
        pool: ThreadPoolExecutor,
        report: IngestReport,
        progress: Callable[[str, str], None] | None,
    ) -> tuple[int, str, str, Future] | None:
        """From ``files[start:]``, report unreadable and unchanged files and start parsing the first changed
        one in ``pool``: (its index, key, sha256, the parse's future), or None when none is left."""
        for i in range(start, len(files)):
            path = files[i]
            key = str(path.resolve())
            try:
                data = path.read_bytes()
            except OSError as exc:
                report.failed.append({"path": str(path), "error": f"cannot read file: {exc.strerror or exc}"})
                status = "failed"
            else:
                sha = file_sha256(data)
                self._reload_if_changed()
                previous = self.manifest.documents.get(key)
                if not (previous and previous.sha256 == sha):
                    source = _source_name(path, self.manifest, key)  # checked again under the write lock
                    return i, key, sha, pool.submit(self._prepare, path, key, sha, len(data), source)
                report.unchanged.append(str(path))
                status = "unchanged"
            if progress:
                progress(str(path), status)
        return None

    def _reload_if_changed(self) -> None:
        """Read the manifest again when another writer (or this one) replaced it since it was read:
        re-reading it for every file of a large folder would cost time quadratic in the folder."""
        try:
            st = self.manifest.path.stat()  # replaced atomically: a new inode each time
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        if stamp is None or stamp != self._manifest_stamp:
            self.manifest.reload()
            self._manifest_stamp = stamp

    def _parsed(
        self, path: Path, parsing: Future, report: IngestReport
    ) -> tuple[DocumentRecord, list[Chunk], list[str]] | None:
        """The parse's result, or None with the failure reported."""
        try:
            return parsing.result()
        except IngestError as exc:
            report.failed.append({"path": str(path), "error": exc.reason})
            return None
        except Exception as exc:  # a parser bug must not stop the folder: report it as this file's failure
            log.exception("unexpected error while reading %s", path)
            report.failed.append(
                {
                    "path": str(path),
                    "error": f"could not read this file ({type(exc).__name__}); it may be damaged",
                }
            )
            return None

    def _write_group(
        self,
        group: list[tuple[_Parsed, list[list[float]]]],
        report: IngestReport,
        progress: Callable[[str, str], None] | None,
    ) -> None:
        """Write parsed and embedded files under one hold of the write lock: one journal, one store call,
        one manifest save for all of them."""
        statuses: list[str] = []
        written: list[tuple[str, DocumentRecord, list[Chunk], DocumentRecord | None]] = []
        new_vectors: list[list[float]] = []
        with self._writing("ingest") as m:
            for (path, key, sha, (record, chunks, warnings)), vectors in group:
                previous = m.documents.get(key)
                if previous and previous.sha256 == sha:  # another process ingested this very file meanwhile
                    report.unchanged.append(str(path))
                    statuses.append("unchanged")
                    continue
                source = _source_name(path, m, key)  # unique among the documents listed so far
                if source != record.source:
                    record.source = source
                    chunks = [c.with_(source=source) for c in chunks]
                m.documents[key] = record  # listed in memory now, so the next file's name stays unique
                written.append((key, record, chunks, previous))
                new_vectors.extend(vectors)
                report.chunks += len(chunks)
                report.warnings.extend({"path": str(path), "warning": w} for w in warnings)
                (report.updated if previous else report.added).append(str(path))
                statuses.append("updated" if previous else "added")
            if written:
                self._write(written, new_vectors)
        if progress:
            for ((path, *_), _), status in zip(group, statuses):
                progress(str(path), status)

    def _prepare(
        self, path: Path, key: str, sha: str, size: int, source: str
    ) -> tuple[DocumentRecord, list[Chunk], list[str]]:
        """Parse and chunk one file, both in the sandbox worker when parsing is isolated (this runs in a
        thread of its own: it reads nothing shared but its arguments)."""
        o = self.options
        chunker = Chunker(self.client, str(path), key, source, sha, size, o.doc_type, o.chunk_chars)
        return parse(path, max_bytes=o.max_bytes, limits=o.limits, isolate=o.isolate, then=chunker)

    def _write(
        self,
        written: list[tuple[str, DocumentRecord, list[Chunk], DocumentRecord | None]],
        vectors: list[list[float]],
    ) -> None:
        """Under the write lock, with the new records already in ``self.manifest.documents``: journal, add
        the new chunks, save the manifest, delete the old chunks no listed document uses any more, close
        the journal. A writer that dies in between leaves a journal; the next one reconciles."""
        m = self.manifest
        m.begin(
            "ingest", written[0][0] if len(written) == 1 else f"{written[0][0]} and {len(written) - 1} more"
        )
        self.store.add(self.client, [c for _, _, chunks, _ in written for c in chunks], vectors)
        stale: set[str] = set()
        for _, record, _, previous in written:
            if previous is not None:
                stale |= set(m.unshared(previous)) - set(record.chunk_ids)
        m.save()
        self.store.delete(self.client, sorted(stale))
        m.commit()

    def _remove(self, record: DocumentRecord) -> None:
        """Under the write lock: drop one document and the chunks only it used."""
        m = self.manifest
        m.begin("forget", record.path)
        stale = m.unshared(record)
        del m.documents[record.path]
        m.save()
        self.store.delete(self.client, stale)
        m.commit()

    def forget(self, key: str) -> DocumentRecord:
        """Remove one document (by manifest key, file path or source name) and its chunks."""
        with self._writing("forget") as m:
            record = m.documents.get(key) or m.documents.get(str(Path(key).resolve())) or m.by_source(key)
            if record is None:
                raise IngestError(key, f"no document {key!r} is indexed for client {self.client!r}")
            self._remove(record)
        return record
