"""`vciso kb fetch` against a loopback HTTP mirror of the corpus, and the corpus rules of the repository.

The server reads ../shared/corpus (VCISO_CORPUS_DIR) in place; per-path overrides let a test serve
wrong bytes or drop the connection halfway through a body. It honours Range requests, so resuming is
tested for real.
"""

from __future__ import annotations

import hashlib
import http.server
import re
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from advisor.cli import main
from advisor.factory import build_advisor
from advisor.settings import Settings
from ingest.frameworks.corpus import CorpusError, provenance_table, sha256_of
from ingest.frameworks.fetch import fetch, fetch_file, upstream_changes
from ingest.frameworks.library import load_framework
from ingest.frameworks.registry import FRAMEWORKS, shipped
from tests.conftest import ROOT, corpus_path

ASVS = FRAMEWORKS["asvs-5.0"]
ASVS_JSON = ASVS.files[0]
ASVS_PATH = f"/{ASVS.folder}/{ASVS_JSON.name}"


class Mirror:
    """A loopback server for a corpus folder: ``override[path] = bytes`` serves other bytes,
    ``drop[path] = n`` sends n bytes of the body (announcing the full length) and closes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.override: dict[str, bytes] = {}
        self.drop: dict[str, int] = {}
        self.requests: list[tuple[str, str]] = []  # (path, Range header)
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = self.path.split("?")[0]
                mirror.requests.append((path, self.headers.get("Range", "")))
                file = mirror.root / path.lstrip("/")
                if path in mirror.override:
                    body = mirror.override[path]
                elif file.is_file():
                    body = file.read_bytes()
                else:
                    self.send_error(404)
                    return
                start = 0
                m = re.match(r"bytes=(\d+)-$", self.headers.get("Range", ""))
                if m and int(m.group(1)) < len(body):
                    start = int(m.group(1))
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                payload = body[start:]
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                cut = mirror.drop.pop(path, None)
                if cut is not None:
                    self.wfile.write(payload[:cut])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.wfile.write(payload)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def bodies(self, path: str) -> int:
        return sum(p == path for p, _ in self.requests)


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    m = Mirror(corpus_path())
    m.thread.start()
    yield m
    m.server.shutdown()
    m.server.server_close()


def test_fetch_downloads_verifies_and_builds_the_library(
    mirror: Mirror, tmp_path: Path, monkeypatch, capsys
) -> None:
    corpus = tmp_path / "corpus"
    monkeypatch.setenv("VCISO_CORPUS_DIR", str(corpus))
    monkeypatch.setenv("VCISO_CORPUS_MIRROR", mirror.url)
    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path / "data"))
    assert main(["kb", "fetch", "--json"]) == 0
    files = [(fw, f) for fw in FRAMEWORKS.values() for f in fw.files]
    for fw, f in files:
        assert sha256_of(corpus / fw.folder / f.name) == f.sha256
    assert not list(corpus.rglob("*.part"))
    # A second run finds every file verified and downloads nothing.
    before = len(mirror.requests)
    assert main(["kb", "fetch"]) == 0
    assert len(mirror.requests) == before
    assert f"0 downloaded, {len(files)} already verified, 0 failed" in capsys.readouterr().out
    assert main(["kb", "fetch", "--check"]) == 0
    # The fetched publisher files alone build the whole library (every unit of the 11 frameworks).
    report = build_advisor(Settings(data_dir=tmp_path / "data", embedding="fake")).build_library()
    assert set(report.by_framework) == {fw.id for fw in shipped()}
    assert report.total == report.added == 4714


def test_a_wrong_checksum_fails_naming_the_url_and_keeps_the_previous_text(
    mirror: Mirror, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    local = corpus / ASVS.folder / ASVS_JSON.name
    local.parent.mkdir(parents=True)
    local.write_bytes(b'{"previous": "text"}')
    mirror.override[ASVS_PATH] = b'{"tampered": true}'
    result = fetch_file(corpus, ASVS, ASVS_JSON, mirror=mirror.url, progress=False)
    assert result.status == "failed"
    assert f"checksum mismatch for {mirror.url}{ASVS_PATH}" in result.error
    assert ASVS_JSON.sha256 in result.error and "existing file was left in place" in result.error
    assert local.read_bytes() == b'{"previous": "text"}'
    assert not list(corpus.rglob("*.part"))


def test_the_cli_reports_a_checksum_failure_without_a_traceback(
    mirror: Mirror, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("VCISO_CORPUS_DIR", str(tmp_path / "corpus"))
    monkeypatch.setenv("VCISO_CORPUS_MIRROR", mirror.url)
    mirror.override[ASVS_PATH] = b"not the pinned file"
    assert main(["kb", "fetch", "--only", "asvs-5.0"]) == 1
    captured = capsys.readouterr()
    assert f"checksum mismatch for {mirror.url}{ASVS_PATH}" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert "1 downloaded, 0 already verified, 1 failed" in captured.out  # the licence file still came


def test_a_dropped_connection_fails_clearly_and_a_rerun_resumes(mirror: Mirror, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    size = (corpus_path() / ASVS.folder / ASVS_JSON.name).stat().st_size
    mirror.drop[ASVS_PATH] = 50_000
    first = fetch_file(corpus, ASVS, ASVS_JSON, mirror=mirror.url, progress=False)
    assert first.status == "failed"
    assert f"connection to {mirror.url}{ASVS_PATH} dropped after 50000 of {size} bytes" in first.error
    assert not (corpus / ASVS.folder / ASVS_JSON.name).exists()
    part = corpus / ASVS.folder / (ASVS_JSON.name + ".part")
    assert part.stat().st_size == 50_000
    second = fetch_file(corpus, ASVS, ASVS_JSON, mirror=mirror.url, progress=False)
    assert second.status == "downloaded"
    assert mirror.requests[-1] == (ASVS_PATH, "bytes=50000-")
    assert sha256_of(corpus / ASVS.folder / ASVS_JSON.name) == ASVS_JSON.sha256
    assert not part.exists()
    assert len(load_framework(corpus, "asvs-5.0")) == 345


def test_unreachable_url_is_named(tmp_path: Path) -> None:
    report = fetch(tmp_path, [ASVS], mirror="http://127.0.0.1:9", progress=False)
    assert not report.ok
    assert all("http://127.0.0.1:9/owasp-asvs-5.0/" in r.error for r in report.failed)


def test_update_reports_upstream_changes_without_replacing(mirror: Mirror, tmp_path: Path) -> None:
    mirror.override[ASVS_PATH] = b"a newer edition"
    changes = {c.name: c for c in upstream_changes([ASVS], mirror=mirror.url, progress=False)}
    assert changes[ASVS_JSON.name].changed
    assert changes[ASVS_JSON.name].upstream == hashlib.sha256(b"a newer edition").hexdigest()
    assert not changes["UPSTREAM-LICENSE.md"].changed
    assert sha256_of(corpus_path() / ASVS.folder / ASVS_JSON.name) == ASVS_JSON.sha256  # nothing replaced


def test_a_missing_corpus_is_a_clear_error(tmp_path: Path, monkeypatch, capsys) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedding="fake", corpus_dir=tmp_path / "nowhere")
    with pytest.raises(CorpusError, match="VCISO_CORPUS_DIR") as err:
        build_advisor(settings).build_library()
    assert "vciso kb fetch" in str(err.value)
    monkeypatch.setenv("VCISO_CORPUS_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    assert main(["kb", "build"]) == 1
    captured = capsys.readouterr()
    assert "vciso kb fetch" in captured.err and "Traceback" not in captured.err


def test_the_repository_carries_no_third_party_text() -> None:
    files = subprocess.run(
        ["git", "ls-files", "knowledge_base/frameworks"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert files == ["knowledge_base/frameworks/README.md"]
    pinned = {f.sha256 for fw in FRAMEWORKS.values() for f in fw.files}
    tracked = subprocess.run(
        ["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(tracked) > 100
    for line in tracked:
        path = ROOT / line.split("\t", 1)[1]
        if path.suffix in (".json", ".xml", ".html", ".xlsx", ".md") and path.is_file():
            assert sha256_of(path) not in pinned, f"{path} is a copy of a pinned regulatory text"


def test_the_provenance_table_matches_the_registry() -> None:
    readme = (ROOT / "knowledge_base" / "frameworks" / "README.md").read_text(encoding="utf-8")
    table = readme.split("<!-- provenance:start -->\n", 1)[1].split("<!-- provenance:end -->", 1)[0]
    assert table == provenance_table(list(FRAMEWORKS.values()))
