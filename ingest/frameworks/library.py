"""The built-in regulatory library: a registry of framework parsers and a loader for all of them.

``FRAMEWORKS`` maps a framework key ("nist-800-53", "gdpr", …) to its display name (the chunks'
``source``), its folder under ``knowledge_base/frameworks`` and its ``parse`` function.
``load_library(root)`` parses every framework afresh (nothing is cached; it takes about a second).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from ingest.frameworks import asvs, csf, gdpr, hipaa, nist_800171, nist_80053
from ingest.types import Chunk

logger = logging.getLogger(__name__)


class Framework(NamedTuple):
    display_name: str
    folder: str
    parse: Callable[[Path], list[Chunk]]


FRAMEWORKS: dict[str, Framework] = {
    nist_80053.FRAMEWORK: Framework(nist_80053.SOURCE, "nist-sp800-53r5", nist_80053.parse),
    csf.FRAMEWORK: Framework(csf.SOURCE, "nist-csf-2.0", csf.parse),
    hipaa.FRAMEWORK: Framework(hipaa.SOURCE, "hipaa-45cfr164", hipaa.parse),
    gdpr.FRAMEWORK: Framework(gdpr.SOURCE, "gdpr", gdpr.parse),
    asvs.FRAMEWORK: Framework(asvs.SOURCE, "owasp-asvs-5.0", asvs.parse),
    nist_800171.FRAMEWORK: Framework(nist_800171.SOURCE, "nist-sp800-171r3", nist_800171.parse),
}


def framework_names() -> dict[str, str]:
    """Framework key -> display name, in registry order."""
    return {key: fw.display_name for key, fw in FRAMEWORKS.items()}


def load_framework(root: Path, key: str) -> list[Chunk]:
    """Parse one framework from ``root`` (the ``knowledge_base/frameworks`` directory)."""
    if key not in FRAMEWORKS:
        raise KeyError(f"unknown framework {key!r}; valid: {', '.join(FRAMEWORKS)}")
    fw = FRAMEWORKS[key]
    return fw.parse(Path(root) / fw.folder)


def load_library(root: Path) -> list[Chunk]:
    """Parse every registered framework under ``root`` and return all their chunks.

    Raises ``ValueError`` if two chunks share an id (that would make citations ambiguous).
    """
    chunks: list[Chunk] = []
    for key in FRAMEWORKS:
        parsed = load_framework(root, key)
        logger.debug("parsed %s: %d chunks", key, len(parsed))
        chunks.extend(parsed)
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.id in seen:
            raise ValueError(f"duplicate chunk id {chunk.id} ({chunk.source} {chunk.section})")
        seen.add(chunk.id)
    return chunks
