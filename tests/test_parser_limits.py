"""Parser limits: the issue's zip bomb, 300 x 16,384-cell workbook and 100,000-page PDF each fail alone,
fast, with a reason naming the limit, and with little memory; the sandbox stops a parser past its time
limit and survives a worker that dies; ordinary files still go in."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.limits import ParseLimits
from ingest.sandbox import ParserWorker, parse
from tests.hostile_files import docx_zip_bomb, huge_workbook, many_page_pdf

ROOT = Path(__file__).resolve().parents[1]
_MB = 1024 * 1024
_MEASURE = """
import json, resource, sys, time
from pathlib import Path
from ingest.errors import IngestError
from ingest.sandbox import parse
t0 = time.perf_counter()
try:
    parse(Path(sys.argv[1]), max_bytes=100 * 2**20, isolate=False)
    reason = None
except IngestError as exc:
    reason = exc.reason
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across execve, so a child forked from a big pytest
# process would report the parent's resident size; VmHWM is the peak of this interpreter's own memory.
hwm = [line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith("VmHWM:")]
peak_kb = int(hwm[0].split()[1]) if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"reason": reason, "seconds": time.perf_counter() - t0, "peak_mb": peak_kb / 1024}))
"""


def _measure(path: Path) -> dict:
    """Parse ``path`` in a fresh interpreter; its own peak RSS is the cost of this file alone."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "suffix", "phrase"),
    [
        (lambda p: docx_zip_bomb(p, expanded_mb=1024), ".docx", "zip bomb"),
        (huge_workbook, ".xlsx", "cells"),
        (many_page_pdf, ".pdf", "100,000 pages"),
    ],
    ids=["docx-zip-bomb-1GB", "workbook-300x16384", "pdf-100000-pages"],
)
def test_hostile_files_fail_fast_with_little_memory(tmp_path: Path, make, suffix: str, phrase: str) -> None:
    path = make(tmp_path / f"hostile{suffix}")
    result = _measure(path)
    print(
        f"{path.name}: {path.stat().st_size / _MB:.1f} MB, {result['seconds']:.2f} s, "
        f"peak {result['peak_mb']:.0f} MB: {result['reason']}"
    )
    assert result["reason"] and phrase in result["reason"] and "setting parsing." in result["reason"]
    assert result["seconds"] < 10
    assert result["peak_mb"] < 500


def test_each_limit_is_a_setting(tmp_path: Path) -> None:
    from advisor.settings import Settings

    s = Settings(data_dir=tmp_path, parsing={"max_pages": 7, "max_cells": 9, "timeout_s": 3})
    assert s.parsing.limits() == ParseLimits(max_pages=7, max_cells=9, timeout_s=3)
    pdf = many_page_pdf(tmp_path / "eight.pdf", pages=8)
    with pytest.raises(IngestError, match="8 pages, over the limit of 7"):
        parse(pdf, max_bytes=_MB, limits=s.parsing.limits(), isolate=False)
    book = huge_workbook(tmp_path / "small.xlsx", rows=2, cols=5)
    with pytest.raises(IngestError, match="holds 10 cells"):
        parse(book, max_bytes=_MB, limits=s.parsing.limits(), isolate=False)


def test_characters_limit_after_parsing(tmp_path: Path) -> None:
    note = tmp_path / "long.md"
    note.write_text("# Notes\n\n" + "word " * 5000)
    with pytest.raises(IngestError, match="characters of text, over the limit"):
        parse(note, max_bytes=_MB, limits=ParseLimits(max_chars=1000), isolate=False)


def test_worker_parses_ordinary_files_and_reports_limits(tmp_path: Path) -> None:
    note = tmp_path / "ok.md"
    note.write_text("# Backups\n\nBackups run nightly.\n")
    worker = ParserWorker(memory_mb=1024)
    try:
        doc = worker.parse(note, max_bytes=_MB, limits=ParseLimits())
        assert "nightly" in doc.pages[0].blocks[-1].text
        with pytest.raises(IngestError, match="100,000 pages"):
            worker.parse(many_page_pdf(tmp_path / "big.pdf"), max_bytes=50 * _MB, limits=ParseLimits())
        assert worker.parse(note, max_bytes=_MB, limits=ParseLimits()).title  # the same worker goes on
    finally:
        worker.stop()


def test_worker_past_its_time_limit_is_stopped_and_replaced(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.md"
    big.write_text("# Log\n\n" + "\n\n".join(f"Entry {i}: " + "lorem ipsum " * 40 for i in range(40_000)))
    worker = ParserWorker(memory_mb=2048)
    try:
        t0 = time.perf_counter()
        with pytest.raises(IngestError, match="longer than 0.2 s"):
            worker.parse(big, max_bytes=100 * _MB, limits=ParseLimits(timeout_s=0.2))
        assert time.perf_counter() - t0 < 10
        small = tmp_path / "small.md"
        small.write_text("# Hello\n\nStill working.\n")
        assert worker.parse(small, max_bytes=_MB, limits=ParseLimits()).pages
    finally:
        worker.stop()


def test_pipeline_reports_a_limit_as_that_files_failure(tmp_path: Path, fake_settings) -> None:
    from advisor.access.policy import local_operator
    from advisor.factory import build_advisor

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Policy.md").write_text("# Policy\n\nPasswords have at least 12 characters.\n")
    many_page_pdf(docs / "Huge.pdf", pages=6000)
    adv = build_advisor(fake_settings)
    report = adv.ingest([docs], "acme", user=local_operator())
    assert [Path(p).name for p in report.added] == ["Policy.md"]
    assert report.failed and "6,000 pages, over the limit of 5,000" in report.failed[0]["error"]


def test_questionnaire_reader_refuses_a_huge_workbook_fast(tmp_path: Path) -> None:
    from advisor.assessment.questionnaire import QuestionnaireError, read

    book = huge_workbook(tmp_path / "wide.xlsx", rows=300, cols=16_384)
    t0 = time.perf_counter()
    with pytest.raises(QuestionnaireError, match="cells, over the limit"):
        read(book)
    assert time.perf_counter() - t0 < 10


def test_questionnaires_page_parses_an_upload_once(monkeypatch, tmp_path: Path) -> None:
    import streamlit as st

    import ui.questionnaires as page

    calls = []
    monkeypatch.setattr(
        page, "read", lambda path, column=None: calls.append((path, column)) or ("table", column)
    )
    monkeypatch.setattr(st, "session_state", {})
    path = tmp_path / "q.csv"
    for _ in range(3):
        assert page.parsed(path, b"Question\nIs MFA on?\n") == ("table", None)
    page.parsed(path, b"Question\nIs MFA on?\n", "Question")
    assert len(calls) == 2 and path.read_bytes() == b"Question\nIs MFA on?\n"
