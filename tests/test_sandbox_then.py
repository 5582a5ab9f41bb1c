"""The sandbox's ``then`` step (ingest/sandbox.py): chunking runs in the parser worker, right after
parsing, and its IngestError fails the file with its reason."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.prepare import Chunker
from ingest.sandbox import parse
from ingest.types import LoadedDocument


@dataclass(frozen=True)
class WhereAndTitle:
    def __call__(self, doc: LoadedDocument) -> tuple[int, str]:
        return os.getpid(), doc.title


def test_then_runs_in_the_worker_and_its_result_comes_back(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Vendor notes\n\nAcme hosts on Hetzner.\n", encoding="utf-8")
    pid, title = parse(path, max_bytes=1 << 20, then=WhereAndTitle())
    assert pid != os.getpid() and title == "Vendor notes"
    assert parse(path, max_bytes=1 << 20, isolate=False, then=WhereAndTitle()) == (os.getpid(), title)


def test_chunker_in_the_worker_gives_the_record_and_chunks(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Vendor notes\n\n## Hosting\n\nAcme hosts on Hetzner in Germany.\n", encoding="utf-8")
    chunker = Chunker("acme", str(path), str(path.resolve()), "notes.md", "abc", 60, None, 1000)
    record, chunks, warnings = parse(path, max_bytes=1 << 20, then=chunker)
    assert record.chunk_ids == [c.id for c in chunks] and record.source == "notes.md"
    assert any("Hetzner" in c.text for c in chunks) and {c.client for c in chunks} == {"acme"}
    assert warnings == []


@dataclass(frozen=True)
class Refuse:
    def __call__(self, doc: LoadedDocument) -> None:
        raise IngestError(doc.path, "nothing to cite in it")


def test_an_ingest_error_of_the_then_step_fails_the_file_with_its_reason(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text("# Vendor notes\n\nAcme hosts on Hetzner.\n", encoding="utf-8")
    with pytest.raises(IngestError) as err:
        parse(path, max_bytes=1 << 20, then=Refuse())
    assert err.value.reason == "nothing to cite in it"
    assert parse(path, max_bytes=1 << 20).title == "Vendor notes"  # the worker goes on


def test_a_warmed_worker_has_its_parsers_imported_and_parses_as_before(tmp_path: Path) -> None:
    from ingest.limits import ParseLimits
    from ingest.sandbox import ParserWorker

    worker = ParserWorker(ParseLimits().memory_mb)
    try:
        worker.warm()
        path = tmp_path / "notes.md"
        path.write_text("# Vendor notes\n\nAcme hosts on Hetzner.\n", encoding="utf-8")
        assert worker.parse(path, max_bytes=1 << 20, limits=ParseLimits()).title == "Vendor notes"
        loaded = worker.parse(path, max_bytes=1 << 20, limits=ParseLimits(), then=LoadedModules())
        assert {"pdfplumber", "pypdf", "ingest.prepare"} <= loaded
    finally:
        worker.stop()


@dataclass(frozen=True)
class LoadedModules:
    def __call__(self, doc: LoadedDocument) -> set[str]:
        import sys

        return set(sys.modules)
