"""Embedding batches across files (ingest/batches.py): texts of similar length share a call, every file
gets back exactly its own vectors, in file order."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from ingest.batches import BUCKET_CHARS, EmbeddingBatches


class Recorder:
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return [[float(len(t)), float(hash(t) % 1000)] for t in texts]


def _vector(text: str) -> list[float]:
    return [float(len(text)), float(hash(text) % 1000)]


def test_full_buckets_of_similar_length_go_at_once_and_the_rest_in_one_call() -> None:
    embed = Recorder()
    short = [f"row {i}" for i in range(4)]
    long = [f"clause {i} " * 40 for i in range(4)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        batches: EmbeddingBatches[str] = EmbeddingBatches(embed, pool, size=3)
        batches.add("register.csv", short[:2])
        batches.add("policy.pdf", long[:3])  # the long bucket fills: sent now
        assert batches.finished(keep=0) == []  # register.csv's rows are still waiting
        batches.add("minutes.txt", [short[2], short[3], long[3]])  # the short bucket fills
        done = batches.finished(keep=0)
        assert [item for item, _ in done] == ["register.csv", "policy.pdf"]
        batches.flush()
        done += batches.finished()
    assert embed.calls == [long[:3], short[:3], [short[3], long[3]]]
    assert [item for item, _ in done] == ["register.csv", "policy.pdf", "minutes.txt"]
    texts = {"register.csv": short[:2], "policy.pdf": long[:3], "minutes.txt": [short[2], short[3], long[3]]}
    for item, vectors in done:
        assert vectors == [_vector(t) for t in texts[item]]
    assert batches.pending == 0


def test_a_failed_call_raises_when_its_items_are_collected() -> None:
    def broken(texts: list[str]) -> list[list[float]]:
        raise RuntimeError("model crashed")

    with ThreadPoolExecutor(max_workers=1) as pool:
        batches: EmbeddingBatches[str] = EmbeddingBatches(broken, pool, size=2)
        batches.add("a.md", ["x" * BUCKET_CHARS, "y" * BUCKET_CHARS])
        with pytest.raises(RuntimeError, match="model crashed"):
            batches.finished()
