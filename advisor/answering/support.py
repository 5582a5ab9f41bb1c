"""Does a passage support a sentence? Lexical and embedding evidence, plus a strict check on numbers.

Used by answer verification, the evals' citation metrics, and gap analysis, so all three agree on what
"supported" means.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_core.embeddings import Embeddings

from advisor.answering.sentences import split_sentences, strip_markers
from advisor.retrieval.lexical import stems

_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)*(?:%|st|nd|rd|th)?")
# Thresholds, set by hand and checked on the eval datasets (vciso's verbatim sentences pass; the fake-LLM
# inventions in the tests fail). A sentence is supported when every number in it appears in the evidence
# and either its words are largely found there, or the words partly are and the meaning is close.
LEXICAL_STRONG = 0.75
LEXICAL_WEAK = 0.45
SEMANTIC = 0.60


@dataclass(frozen=True)
class Support:
    lexical: float  # share of the sentence's content words found in the evidence
    semantic: float | None  # best cosine similarity to one evidence sentence (None: not needed to decide)
    numbers_ok: bool  # every number in the sentence appears in the evidence
    best: str  # the evidence sentence closest to the claim (the quote)

    @property
    def supported(self) -> bool:
        if not self.numbers_ok:
            return False
        if self.lexical >= LEXICAL_STRONG:
            return True
        return self.lexical >= LEXICAL_WEAK and self.semantic is not None and self.semantic >= SEMANTIC

    @property
    def score(self) -> float:
        if not self.numbers_ok:
            return 0.0
        return round(
            self.lexical if self.semantic is None else 0.5 * self.lexical + 0.5 * max(self.semantic, 0.0), 4
        )


def numbers(text: str) -> set[str]:
    return {
        n.replace(",", "")
        .rstrip("%")
        .removesuffix("st")
        .removesuffix("nd")
        .removesuffix("rd")
        .removesuffix("th")
        for n in _NUMBER.findall(text)
    }


def lexical_overlap(claim: str, evidence: str) -> float:
    words = set(stems(strip_markers(claim)))
    if not words:
        return 1.0
    return len(words & set(stems(evidence))) / len(words)


class SupportChecker:
    """Scores claims against evidence; caches embeddings of evidence sentences."""

    def __init__(self, embeddings: Embeddings | None, cache_size: int = 20000) -> None:
        self.embeddings = embeddings
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = cache_size
        self._lock = threading.Lock()

    def vectors(self, texts: Sequence[str]) -> np.ndarray:
        """Unit vectors for ``texts`` (cached)."""
        if self.embeddings is None or not texts:
            return np.zeros((len(texts), 1))
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            new = np.asarray(self.embeddings.embed_documents(missing), dtype=np.float32)
            norms = np.linalg.norm(new, axis=1, keepdims=True)
            found.update(zip(missing, new / np.where(norms == 0, 1, norms)))
            with self._lock:
                for t in missing:
                    self._cache[t] = found[t]
                while len(self._cache) > self._size:
                    self._cache.popitem(last=False)
        return np.stack([found[t] for t in texts])

    def similarity(self, query: str, candidates: Sequence[str]) -> np.ndarray:
        if self.embeddings is None or not candidates:
            return np.zeros(len(candidates))
        vecs = self.vectors([query, *candidates])
        return vecs[1:] @ vecs[0]

    def check(self, claim: str, evidence: Sequence[str]) -> Support:
        """How well the evidence texts (jointly) support ``claim``. Embeddings are computed only when
        the words alone cannot decide."""
        claim = strip_markers(claim)
        joined = "\n".join(evidence)
        lexical = lexical_overlap(claim, joined)
        numbers_ok = numbers(claim) <= numbers(joined)
        pieces = [s for e in evidence for s in split_sentences(e)] or [joined]
        by_words = [lexical_overlap(claim, p) for p in pieces]
        semantic = None
        best_i = int(np.argmax(by_words))
        if self.embeddings is not None and numbers_ok and LEXICAL_WEAK <= lexical < LEXICAL_STRONG:
            sims = self.similarity(claim, pieces)
            best_i = int(np.argmax(sims))
            semantic = round(float(sims[best_i]), 4)
        return Support(
            lexical=round(lexical, 4), semantic=semantic, numbers_ok=numbers_ok, best=pieces[best_i]
        )

    def supports(self, claim: str, evidence: Sequence[str]) -> bool:
        return self.check(claim, evidence).supported
