"""The corpus folder the library is built from (``VCISO_CORPUS_DIR``), laid out like ``../shared/corpus``:
one folder per framework (``registry.Framework.folder``) holding the files the registry pins.

The texts are third-party material: the repository never carries them. They come from a local folder
(offline installs, development, CI) or from ``vciso kb fetch`` (see :mod:`ingest.frameworks.fetch`).
"""

from __future__ import annotations

import hashlib
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import AdvisorError
from ingest.frameworks.registry import Framework, SourceFile

HOW_TO_PROVIDE = (
    "run `vciso kb fetch` to download the texts from their publishers, or set VCISO_CORPUS_DIR "
    "to a folder laid out like ../shared/corpus (one folder per framework with its official files)"
)


class CorpusError(AdvisorError):
    """The regulatory texts are missing, or a file does not match its pinned checksum."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class FileState:
    framework: str
    file: SourceFile
    path: Path
    status: str  # "ok" | "missing" | "changed"


def file_states(corpus_dir: Path, framework: Framework) -> list[FileState]:
    """Each pinned file of ``framework`` in ``corpus_dir``: present and verified, missing, or changed."""
    out = []
    for f in framework.files:
        path = Path(corpus_dir) / framework.folder / f.name
        if not path.is_file():
            status = "missing"
        else:
            status = "ok" if sha256_of(path) == f.sha256 else "changed"
        out.append(FileState(framework.id, f, path, status))
    return out


def require_folder(corpus_dir: Path, framework: Framework) -> Path:
    """The framework's folder in the corpus; a ``CorpusError`` saying how to provide it when it is absent."""
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"the regulatory library's corpus folder {corpus_dir} does not exist: {HOW_TO_PROVIDE}",
            corpus_dir,
        )
    folder = corpus_dir / framework.folder
    if not folder.is_dir():
        raise CorpusError(
            f"{framework.name} is missing from the corpus folder {corpus_dir} (expected {folder}): "
            f"{HOW_TO_PROVIDE}",
            folder,
        )
    return folder


def download_origin(url: str) -> str:
    """Where a pinned file is downloaded from, shortly: "github.com/usnistgov/oscal-content@a849dbc"."""
    parts = urllib.parse.urlsplit(url)
    if parts.netloc == "raw.githubusercontent.com":
        owner, repo, commit = parts.path.strip("/").split("/")[:3]
        return f"github.com/{owner}/{repo}@{commit[:7]}"
    return parts.netloc


def provenance_table(frameworks: list[Framework]) -> str:
    """A Markdown table of each framework's publisher, version, licence, official URL, where
    ``vciso kb fetch`` downloads its files from, and its corpus folder."""
    rows = [
        "| Framework | Publisher | Version | Licence | Official URL | Files downloaded from "
        "| Corpus folder |",
        "|---|---|---|---|---|---|---|",
    ]
    for f in frameworks:
        origins = ", ".join(dict.fromkeys(download_origin(file.url) for file in f.files))
        rows.append(
            f"| {f.name} (`{f.id}`) | {f.publisher} | {f.version} | {f.licence} | {f.url} | {origins} "
            f"| `{f.folder}/` |"
        )
    return "\n".join(rows) + "\n"


if (
    __name__ == "__main__"
):  # python -m ingest.frameworks.corpus: the table of knowledge_base/frameworks/README.md
    from ingest.frameworks.registry import FRAMEWORKS

    print(provenance_table(list(FRAMEWORKS.values())), end="")
