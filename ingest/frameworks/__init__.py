"""Parsers for the built-in regulatory library, read from the corpus folder (``VCISO_CORPUS_DIR``).

One module per framework, each with a pure ``parse(folder) -> list[Chunk]``; ``registry`` defines every
framework (names, versions, pinned files, parser, gap sets) and ``library`` loads them all. This
package holds only the small helper every parser shares.
``load_library``, ``FRAMEWORKS`` and ``framework_names`` are re-exported lazily (PEP 562) so the
parser modules can import the helper below without a circular import.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from ingest.types import Chunk, chunk_id

__all__ = ["FRAMEWORKS", "file_digest", "framework_names", "load_library", "regulation_chunk"]

Scalar = str | int | float | bool


def file_digest(path: Path) -> str:
    """sha256 (hex) of a source file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def regulation_chunk(
    *,
    source: str,
    section: str,
    title: str,
    text: str,
    sha256: str,
    framework: str,
    parent: str,
    hierarchy: str,
    **extra: Scalar,
) -> Chunk:
    """Build one library chunk; ``extra`` always carries framework, clause_id, parent and hierarchy."""
    meta: dict[str, Scalar] = {
        "framework": framework,
        "clause_id": section,
        "parent": parent,
        "hierarchy": hierarchy,
    }
    for key, value in extra.items():
        if not isinstance(value, str | int | float | bool):
            raise TypeError(f"extra[{key!r}] must be a scalar, got {type(value).__name__}")
        meta[key] = value
    return Chunk(
        id=chunk_id(None, source, section, text),
        text=text,
        client=None,
        source=source,
        title=title,
        doc_type="regulation",
        page=None,
        section=section,
        sha256=sha256,
        ingested_at="",
        extra=meta,
    )


def __getattr__(name: str) -> Any:
    if name in ("FRAMEWORKS", "framework_names", "load_library"):
        from ingest.frameworks import library

        return getattr(library, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
