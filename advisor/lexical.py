"""BM25 ranking (bm25s) with a tokenizer that keeps clause identifiers whole."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from functools import lru_cache

import bm25s
import numpy as np
import Stemmer

from advisor.identifiers import identifier_tokens

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it logs every index build at DEBUG with its own handler
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    """a an and are as at be been being but by can could did do does doing for from had has have having he her
    his how i if in into is it its itself me my no nor not of on or our ours own s she should so than that the their
    them then there these they this those through to too very was we were what when where which while who whom why
    will with would you your yours about above after again against all am any because before below between both
    down during each few further here just more most other out over same some such under until up""".split()
)


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-cased content words (stop words removed), unstemmed."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOPWORDS]


def stems(text: str) -> list[str]:
    return _stemmer().stemWords(words(text))


def tokenize(text: str) -> list[str]:
    """Stemmed content words plus whole identifier tokens ("id:ac-2(3)")."""
    return stems(text) + identifier_tokens(text)


class LexicalIndex:
    """A BM25 index over a fixed list of texts; query returns (position, score) best first."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.size = len(texts)
        self._bm25 = bm25s.BM25()
        corpus = [tokenize(t) or ["\x00empty"] for t in texts]
        if corpus:
            self._bm25.index(corpus, show_progress=False)
        self._vocab = self._bm25.vocab_dict if corpus else {}

    def query(self, text: str, k: int) -> list[tuple[int, float]]:
        toks = [t for t in tokenize(text) if t in self._vocab]
        if not toks or self.size == 0 or k <= 0:
            return []
        ids = [self._vocab[t] for t in toks]
        scores = self._bm25.get_scores(ids)
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
