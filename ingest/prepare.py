"""From a parsed document to what the pipeline embeds and lists: its chunks, marked when the document
reads like instructions to an AI, and its manifest record.

:class:`Chunker` is a small picklable callable, so the sandbox worker (:mod:`ingest.sandbox`) runs it
right after parsing: the process that embeds does no Python work per file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingest.chunking import chunk_document
from ingest.doctype import infer_doc_type
from ingest.errors import IngestError
from ingest.injection import find_injection
from ingest.manifest import DocumentRecord
from ingest.types import Chunk, LoadedDocument


@dataclass(frozen=True)
class Chunker:
    client: str
    path: str  # the file as named in the ingest
    key: str  # the document's id in the client's manifest (its resolved path)
    source: str  # the name citations show (checked again under the write lock)
    sha256: str
    size: int
    doc_type: str | None  # None: inferred from the name and text
    max_chars: int

    def __call__(self, doc: LoadedDocument) -> tuple[DocumentRecord, list[Chunk], list[str]]:
        """(the manifest record, the chunks, the document's warnings). Raises IngestError when the
        document yields no chunk."""
        full_text = "\n".join(p.text for p in doc.pages)
        doc_type = self.doc_type or infer_doc_type(Path(self.path).name, full_text)
        now = datetime.now(UTC).replace(microsecond=0).isoformat()
        chunks = chunk_document(
            doc,
            client=self.client,
            source=self.source,
            doc_type=doc_type,
            sha256=self.sha256,
            ingested_at=now,
            max_chars=self.max_chars,
            document_id=self.key,
        )
        if not chunks:
            raise IngestError(self.path, "no extractable text — the document is empty or holds only images")
        chunks = mark_injection(chunks, full_text)
        pages = [p.number for p in doc.pages if p.number is not None]
        record = DocumentRecord(
            path=self.key,
            source=self.source,
            sha256=self.sha256,
            chunk_ids=[c.id for c in chunks],
            ingested_at=now,
            doc_type=doc_type,
            title=doc.title,
            pages=max(pages) if pages else None,
            size=self.size,
            warnings=list(doc.warnings),
        )
        return record, chunks, list(doc.warnings)


def mark_injection(chunks: list[Chunk], full_text: str) -> list[Chunk]:
    """A document holding text that reads like instructions to an AI is kept as data, but every chunk
    of it is marked, so no answer relies on any part of it. Detection reads the whole document's text,
    so a phrase split across pages or chunks is seen whole."""
    hits = find_injection(full_text) or [h for c in chunks for h in find_injection(c.text)]
    if not hits:
        return chunks
    return [c.with_(extra={**c.extra, "injection": hits[0]}) for c in chunks]
