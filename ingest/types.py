"""Data that flows out of ingestion: pages of a loaded document and the chunks made from them.

These are the lowest-level models of the project; ``advisor`` builds on them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from typing import Any

DOC_TYPES = (
    "policy",
    "audit_report",
    "risk_register",
    "vendor_list",
    "incident_plan",
    "minutes",
    "regulation",
    "other",
)


@dataclass(frozen=True)
class Block:
    """One structural piece of a page: a heading, a paragraph, a list item or a table."""

    kind: str  # "heading" | "paragraph" | "table"
    text: str
    level: int = 0  # heading level (1 = top); 0 for non-headings


@dataclass(frozen=True)
class Page:
    """One page of a loaded document.

    ``number`` is the physical 1-based page (the index a PDF viewer shows), or None for formats
    without pages; ``label`` is the page number printed on the page or declared by the PDF
    ("29", "iv", "A-3"), when known; ``ocr`` is True when the text was read by OCR from an image.
    """

    number: int | None
    blocks: tuple[Block, ...]
    label: str | None = None
    ocr: bool = False

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class LoadedDocument:
    path: str
    title: str
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chunk:
    """One citable unit of text.

    ``client`` is None for the built-in regulatory library. ``section`` is a heading path for client
    documents ("3 Access Control > 3.2 Passwords") or a clause id for regulations ("AC-2(3)").
    ``extra`` carries scalar metadata such as the framework key, baselines or hierarchy.
    """

    id: str
    text: str
    client: str | None
    source: str
    title: str | None
    doc_type: str
    page: int | None
    section: str | None
    sha256: str = ""
    ingested_at: str = ""
    effective_date: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def with_(self, **changes: Any) -> Chunk:
        return replace(self, **changes)


def chunk_id(client: str | None, source: str, locator: str, text: str) -> str:
    """Stable id: the same client, source, locator and text always give the same id."""
    h = hashlib.sha256()
    for part in (client or "", source, locator, text):
        h.update(part.encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:32]


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
