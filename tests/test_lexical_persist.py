"""Persisted BM25 indexes: loaded in a new process for the same generation, rebuilt when it changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.retrieval import lexical
from advisor.retrieval.lexical import LexicalIndex, persisted_index

TEXTS = [
    "Passwords are at least 14 characters long.",
    "Audit logs are kept for one year.",
    "AC-2(3) disables inactive accounts after 90 days.",
    "Backups are encrypted and tested quarterly.",
]
IDS = [f"id{i}" for i in range(len(TEXTS))]


def test_a_saved_index_answers_like_the_built_one(tmp_path: Path) -> None:
    built = persisted_index(TEXTS, IDS, tmp_path, "client-acme", 3)
    saved = list(tmp_path.iterdir())
    assert [p.name for p in saved] == ["client-acme.v1.g3"]
    loaded = LexicalIndex.load(saved[0], IDS)
    assert loaded is not None and loaded.size == len(TEXTS)
    for q in ("minimum password length", "how long are audit logs kept", "AC-2(3)", "encrypted backups"):
        assert loaded.query(q, 3) == built.query(q, 3)
    assert loaded.query("AC-2(3)", 1)[0][0] == 2


def test_the_same_generation_loads_instead_of_building(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    persisted_index(TEXTS, IDS, tmp_path, "library", 7)
    monkeypatch.setattr(lexical.LexicalIndex, "__init__", lambda self, texts: pytest.fail("rebuilt"))
    index = persisted_index(TEXTS, IDS, tmp_path, "library", 7)
    assert index.query("audit logs", 1)[0][0] == 1


def test_a_new_generation_rebuilds_and_removes_the_old(tmp_path: Path) -> None:
    persisted_index(TEXTS, IDS, tmp_path, "client-acme", 1)
    persisted_index(TEXTS, IDS, tmp_path, "client-other", 1)
    index = persisted_index(TEXTS[:2], IDS[:2], tmp_path, "client-acme", 2)
    assert index.size == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["client-acme.v1.g2", "client-other.v1.g1"]


def test_other_chunks_under_the_same_name_are_not_trusted(tmp_path: Path) -> None:
    persisted_index(TEXTS, IDS, tmp_path, "library", 4)
    assert LexicalIndex.load(tmp_path / "library.v1.g4", list(reversed(IDS))) is None
    rebuilt = persisted_index(TEXTS[::-1], IDS[::-1], tmp_path, "library", 4)
    assert rebuilt.query("AC-2(3)", 1)[0][0] == 1  # positions follow the new order
    assert LexicalIndex.load(tmp_path / "library.v1.g4", IDS[::-1]) is not None  # and replaced the saved one
    (tmp_path / "library.v1.g4" / "vocab.index.json").write_text("{broken", encoding="utf-8")
    assert LexicalIndex.load(tmp_path / "library.v1.g4", IDS[::-1]) is None


def test_without_a_persisted_generation_nothing_is_saved(tmp_path: Path) -> None:
    persisted_index(
        TEXTS, IDS, tmp_path, "library", (1, 4)
    )  # the in-process counter of a store without catalog
    persisted_index(TEXTS, IDS, None, "library", 1)
    assert list(tmp_path.iterdir()) == []
