"""Embedding batches across files (ingest/batches.py): texts of similar length share a call, every file
gets back exactly its own vectors, in file order."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from ingest.batches import BUCKET_CHARS, EmbeddingBatches


class Recorder:
    """An embedding model whose calls wait until ``release`` is set, so that a test controls when it is
    busy."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []
        self.release = threading.Event()

    def __call__(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        assert self.release.wait(10)
        return [_vector(t) for t in texts]


def _vector(text: str) -> list[float]:
    return [float(len(text)), float(sum(map(ord, text)))]


SHORT = [f"row {i}" for i in range(5)]
LONG = [f"clause {i} " * 40 for i in range(4)]


def test_while_the_model_is_busy_only_full_calls_of_similar_length_are_queued() -> None:
    embed = Recorder()
    with ThreadPoolExecutor(max_workers=1) as pool:
        batches: EmbeddingBatches[str] = EmbeddingBatches(embed, pool, size=4)
        batches.add("policy.pdf", LONG[:2])  # the model is idle: a quarter of a call goes
        batches.add("register.csv", SHORT[:4])  # a full bucket of rows is queued behind it
        batches.add("minutes.txt", [SHORT[4]])  # waits: the model is busy and the bucket is not full
        assert batches.finished(keep=2) == []
        embed.release.set()
        done = batches.finished(keep=1)
        assert [item for item, _ in done] == ["policy.pdf"]
        batches.flush()
        done += batches.finished()
    assert embed.calls == [LONG[:2], SHORT[:4], [SHORT[4]]]
    texts = {"policy.pdf": LONG[:2], "register.csv": SHORT[:4], "minutes.txt": [SHORT[4]]}
    assert [item for item, _ in done] == list(texts)
    for item, vectors in done:
        assert vectors == [_vector(t) for t in texts[item]]
    assert batches.pending == 0


def test_a_file_split_between_calls_gets_its_vectors_in_its_own_order() -> None:
    embed = Recorder()
    with ThreadPoolExecutor(max_workers=1) as pool:
        batches: EmbeddingBatches[str] = EmbeddingBatches(embed, pool, size=12)
        batches.add("register.csv", SHORT[:1])  # under a quarter of a call: waits
        batches.add("policy.pdf", [LONG[0], SHORT[1], LONG[1], LONG[2]])  # idle: the long bucket goes
        batches.add("minutes.txt", [SHORT[2], LONG[3]])  # busy: waits
        embed.release.set()
        batches.flush()
        done = batches.finished()
    assert embed.calls == [LONG[:3], [SHORT[0], SHORT[1], SHORT[2], LONG[3]]]
    texts = {
        "register.csv": SHORT[:1],
        "policy.pdf": [LONG[0], SHORT[1], LONG[1], LONG[2]],
        "minutes.txt": [SHORT[2], LONG[3]],
    }
    assert [(item, vectors) for item, vectors in done] == [
        (item, [_vector(t) for t in ts]) for item, ts in texts.items()
    ]


def test_a_failed_call_raises_when_its_items_are_collected() -> None:
    def broken(texts: list[str]) -> list[list[float]]:
        raise RuntimeError("model crashed")

    with ThreadPoolExecutor(max_workers=1) as pool:
        batches: EmbeddingBatches[str] = EmbeddingBatches(broken, pool, size=2)
        batches.add("a.md", ["x" * BUCKET_CHARS, "y" * BUCKET_CHARS])
        with pytest.raises(RuntimeError, match="model crashed"):
            batches.finished()


def test_a_folder_of_small_files_is_embedded_in_few_calls_and_each_chunk_keeps_its_own_vector(tmp_path):
    from langchain_core.embeddings import DeterministicFakeEmbedding

    from advisor.access.policy import local_operator
    from advisor.factory import build_advisor
    from advisor.settings import Settings

    class Counting(DeterministicFakeEmbedding):
        calls: int = 0

        def embed_documents(self, texts):
            self.calls += 1
            return super().embed_documents(texts)

    docs = tmp_path / "docs"
    docs.mkdir()
    for i in range(12):
        body = "\n\n".join(
            f"Control {i}.{j} applies to system {i * 100 + j}." * (1 + j * 9) for j in range(3)
        )
        (docs / f"note_{i:02}.md").write_text(f"# Note {i}\n\n{body}\n", encoding="utf-8")
    emb = Counting(size=64)
    adv = build_advisor(Settings(data_dir=tmp_path / "data", embedding="fake"), embeddings=emb)
    report = adv.ingest([docs], "acme", user=local_operator())
    assert len(report.added) == 12 and not report.failed
    assert emb.calls < 6  # 12 files, texts of three lengths
    store = adv.store.scope("acme")
    chunks = store.all_chunks("acme")
    assert len(chunks) == report.chunks > 12
    for chunk in chunks:
        hit = store.dense_search("acme", emb.embed_query(chunk.text), 1)[0]
        assert hit.chunk.id == chunk.id  # its stored vector is the one of its own text
