"""Document identity, `vciso doctor`, old manifests, and store errors shown as clear messages."""

from __future__ import annotations

import json
from pathlib import Path

import chromadb
import pytest

from advisor.cli import main
from advisor.errors import StoreError
from advisor.factory import build_store
from advisor.settings import Settings
from advisor.store.catalog import Catalog
from ingest.manifest import Manifest
from ingest.types import Chunk, chunk_id

POLICY = "# Password Policy\n\n## Length\n\nPasswords must be at least 14 characters long.\n"


@pytest.fixture
def env(tmp_path, monkeypatch) -> Path:
    data = tmp_path / "data"
    monkeypatch.setenv("VCISO_DATA_DIR", str(data))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    return data


def _cli(capsys, *args: str) -> tuple[int, dict]:
    code = main([*args, "--json"])
    return code, json.loads(capsys.readouterr().out)


def _health(report: dict, client: str | None) -> dict:
    return next(h for h in report["clients"] if h["client"] == client)


def test_same_relative_names_never_share_chunks_and_prune_keeps_the_others(tmp_path, env, capsys):
    root = tmp_path / "archive"
    for year in ("2024", "2025", "2026"):
        (root / year / "policies").mkdir(parents=True)
        (root / year / "policies" / "Password_Policy.md").write_text(POLICY)  # same name, same text
    code, report = _cli(capsys, "ingest", str(root), "--client", "acme")
    assert code == 0 and len(report["added"]) == 3
    docs = Manifest(env / "manifests", "acme").documents
    assert sorted(d.source for d in docs.values()) == [
        "2026/policies/Password_Policy.md",
        "Password_Policy.md",
        "policies/Password_Policy.md",
    ]
    ids = [set(d.chunk_ids) for d in docs.values()]
    assert all(ids) and not (ids[0] & ids[1] or ids[0] & ids[2] or ids[1] & ids[2])

    (root / "2025" / "policies" / "Password_Policy.md").unlink()
    code, report = _cli(capsys, "ingest", str(root), "--client", "acme", "--prune")
    assert code == 0 and [Path(p).parts[-3] for p in report["removed"]] == ["2025"]
    assert len(report["unchanged"]) == 2
    manifest = Manifest(env / "manifests", "acme")
    present = build_store(Settings(data_dir=env, embedding="fake")).ids("acme")
    assert all(d.chunk_ids and set(d.chunk_ids) <= present for d in manifest.documents.values())
    assert present == manifest.all_chunk_ids()
    assert _cli(capsys, "doctor")[0] == 0


def test_doctor_reports_and_repairs_orphans(tmp_path, env, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "passwords.md").write_text(POLICY)
    (docs / "backups.md").write_text("# Backups\n\nBackups are kept for 30 days.\n")
    assert _cli(capsys, "ingest", str(docs), "--client", "acme")[0] == 0
    code, report = _cli(capsys, "doctor")
    assert code == 0 and report["problems"] == 0

    store = build_store(Settings(data_dir=env, embedding="fake"))
    stray = Chunk(
        id=chunk_id("acme", "ghost.md", "1", "unlisted"),
        text="unlisted",
        client="acme",
        source="ghost.md",
        title=None,
        doc_type="policy",
        page=None,
        section=None,
    )
    store.add("acme", [stray])  # a chunk without a manifest entry
    backups = next(
        d for d in Manifest(env / "manifests", "acme").documents.values() if d.source == "backups.md"
    )
    store.delete("acme", backups.chunk_ids[:1])  # an entry without its chunks
    store.add(
        "globex",
        [
            Chunk(
                id="g1",
                text="orphan",
                client="globex",
                source="x.md",
                title=None,
                doc_type="policy",
                page=None,
                section=None,
            )
        ],
    )  # a collection without a manifest

    code, report = _cli(capsys, "doctor")
    assert code == 1 and report["problems"] == 3
    acme = _health(report, "acme")
    assert acme["stray_chunks"] == 1 and acme["entries_without_chunks"] == [backups.path]
    assert _health(report, "globex")["collection_without_manifest"] is True
    assert _cli(capsys, "doctor", "--client", "globex")[0] == 1

    code, report = _cli(capsys, "doctor", "--repair")
    assert code == 0 and report["problems"] == 0 and _health(report, "acme")["repaired"]
    assert "globex" not in store.tenants()
    assert _cli(capsys, "doctor")[0] == 0
    code, report = _cli(capsys, "ingest", str(docs), "--client", "acme")  # the dropped entry goes in again
    assert [Path(p).name for p in report["added"]] == ["backups.md"] and len(report["unchanged"]) == 1


def test_manifest_from_before_generations_is_read_and_upgraded(tmp_path, env, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "passwords.md").write_text(POLICY)
    assert _cli(capsys, "ingest", str(docs), "--client", "acme")[0] == 0
    path = env / "manifests" / "acme.json"
    raw = json.loads(path.read_text())
    path.write_text(json.dumps({"tenant": raw["tenant"], "documents": raw["documents"]}))  # the old format
    old = Manifest(env / "manifests", "acme")
    assert (old.format, old.generation, len(old.documents)) == (1, 0, 1)

    code, report = _cli(capsys, "doctor")
    assert code == 0 and _health(report, "acme")["old_format"] is True
    assert _cli(capsys, "ingest", str(docs), "--client", "acme")[1]["unchanged"] == [
        str(docs / "passwords.md")
    ]
    code, report = _cli(capsys, "doctor", "--repair")
    assert code == 0 and _health(report, "acme")["old_format"] is False
    new = Manifest(env / "manifests", "acme")
    assert new.format == 2 and new.generation >= 1 and new.documents == old.documents


def test_store_failures_are_clear_errors(tmp_path, monkeypatch):
    store = build_store(Settings(data_dir=tmp_path, embedding="fake"))
    store.add(
        "acme",
        [
            Chunk(
                id="a1",
                text="text",
                client="acme",
                source="a.md",
                title=None,
                doc_type="policy",
                page=None,
                section=None,
            )
        ],
    )

    def broken(*args, **kwargs):
        raise RuntimeError("Error executing plan: internal error")

    monkeypatch.setattr(chromadb.api.models.Collection.Collection, "query", broken)
    with pytest.raises(StoreError, match="could not search .* Run `vciso doctor`"):
        store.scope("acme").dense_search("acme", store.embeddings.embed_query("text"), 3)


def test_views_return_only_listed_chunks(tmp_path):
    store = build_store(Settings(data_dir=tmp_path, embedding="fake"))
    chunks = [
        Chunk(
            id=f"c{i}",
            text=f"text {i}",
            client="acme",
            source="a.md",
            title=None,
            doc_type="policy",
            page=None,
            section=None,
        )
        for i in range(3)
    ]
    store.add("acme", chunks)
    manifest = Manifest(tmp_path / "manifests", "acme")
    from ingest.manifest import DocumentRecord

    manifest.documents["a.md"] = DocumentRecord(
        path="a.md",
        source="a.md",
        sha256="",
        chunk_ids=["c0", "c1"],
        ingested_at="",
        doc_type="policy",
        title="",
        pages=None,
        size=0,
    )
    manifest.save()
    store.catalog = Catalog(tmp_path / "manifests", store, lock_timeout_s=1)
    view = store.scope("acme")
    assert sorted(c.id for c in view.all_chunks("acme")) == ["c0", "c1"]
    hits = view.dense_search("acme", store.embeddings.embed_query("text 2"), 3)
    assert sorted(h.chunk.id for h in hits) == ["c0", "c1"]
    assert store.generation("acme") == 1
