"""The fictional demo clients in knowledge_base/demo: facts are where facts.jsonl says they are,
regeneration reproduces the committed files, and no document mentions cyber insurance."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

pypdf = pytest.importorskip("pypdf")
docx = pytest.importorskip("docx")
openpyxl = pytest.importorskip("openpyxl")

DEMO = Path(__file__).resolve().parents[1] / "knowledge_base" / "demo"
CLIENTS = ("meridian-health", "ledgerly")
GENERATED = ("facts.jsonl", "FACTS.md")
TEXT_SUFFIXES = {".md", ".txt", ".html", ".csv", ".jsonl"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@cache
def _pages(path: Path) -> tuple[str, ...]:
    """Normalised text per PDF page; one element for formats without pages."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        return tuple(_norm(p.extract_text() or "") for p in pypdf.PdfReader(str(path)).pages)
    if suffix == ".docx":
        document = docx.Document(str(path))
        parts = [p.text for p in document.paragraphs]
        parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
        return (_norm("\n".join(parts)),)
    if suffix == ".xlsx":
        wb = openpyxl.load_workbook(str(path), read_only=True)
        parts = [
            " | ".join("" if v is None else str(v) for v in row)
            for ws in wb.worksheets
            for row in ws.iter_rows(values_only=True)
        ]
        return (_norm("\n".join(parts)),)
    raw = path.read_bytes()
    if suffix == ".txt":
        text = raw.decode("cp1252")
    else:
        text = raw.decode("utf-8")
    if suffix == ".html":
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return (_norm(text),)


def _documents(root: Path) -> list[Path]:
    return sorted(p for c in CLIENTS for p in (root / c).iterdir() if p.is_file())


def _facts() -> list[dict]:
    lines = (DEMO / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


FACTS = _facts()


def test_fact_file_shape_and_size():
    keys = {"client", "question", "file", "page", "section", "facts"}
    for row in FACTS:
        assert set(row) == keys, row
        assert row["client"] in CLIENTS
        assert row["facts"] and all(isinstance(f, str) and f for f in row["facts"])
        is_pdf = row["file"].lower().endswith(".pdf")
        assert (isinstance(row["page"], int) and row["page"] >= 1) if is_pdf else row["page"] is None
    counts = {c: sum(r["client"] == c for r in FACTS) for c in CLIENTS}
    assert counts["meridian-health"] >= 30
    assert counts["ledgerly"] >= 20


@pytest.mark.parametrize("row", FACTS, ids=lambda r: f"{r['client']}:{r['question'][:50]}")
def test_fact_appears_in_named_file_and_page(row):
    path = DEMO / row["client"] / row["file"]
    assert path.is_file(), path
    pages = _pages(path)
    text = pages[row["page"] - 1] if row["page"] else pages[0]
    for fact in row["facts"]:
        assert _norm(fact) in text, f"{fact!r} not in {row['file']} page {row['page']}"
    assert _norm(row["section"]) in text, f"section {row['section']!r} not on that page"


def test_pdf_facts_live_on_several_pages():
    """Page-accurate citations are only tested if facts are spread over pages."""
    pages = {(r["file"], r["page"]) for r in FACTS if r["page"]}
    assert len({p for f, p in pages if f == "Information_Security_Policy.pdf"}) >= 4
    assert len({p for f, p in pages if f == "Security_Policy.pdf"}) >= 4


def test_cross_client_pairs_have_different_answers():
    by_question: dict[str, dict[str, set[str]]] = {}
    for row in FACTS:
        by_question.setdefault(row["question"], {}).setdefault(row["client"], set()).update(row["facts"])
    pairs = {q: v for q, v in by_question.items() if set(v) == set(CLIENTS)}
    for needed in (
        "What is the minimum password length?",
        "Who leads incident response?",
        "How long are audit logs retained?",
        "After how many failed log-in attempts is an account locked?",
        "How often are user access reviews performed?",
        "When is multi-factor authentication required?",
    ):
        assert needed in pairs, needed
    for question, answers in pairs.items():
        assert answers["meridian-health"].isdisjoint(answers["ledgerly"]), question


@pytest.mark.parametrize("path", _documents(DEMO), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_document_mentions_cyber_insurance(path):
    text = " ".join(_pages(path)).lower()
    assert not re.search(r"cyber[\s-]*(?:liability\s+)?insurance", text)
    assert "insurance" not in text


def test_minutes_are_cp1252_and_need_it():
    raw = (DEMO / "meridian-health" / "Board_Meeting_Minutes_2026-Q2.txt").read_bytes()
    text = raw.decode("cp1252")
    assert "–" in text and "’" in text
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")


def test_regeneration_reproduces_the_committed_files(tmp_path):
    subprocess.run(
        [sys.executable, str(DEMO / "generate.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    fresh = sorted(p.relative_to(tmp_path) for p in _documents(tmp_path))
    committed = sorted(p.relative_to(DEMO) for p in _documents(DEMO))
    assert fresh == committed
    for name in GENERATED:
        assert (tmp_path / name).read_bytes() == (DEMO / name).read_bytes(), name
    for rel in committed:
        if rel.suffix in TEXT_SUFFIXES:
            assert (tmp_path / rel).read_bytes() == (DEMO / rel).read_bytes(), rel
        else:  # binary formats: same text (bytes may differ with other library versions)
            assert _pages(tmp_path / rel) == _pages(DEMO / rel), rel
