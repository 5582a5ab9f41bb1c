"""One contract for every store backend: embedded Chroma and a `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from langchain_core.embeddings import DeterministicFakeEmbedding

from advisor.errors import BackendUnavailable, TenancyError
from advisor.factory import build_store
from advisor.settings import Settings, StoreSettings
from ingest.types import Chunk, chunk_id


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1)
                break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("chroma server did not start")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _chunk(client: str | None, text: str, source: str = "doc.md", page: int | None = 1) -> Chunk:
    return Chunk(
        id=chunk_id(client, source, str(page), text),
        text=text,
        client=client,
        source=source,
        title="Doc",
        doc_type="policy" if client else "regulation",
        page=page,
        section="1 Intro",
        extra={"ordinal": 0, "framework": "test"},
    )


class StoreContract:
    """Every backend must pass these."""

    @pytest.fixture
    def store(self):
        raise NotImplementedError  # each backend subclass provides its store

    def test_roundtrip_keeps_metadata(self, store):
        c = _chunk("alpha", "Passwords need 12 characters.")
        store.add("alpha", [c])
        got = store.get("alpha", [c.id])[0]
        assert (got.text, got.client, got.source, got.page, got.section, got.extra["ordinal"]) == (
            c.text,
            "alpha",
            "doc.md",
            1,
            "1 Intro",
            0,
        )

    def test_none_page_survives(self, store):
        c = _chunk("alpha", "No pages here.", page=None)
        store.add("alpha", [c])
        assert store.get("alpha", [c.id])[0].page is None

    def test_clients_are_separate_collections(self, store):
        a, b = _chunk("alpha", "Alpha secret plan."), _chunk("beta", "Beta secret plan.")
        store.add("alpha", [a])
        store.add("beta", [b])
        vec = store.embeddings.embed_query("Beta secret plan.")
        hits = store.scope("alpha").dense_search("alpha", vec, 10)
        assert [h.chunk.client for h in hits] == ["alpha"]
        with pytest.raises(TenancyError):
            store.scope("alpha").dense_search("beta", vec, 10)

    def test_chunk_of_other_client_cannot_be_written(self, store):
        with pytest.raises(TenancyError):
            store.add("alpha", [_chunk("beta", "misplaced")])

    def test_library_is_shared_read_only_scope(self, store):
        lib = _chunk(None, "AC-2 Account Management.", source="NIST SP 800-53 Rev. 5", page=None)
        store.add(None, [lib])
        view = store.scope("alpha")
        assert view.tenants == ("alpha", None)
        assert [c.id for c in view.all_chunks(None)] == [lib.id]

    def test_delete_and_ids(self, store):
        cs = [_chunk("alpha", f"text {i}") for i in range(3)]
        store.add("alpha", cs)
        store.delete("alpha", [cs[0].id])
        assert store.ids("alpha") == {cs[1].id, cs[2].id}
        assert store.count("alpha") == 2

    def test_invalid_client_id(self, store):
        with pytest.raises(TenancyError):
            store.add("../etc", [])
        with pytest.raises(TenancyError):
            store.scope("library")


class TestEmbeddedStore(StoreContract):
    @pytest.fixture
    def store(self, tmp_path):
        return build_store(Settings(data_dir=tmp_path, embedding="fake"))


class TestServerStore(StoreContract):
    @pytest.fixture
    def store(self, chroma_server, request):
        s = build_store(
            Settings(
                data_dir=Path("/nonexistent"),
                embedding="fake",
                store=StoreSettings(backend="server", port=chroma_server),
            ),
            DeterministicFakeEmbedding(size=64),
        )
        for tenant in s.tenants():
            s.drop(tenant)
        s.drop(None)
        return s


def test_unreachable_server_is_a_clear_error():
    with pytest.raises(BackendUnavailable, match="cannot reach the Chroma server"):
        build_store(Settings(embedding="fake", store=StoreSettings(backend="server", port=_free_port())))
