"""BM25 ranking (bm25s) with a tokenizer that keeps clause identifiers whole.

A tenant's index is saved next to the store (``persisted_index``), named by the tenant's persisted
generation, so a new process loads it instead of tokenizing every chunk again; a new generation builds
(and saves) a new one and removes the old.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import bm25s
import numpy as np
import Stemmer

from advisor.retrieval.identifiers import identifier_tokens

log = logging.getLogger(__name__)
logging.getLogger("bm25s").setLevel(
    logging.WARNING
)  # it logs every index build at DEBUG with its own handler
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
STOPWORDS = frozenset(
    """a an and are as at be been being but by can could did do does doing for from had has have having he
    her his how i if in into is it its itself me my no nor not of on or our ours own s she should so than
    that the their them then there these they this those through to too very was we were what when where
    which while who whom why will with would you your yours about above after again against all am any
    because before below between both down during each few further here just more most other out over same
    some such under until up""".split()
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


# Part of a saved index's name: change it whenever tokenize() or the BM25 parameters change, so that
# indexes saved by an older version are rebuilt rather than read with the wrong tokens.
INDEX_FORMAT = 1
_IDS = "chunk_ids.json"


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

    def save(self, folder: Path, ids: Sequence[str]) -> None:
        """Write the index and the chunk ids it was built over (in order) to ``folder``, atomically."""
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
        try:
            self._bm25.save(str(tmp), show_progress=False)
            (tmp / _IDS).write_text(json.dumps(list(ids)), encoding="utf-8")
            os.replace(tmp, folder)  # fails when another process saved the same index first: theirs stays
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            if not folder.is_dir():
                raise

    @classmethod
    def load(cls, folder: Path, ids: Sequence[str]) -> LexicalIndex | None:
        """The index saved in ``folder`` when it was built over exactly ``ids``, in order; else None."""
        try:
            saved = json.loads((folder / _IDS).read_text(encoding="utf-8"))
            if saved != list(ids):
                return None
            bm25 = bm25s.BM25.load(str(folder), show_progress=False, verbosity=0)
        except (OSError, ValueError, KeyError) as exc:
            log.debug("saved lexical index %s unreadable (%s): rebuilding", folder.name, exc)
            return None
        index = cls.__new__(cls)
        index.size, index._bm25, index._vocab = len(saved), bm25, bm25.vocab_dict
        return index


def index_name(tenant: str | None) -> str:
    """The name a tenant's saved index goes by."""
    return "library" if tenant is None else f"client-{tenant}"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", name) or "_"


def index_path(folder: Path, name: str, generation: int) -> Path:
    """Where the index named ``name`` is saved for ``generation``."""
    return folder / f"{_slug(name)}.v{INDEX_FORMAT}.g{generation}"


def persisted_index(
    texts: Sequence[str], ids: Sequence[str], folder: Path | None, name: str, generation: object
) -> LexicalIndex:
    """The BM25 index over ``texts`` (whose chunk ids are ``ids``), loaded from ``folder`` when saved there
    for this ``generation``, else built and saved. Without a folder or an integer (persisted) generation,
    it is only built. A failure to save is logged and the built index is used."""
    if folder is None or not isinstance(generation, int) or isinstance(generation, bool) or not ids:
        return LexicalIndex(texts)
    path = index_path(folder, name, generation)
    index = LexicalIndex.load(path, ids)
    if index is not None:
        return index
    index = LexicalIndex(texts)
    shutil.rmtree(path, ignore_errors=True)  # unreadable, or saved over other chunks: replaced
    try:
        index.save(path, ids)
    except OSError as exc:
        log.warning("could not save the lexical index %s: %s", path.name, exc)
        return index
    for old in folder.glob(f"{_slug(name)}.v*"):  # older generations and formats of this tenant
        if old != path and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return index
