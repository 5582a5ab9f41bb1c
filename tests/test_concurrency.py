"""Several processes at once on one data dir: one writer per store, recovery on open, freshness across
processes. Real subprocesses (`python -m advisor.cli`) with fake embeddings and small files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.factory import build_advisor
from advisor.settings import Settings
from advisor.store.consistency import check
from ingest.locking import StoreBusy, WriteLock
from ingest.manifest import Manifest
from tests.conftest import ROOT
from tests.test_store import chroma_server  # noqa: F401  (the `chroma run` server fixture)


def _env(data: Path) -> dict[str, str]:
    return {**os.environ, "VCISO_DATA_DIR": str(data), "VCISO_EMBEDDING": "fake", "PYTHONPATH": str(ROOT)}


def _cli(data: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "advisor.cli", *args],
        cwd=ROOT,
        env=_env(data),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _run(data: Path, *args: str) -> tuple[int, str, str]:
    proc = _cli(data, *args)
    out, err = proc.communicate(timeout=300)
    return proc.returncode, out, err


def _write_folder(root: Path, tag: str, n: int, round_: int) -> list[Path]:
    """n small policies; two of them share a relative name with the other folder's."""
    files = []
    for i in range(n):
        sub = root / ("policies" if i % 2 else "records")
        sub.mkdir(parents=True, exist_ok=True)
        name = "Password_Policy.md" if i == 0 else f"{tag}_doc_{i}.md"
        f = sub / name
        f.write_text(
            f"# {tag} document {i}\n\n## Rule\n\nIn round {round_} the {tag} rule {i} says keep "
            f"records for {i + round_} years and review access every {i + 2} months.\n",
            encoding="utf-8",
        )
        files.append(f)
    return files


HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from ingest.locking import WriteLock
    lock = WriteLock(Path(sys.argv[1]), "acme", "client acme", 5)
    with lock.hold("ingest"):
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
""")


def test_second_writer_waits_with_a_message_then_fails_naming_the_holder(tmp_path):
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path), "30"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        heard: list[str] = []
        lock = WriteLock(tmp_path, "acme", "client acme", 1.0)
        t0 = time.monotonic()
        with pytest.raises(StoreBusy) as err:
            with lock.hold("ingest", heard.append):
                pass
        assert 0.9 < time.monotonic() - t0 < 5
        assert str(err.value) == (
            f"another ingest for client acme is running (pid {holder.pid}); try again when it has finished"
        )
        assert heard and heard[0] == f"waiting for another ingest for client acme (pid {holder.pid})..."
        with lock.try_hold("recovery") as held:  # readers never wait
            assert held is False
    finally:
        holder.kill()
        holder.wait()
    with WriteLock(tmp_path, "acme", "client acme", 1.0).hold("ingest"):  # a dead holder's lock is free
        assert json.loads((tmp_path / "acme.lock.holder").read_text())["pid"] == os.getpid()
    assert not (tmp_path / "acme.lock.holder").exists()


def _check_consistent(data: Path, client: str, expected_files: list[Path]) -> None:
    manifest = Manifest(data / "manifests", client)
    keys = sorted(manifest.documents)
    assert keys == sorted(str(f.resolve()) for f in expected_files)  # every document listed exactly once
    sources = [d.source for d in manifest.documents.values()]
    assert len(set(sources)) == len(sources)
    adv = build_advisor(Settings(data_dir=data, embedding="fake"))
    present = adv.store.ids(client)
    for d in manifest.documents.values():
        assert d.chunk_ids and set(d.chunk_ids) <= present, d.path  # every listed document has its chunks
    assert present == manifest.all_chunk_ids()  # and no chunk is unlisted
    assert not manifest.needs_recovery()
    assert check(adv.store, adv.catalog, client).problems == 0  # what `vciso doctor` checks


def test_concurrent_ingests_leave_every_document_listed_once_with_its_chunks(tmp_path, fake_settings):
    data = fake_settings.data_dir
    a, b, c = tmp_path / "2024", tmp_path / "2025", tmp_path / "other"
    for round_ in range(3):  # three runs: first ingest, then updates of every file, then more updates
        files_a = _write_folder(a, "alpha", 6, round_)
        files_b = _write_folder(b, "beta", 6, round_)
        files_c = _write_folder(c, "gamma", 4, round_)
        procs = [
            _cli(data, "ingest", str(a), "--client", "acme", "--json"),
            _cli(data, "ingest", str(b), "--client", "acme", "--json"),
            _cli(data, "ingest", str(c), "--client", "globex", "--json"),
        ]
        outs = [p.communicate(timeout=300) for p in procs]
        for p, (out, err), n in zip(procs, outs, (6, 6, 4)):
            assert p.returncode == 0, err[-2000:]
            report = json.loads(out)
            assert len(report["added"] if round_ == 0 else report["updated"]) == n and not report["failed"]
        _check_consistent(data, "acme", files_a + files_b)
        _check_consistent(data, "globex", files_c)
    code, out, err = _run(data, "doctor", "--json")
    assert code == 0, out + err
    assert json.loads(out)["problems"] == 0 and {h["client"] for h in json.loads(out)["clients"]} == {
        "acme",
        "globex",
        None,
    }
    for client, fact in (("acme", "alpha rule 3"), ("globex", "gamma rule 2")):
        code, out, err = _run(
            data, "ask", f"How long does the {fact} keep records?", "--client", client, "--json"
        )
        assert code == 0, err[-2000:]
        answer = json.loads(out)
        assert not answer["abstained"] and {c["client"] for c in answer["citations"]} <= {client, None}


CRASH = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from advisor.access.policy import local_operator
    from advisor.factory import build_advisor
    from advisor.settings import Settings
    from advisor.store.chroma import ChunkStore
    adv = build_advisor(Settings(data_dir=Path(sys.argv[1]), embedding="fake"))
    real_add = ChunkStore.add
    def add_then_die(self, tenant, chunks, vectors=None):
        real_add(self, tenant, chunks, vectors)
        os._exit(9)   # killed after the chunks are written, before the manifest lists them
    ChunkStore.add = add_then_die
    adv.ingest([Path(sys.argv[2])], "acme", user=local_operator())
""")


def test_killed_writer_is_recovered_on_the_next_read(tmp_path, fake_settings):
    data = fake_settings.data_dir
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kept.md").write_text("# Kept\n\nBackups are kept for 30 days.\n")
    adv = build_advisor(fake_settings)
    adv.ingest([docs], "acme", user=local_operator())
    (docs / "half.md").write_text("# Half\n\nThe zeppelin hangar doors open at dawn.\n")
    proc = subprocess.run(
        [sys.executable, "-c", CRASH, str(data), str(docs / "half.md")],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 9, proc.stderr[-2000:]
    manifest = Manifest(data / "manifests", "acme")
    assert manifest.needs_recovery()
    assert (
        adv.store.ids("acme") > manifest.all_chunk_ids()
    )  # the dead writer's chunks are in the store, unlisted
    trace = adv.retrieve(
        "When do the zeppelin hangar doors open?", "acme", user=local_operator()
    )  # a question, not an ingest
    assert not any("zeppelin" in p.text for p in trace.passages)
    manifest.reload()
    assert not manifest.needs_recovery()
    assert adv.store.ids("acme") == manifest.all_chunk_ids()
    assert [d.source for d in adv.sources("acme", user=local_operator())] == ["kept.md"]


def test_change_from_another_process_is_seen_on_the_next_question(tmp_path, fake_settings):
    data = fake_settings.data_dir
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Backup_Policy.md").write_text("# Backups\n\nBackups are kept for 30 days in Frankfurt.\n")
    app = build_advisor(fake_settings)  # the running app
    app.ingest([docs], "acme", user=local_operator())
    before = app.ask("How long are backups kept?", "acme", user=local_operator())
    assert not before.abstained and "30 days" in before.text
    generation = app.store.generation("acme")

    (docs / "Backup_Policy.md").unlink()  # the terminal: forget, then ingest a new version elsewhere
    new = tmp_path / "new"
    new.mkdir()
    (new / "Backup_Standard.md").write_text("# Backups\n\nBackups are kept for 90 days in Dublin.\n")
    assert _run(data, "forget", "Backup_Policy.md", "--client", "acme")[0] == 0
    assert _run(data, "ingest", str(new), "--client", "acme")[0] == 0

    assert app.store.generation("acme") > generation
    after = app.ask("How long are backups kept?", "acme", user=local_operator())
    assert not after.abstained and "90 days" in after.text and "30 days" not in after.text
    assert [c.source for c in after.citations] == ["Backup_Standard.md"]
    assert [d.source for d in app.sources("acme", user=local_operator())] == ["Backup_Standard.md"]
    # dense search sees the other process's chunks (the embedded index was reloaded), and no stale one
    chunk = app.tenant_index("acme", user=local_operator()).chunks[0]
    hits = app.store.scope("acme").dense_search("acme", app.store.embeddings.embed_query(chunk.text), 5)
    assert hits[0].chunk.id == chunk.id and {h.chunk.source for h in hits} == {"Backup_Standard.md"}


def test_concurrent_ingests_through_a_chroma_server_are_as_safe(tmp_path, chroma_server):
    """Several machines: one Chroma server, one shared data dir holding the manifests and the locks."""
    data = tmp_path / "shared-data"
    server = {"VCISO_STORE__BACKEND": "server", "VCISO_STORE__PORT": str(chroma_server)}
    a, b = tmp_path / "2024", tmp_path / "2025"
    files = _write_folder(a, "alpha", 5, 0) + _write_folder(b, "beta", 5, 0)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "advisor.cli", "ingest", str(folder), "--client", "acme", "--json"],
            cwd=ROOT,
            env={**_env(data), **server},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in (a, b)
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0 and len(json.loads(out)["added"]) == 5, err[-2000:]
    manifest = Manifest(data / "manifests", "acme")
    assert sorted(manifest.documents) == sorted(str(f.resolve()) for f in files)
    proc = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "doctor", "--client", "acme", "--json"],
        cwd=ROOT,
        env={**_env(data), **server},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0 and json.loads(proc.stdout)["problems"] == 0, proc.stdout + proc.stderr


def test_readers_never_wait_for_a_live_writer_and_never_see_its_half_change(tmp_path, fake_settings):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kept.md").write_text("# Kept\n\nBackups are kept for 30 days.\n")
    settings = fake_settings.model_copy(
        update={"store": fake_settings.store.model_copy(update={"lock_timeout_s": 60})}
    )
    adv = build_advisor(settings)
    op = local_operator()
    adv.ingest([docs], "acme", user=op)
    manifests = settings.data_dir / "manifests"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(manifests), "60"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        # what the live writer has done so far: journal written, chunks added, manifest not yet replaced
        manifest = Manifest(manifests, "acme")
        manifest.begin("ingest", str(docs / "half.md"))
        half = adv.store.all_chunks("acme")[0].with_(
            id="half-1", text="The zeppelin hangar doors open at dawn."
        )
        adv.store.add("acme", [half])
        t0 = time.monotonic()
        trace = adv.retrieve("When do the zeppelin hangar doors open?", "acme", user=op)
        assert time.monotonic() - t0 < 30  # far below the 60 s a writer would wait
        assert trace.passages and not any("zeppelin" in p.text for p in trace.passages)
        assert manifest.needs_recovery()  # a live writer's journal is left to it
    finally:
        holder.kill()
        holder.wait()
    adv.retrieve(
        "When do the zeppelin hangar doors open?", "acme", user=op
    )  # the writer is gone: recovered now
    manifest.reload()
    assert not manifest.needs_recovery() and adv.store.ids("acme") == manifest.all_chunk_ids()
