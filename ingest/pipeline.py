"""Client-document ingestion: files and folders in, citable chunks in the client's collection out.

Unchanged files (same sha256) are neither parsed nor embedded; a changed file's chunks are replaced;
a file that fails is reported with its reason and leaves nothing behind. Store writes follow the
journal order described in :mod:`ingest.manifest`, each under the client's write lock
(:mod:`ingest.locking`): a file is parsed and embedded without the lock, then written while holding
it against the manifest as it is on disk at that moment, so concurrent ingests never lose each
other's documents.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from ingest.chunking import chunk_document
from ingest.doctype import infer_doc_type
from ingest.errors import IngestError
from ingest.injection import find_injection
from ingest.limits import ParseLimits
from ingest.locking import WriteLock, writing
from ingest.manifest import DocumentRecord, Manifest
from ingest.sandbox import parse
from ingest.types import DOC_TYPES, Chunk, file_sha256

log = logging.getLogger(__name__)

EMBED_BATCH = 256  # chunks of several small files are embedded in one call of about this size
_SKIP_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}


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


def _mark_injection(chunks: list[Chunk], full_text: str) -> list[Chunk]:
    """A document holding text that reads like instructions to an AI is kept as data, but every chunk
    of it is marked, so no answer relies on any part of it. Detection reads the whole document's text,
    so a phrase split across pages or chunks is seen whole."""
    hits = find_injection(full_text) or [h for c in chunks for h in find_injection(c.text)]
    if not hits:
        return chunks
    return [c.with_(extra={**c.extra, "injection": hits[0]}) for c in chunks]


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
        if (
            self.manifest.needs_recovery()
        ):  # finish a dead writer's change before comparing files with the manifest
            with self._writing("recovery"):
                pass
        # The next changed file is parsed (in the sandbox worker, another process) while the files before it
        # are embedded; small files are embedded together, in batches of about EMBED_BATCH chunks.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="vciso-parse") as pool:
            ahead = self._next(files, 0, pool, report, progress)
            while ahead is not None:
                group: list[tuple[Path, str, str, tuple[DocumentRecord, list[Chunk], list[str]]]] = []
                while ahead is not None and sum(len(g[3][1]) for g in group) < EMBED_BATCH:
                    i, key, sha, parsing = ahead
                    ahead = self._next(files, i + 1, pool, report, progress)
                    prepared = self._parsed(files[i], parsing, report)
                    if prepared is not None:
                        group.append((files[i], key, sha, prepared))
                    elif progress:
                        progress(str(files[i]), "failed")
                texts = [c.text for *_, (_, chunks, _) in group for c in chunks]
                vectors = (
                    self.store.embeddings.embed_documents(texts) if texts else []
                )  # the slow part, unlocked
                start = 0
                for path, key, sha, prepared in group:
                    n = len(prepared[1])
                    status = self._ingest_file(path, key, sha, prepared, vectors[start : start + n], report)
                    start += n
                    if progress:
                        progress(str(path), status)
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
                self.manifest.reload()
                previous = self.manifest.documents.get(key)
                if not (previous and previous.sha256 == sha):
                    source = _source_name(path, self.manifest, key)  # checked again under the write lock
                    return i, key, sha, pool.submit(self._prepare, path, key, sha, len(data), source)
                report.unchanged.append(str(path))
                status = "unchanged"
            if progress:
                progress(str(path), status)
        return None

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

    def _ingest_file(
        self,
        path: Path,
        key: str,
        sha: str,
        prepared: tuple[DocumentRecord, list[Chunk], list[str]],
        vectors: list[list[float]],
        report: IngestReport,
    ) -> str:
        """Write one parsed and embedded file under the write lock."""
        record, chunks, warnings = prepared
        with self._writing("ingest") as m:
            previous = m.documents.get(key)
            if previous and previous.sha256 == sha:  # another process ingested this very file meanwhile
                report.unchanged.append(str(path))
                return "unchanged"
            source = _source_name(path, m, key)
            if source != record.source:
                record.source = source
                chunks = [c.with_(source=source) for c in chunks]
            self._write(key, record, chunks, vectors, previous)
        report.chunks += len(chunks)
        report.warnings.extend({"path": str(path), "warning": w} for w in warnings)
        (report.updated if previous else report.added).append(str(path))
        return "updated" if previous else "added"

    def _prepare(
        self, path: Path, key: str, sha: str, size: int, source: str
    ) -> tuple[DocumentRecord, list[Chunk], list[str]]:
        """Parse and chunk one file (in a worker thread: it reads nothing shared but its arguments)."""
        doc = parse(
            path, max_bytes=self.options.max_bytes, limits=self.options.limits, isolate=self.options.isolate
        )
        full_text = "\n".join(p.text for p in doc.pages)
        doc_type = self.options.doc_type or infer_doc_type(path.name, full_text)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        chunks = chunk_document(
            doc,
            client=self.client,
            source=source,
            doc_type=doc_type,
            sha256=sha,
            ingested_at=now,
            max_chars=self.options.chunk_chars,
            document_id=key,
        )
        if not chunks:
            raise IngestError(str(path), "no extractable text — the document is empty or holds only images")
        chunks = _mark_injection(chunks, full_text)
        pages = [p.number for p in doc.pages if p.number is not None]
        record = DocumentRecord(
            path=key,
            source=source,
            sha256=sha,
            chunk_ids=[c.id for c in chunks],
            ingested_at=now,
            doc_type=doc_type,
            title=doc.title,
            pages=max(pages) if pages else None,
            size=size,
            warnings=list(doc.warnings),
        )
        return record, chunks, list(doc.warnings)

    def _write(
        self, key: str, record: DocumentRecord, chunks: list[Chunk], vectors, previous: DocumentRecord | None
    ) -> None:
        """Under the write lock: journal, add the new chunks, replace the manifest, delete the old chunks
        that no listed document uses any more, close the journal."""
        m = self.manifest
        m.begin("ingest", key)
        self.store.add(self.client, chunks, vectors)
        m.documents[key] = record
        stale = m.unshared(previous) if previous else []
        m.save()
        self.store.delete(self.client, sorted(set(stale) - set(record.chunk_ids)))
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
