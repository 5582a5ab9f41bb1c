"""The built-in regulatory library: every framework the registry ships, parsed from the corpus folder.

The frameworks, their folders and parsers are defined in :mod:`ingest.frameworks.registry`;
``load_library(corpus_dir)`` parses every shipped framework afresh (nothing is cached; about a second).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path

from ingest.frameworks.corpus import CorpusError, require_folder
from ingest.frameworks.registry import FRAMEWORKS, Framework, get, shipped
from ingest.types import Chunk

logger = logging.getLogger(__name__)

__all__ = ["FRAMEWORKS", "framework_names", "load_framework", "load_library", "parser_of"]


def parser_of(framework: Framework) -> Callable[[Path], list[Chunk]]:
    """Import the framework's ``parse`` function (registry ``parser`` = "module:function")."""
    if not framework.parser:
        raise KeyError(f"{framework.id} has no parser: its text is not in the library")
    module, _, func = framework.parser.partition(":")
    return getattr(importlib.import_module(module), func or "parse")


def framework_names() -> dict[str, str]:
    """Framework id -> display name (the chunks' ``source``) of the shipped frameworks, in registry order."""
    return {f.id: f.name for f in shipped()}


def load_framework(corpus_dir: Path, key: str) -> list[Chunk]:
    """Parse one framework from its folder under ``corpus_dir``."""
    fw = get(key)
    parse = parser_of(fw)
    folder = require_folder(corpus_dir, fw)
    try:
        return parse(folder)
    except FileNotFoundError as exc:
        raise CorpusError(
            f"{fw.name}: {exc.filename} is missing; run `vciso kb fetch --only {fw.id}` or copy "
            f"the file into {folder}",
            folder,
        ) from None


def load_library(corpus_dir: Path) -> list[Chunk]:
    """Parse every shipped framework under ``corpus_dir`` and return all their chunks.

    Raises ``CorpusError`` when the corpus is missing, ``ValueError`` if two chunks share an id (that
    would make citations ambiguous).
    """
    chunks: list[Chunk] = []
    for fw in shipped():
        parsed = load_framework(corpus_dir, fw.id)
        logger.debug("parsed %s: %d chunks", fw.id, len(parsed))
        chunks.extend(parsed)
    seen: set[str] = set()
    for chunk in chunks:
        if chunk.id in seen:
            raise ValueError(f"duplicate chunk id {chunk.id} ({chunk.source} {chunk.section})")
        seen.add(chunk.id)
    return chunks
