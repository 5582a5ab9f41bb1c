"""Shared fixtures. Fast tests use deterministic fake embeddings; retrieval-quality tests use the real
MiniLM model on a data dir built once per session (library + both demo clients)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import jsonschema
import pytest

from advisor.access.policy import local_operator
from advisor.factory import build_advisor
from advisor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "knowledge_base" / "demo"
CONTRACT = Path(__file__).resolve().parent / "contract"
DEMO_CLIENTS = ("meridian-health", "ledgerly")
pytest_plugins = ("tests.databases",)  # `database` fixtures: every store suite on SQLite and PostgreSQL
# The regulatory texts are not in the repository: tests read them through VCISO_CORPUS_DIR, which
# defaults to ../shared/corpus (next to the repository) when that folder exists.
SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
if not os.environ.get("VCISO_CORPUS_DIR") and SHARED_CORPUS.is_dir():
    os.environ["VCISO_CORPUS_DIR"] = str(SHARED_CORPUS)
CORPUS = Path(
    os.environ.get("VCISO_CORPUS_DIR") or SHARED_CORPUS
)  # for paths; tests needing it use corpus_dir
NO_CORPUS = (
    "the regulatory library's texts are not available: set VCISO_CORPUS_DIR to a folder laid out like "
    "../shared/corpus, or run `vciso kb fetch` and set VCISO_CORPUS_DIR=$VCISO_DATA_DIR/corpus"
)


def corpus_path() -> Path:
    """The corpus folder the tests read; the calling test FAILS (not skips) when there is none."""
    value = os.environ.get("VCISO_CORPUS_DIR", "")
    if not value or not (Path(value) / "gdpr").is_dir():
        pytest.fail(f"{NO_CORPUS} (VCISO_CORPUS_DIR={value!r})", pytrace=False)
    return Path(value)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return corpus_path()


def validate_contract(name: str, payload: dict) -> None:
    """Validate a `--json` output against the project's copy of the contract schema."""
    schema = json.loads((CONTRACT / f"{name}.schema.json").read_text())
    jsonschema.validate(payload, schema)


@pytest.fixture(scope="session")
def fake_library_dir(tmp_path_factory, corpus_dir: Path) -> Path:
    """The library indexed with fake embeddings, built once per session."""
    data = tmp_path_factory.mktemp("fake-library")
    build_advisor(Settings(data_dir=data, embedding="fake")).build_library()
    return data


@pytest.fixture
def fake_settings(tmp_path: Path, fake_library_dir: Path) -> Settings:
    """Settings on a private data dir that already holds the library (fake embeddings)."""
    shutil.copytree(fake_library_dir, tmp_path / "data")
    return Settings(data_dir=tmp_path / "data", embedding="fake")


@pytest.fixture
def fake_advisor(fake_settings: Settings):
    return build_advisor(fake_settings)


@pytest.fixture(scope="session")
def real_data_dir(tmp_path_factory, corpus_dir: Path) -> Path:
    """A data dir with the library and both demo clients indexed with MiniLM (built once per session)."""
    data = tmp_path_factory.mktemp("real-data")
    adv = build_advisor(Settings(data_dir=data, embedding="minilm"))
    adv.build_library()
    for client in DEMO_CLIENTS:
        report = adv.ingest([DEMO / client], client, user=local_operator())
        assert report.ok, report.failed
    return data


@pytest.fixture(scope="session")
def real_advisor(real_data_dir: Path):
    return build_advisor(Settings(data_dir=real_data_dir, embedding="minilm"))


@pytest.fixture
def real_data_copy(real_data_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the real data dir, for tests that change it."""
    target = tmp_path / "real-copy"
    shutil.copytree(real_data_dir, target)
    return target
