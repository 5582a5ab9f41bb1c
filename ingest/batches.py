"""Embedding batches across files: chunks of parsed files go to the embedding model in calls of texts of
about the same length, whatever the file boundaries, and each file comes back with its vectors once all
its chunks are embedded.

The model pads every text of a batch to the longest one, so a batch mixing table rows with full pages
costs about twice what the same texts cost sorted by length, and on this CPU calls of 32 texts of one
length run faster than calls of 64 (measured with MiniLM on the demo clients). Texts therefore wait in
buckets of similar length; a bucket that fills a call (or a quarter of one, when the model has nothing
to do) is embedded at once, while the caller parses the next files and writes the finished ones, and
the rest go last, sorted by length. Calls run in order on one thread (the model's own threads do the
arithmetic).

Usage::

    batches = EmbeddingBatches(embeddings.embed_documents, pool, size=64)
    batches.add(item, [c.text for c in chunks])
    for item, vectors in batches.finished(keep=1):   # all calls but the newest are done
        write(item, vectors)
    batches.flush()                                   # the rest, sorted by length
    while batches.pending:
        for item, vectors in batches.finished(keep=max(0, batches.running - 1)): ...
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Generic, TypeVar

T = TypeVar("T")
Vectors = list[list[float]]
BUCKET_CHARS = 64  # texts whose lengths differ by less than this share a bucket
LONGEST_BUCKET = 18  # texts of 18 * 64 characters and more are truncated by the model alike (256 tokens)


class EmbeddingBatches(Generic[T]):
    def __init__(
        self, embed: Callable[[list[str]], Sequence[Sequence[float]]], pool: ThreadPoolExecutor, size: int
    ) -> None:
        self.embed = embed
        self.pool = pool
        self.size = size
        self._texts: dict[int, str] = {}  # not sent yet, by index
        self._buckets: dict[int, list[int]] = {}  # indexes of unsent texts, by length bucket
        self._calls: deque[tuple[list[int], Future]] = deque()  # submitted, results not collected yet
        self._vectors: dict[int, list[float]] = {}  # collected, not handed back yet
        self._items: deque[tuple[T, range]] = deque()  # each item with the indexes of its texts, in order
        self._next = 0

    def add(self, item: T, texts: list[str]) -> None:
        """Queue one item's texts; a bucket that fills a call, or a quarter of a call while no call is
        running, is submitted at once."""
        self._items.append((item, range(self._next, self._next + len(texts))))
        for text in texts:
            index, self._next = self._next, self._next + 1
            self._texts[index] = text
            bucket = self._buckets.setdefault(min(len(text) // BUCKET_CHARS, LONGEST_BUCKET), [])
            bucket.append(index)
            if len(bucket) == self.size:
                self._submit(bucket[:])
                bucket.clear()
        if all(call.done() for _, call in self._calls):  # the model is idle: give it the fullest bucket
            fullest = max(self._buckets.values(), key=len, default=[])
            if len(fullest) >= max(1, self.size // 4):
                self._submit(fullest[:])
                fullest.clear()

    def flush(self) -> None:
        """Submit every waiting text, shortest first, in calls of the batch size."""
        waiting = sorted(
            (i for bucket in self._buckets.values() for i in bucket), key=lambda i: len(self._texts[i])
        )
        self._buckets.clear()
        for start in range(0, len(waiting), self.size):
            self._submit(waiting[start : start + self.size])

    @property
    def running(self) -> int:
        """Calls submitted whose results are not collected yet."""
        return len(self._calls)

    def finished(self, keep: int = 0) -> list[tuple[T, Vectors]]:
        """Wait for all calls but the newest ``keep`` and hand back, in order, the items whose texts are
        all embedded. A failed call raises its exception here."""
        while len(self._calls) > keep:
            indexes, call = self._calls.popleft()
            self._vectors.update(zip(indexes, (list(v) for v in call.result()), strict=True))
        done: list[tuple[T, Vectors]] = []
        while self._items and all(i in self._vectors for i in self._items[0][1]):
            item, span = self._items.popleft()
            done.append((item, [self._vectors.pop(i) for i in span]))
        return done

    @property
    def pending(self) -> int:
        """Items not handed back yet."""
        return len(self._items)

    def _submit(self, indexes: list[int]) -> None:
        texts = [self._texts.pop(i) for i in indexes]
        self._calls.append((indexes, self.pool.submit(self.embed, texts)))
