"""Prebuilt library vectors (knowledge_base/library_vectors.npz): fresh, used only when hashes and stamps
match, and equal to what the model computes."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from advisor.retrieval.embeddings import MiniLMEmbeddings
from advisor.retrieval.prebuilt import (
    PrebuiltVectors,
    check_vectors,
    embed_library,
    model_id,
    parser_versions,
    text_hash,
    vectors_path,
    write,
)
from advisor.settings import Settings
from ingest.frameworks.library import load_library
from tests.conftest import ROOT


class CountingMiniLM(MiniLMEmbeddings):
    """Stands for MiniLM (same model id) without loading it; records what it was asked to embed."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded: list[str] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.embedded.extend(texts)
        return [[0.5] * 4 for _ in texts]


def test_the_shipped_vectors_match_the_current_library(corpus_dir) -> None:
    """Fails when a parser or a pinned text changed and the file was not regenerated."""
    summary = check_vectors(Settings(corpus_dir=corpus_dir))
    assert summary.fresh, summary.describe()
    assert summary.shipped == summary.clauses


def test_the_file_holds_vectors_and_hashes_only() -> None:
    path = ROOT / "knowledge_base" / "library_vectors.npz"
    with np.load(path, allow_pickle=False) as data:
        assert set(data.files) == {"hashes", "vectors", "frameworks", "stamp"}
        assert data["vectors"].dtype == np.float16 and data["hashes"].shape[1] == 32
        assert data["hashes"].shape[0] == data["vectors"].shape[0] == data["frameworks"].shape[0]


@pytest.fixture(scope="module")
def sample(corpus_dir):
    first: dict[str, object] = {}
    for c in load_library(corpus_dir):
        first.setdefault(str(c.extra["framework"]), c)
    return list(first.values())[:3]  # three frameworks


def test_lookup_needs_the_same_text_model_and_parser(sample, tmp_path) -> None:
    path = tmp_path / "v.npz"
    matrix = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]], dtype=np.float32)
    parsers = parser_versions()
    write(path, sample, matrix, model_id(), parsers)
    pre = PrebuiltVectors.load(path)
    assert pre is not None
    assert pre.lookup(sample, model_id(), parsers) == matrix.tolist()
    assert pre.lookup(sample, "another-model", parsers) == [None] * 3
    assert pre.lookup(sample, None, parsers) == [None] * 3
    changed = dict(parsers, **{str(sample[1].extra["framework"]): "0" * 16})
    assert pre.lookup(sample, model_id(), changed) == [matrix[0].tolist(), None, matrix[2].tolist()]
    edited = [sample[0], replace(sample[1], text=sample[1].text + " (amended)")]
    assert pre.lookup(edited, model_id(), parsers) == [matrix[0].tolist(), None]


def test_build_embeds_only_what_the_file_lacks(sample, tmp_path) -> None:
    path = tmp_path / "v.npz"
    write(path, sample[:2], np.eye(2, 4, dtype=np.float32), model_id(), parser_versions())
    emb = CountingMiniLM()
    vectors, shipped = embed_library(emb, sample, path)
    assert shipped == 2 and emb.embedded == [sample[2].text]
    assert vectors == [[1, 0, 0, 0], [0, 1, 0, 0], [0.5] * 4]
    emb = CountingMiniLM()
    assert embed_library(emb, sample, tmp_path / "absent.npz")[1] == 0 and len(emb.embedded) == 3


@pytest.mark.slow
def test_a_fresh_build_embeds_nothing_and_the_vectors_are_the_models(corpus_dir, tmp_path) -> None:
    from advisor.factory import build_advisor

    settings = Settings(data_dir=tmp_path / "data", embedding="minilm", corpus_dir=corpus_dir)
    adv = build_advisor(settings)
    report = adv.build_library()
    assert report.prebuilt == report.added == report.total
    pre = PrebuiltVectors.load(vectors_path(settings))
    assert pre is not None
    chunks = load_library(corpus_dir)[::500]
    fresh = np.asarray(adv.store.embeddings.embed_documents([c.text for c in chunks]))
    shipped = np.asarray([pre.vectors[pre.index[text_hash(c.text)]].astype(np.float32) for c in chunks])
    cosine = (fresh * shipped).sum(axis=1) / np.linalg.norm(shipped, axis=1)
    assert cosine.min() > 0.999
