"""`vciso kb fetch`: download each framework's pinned files into the corpus folder, verified by sha256.

Invariants:

- a file is put in place only after its sha256 equals the registry's pin: it is downloaded to
  ``<name>.part`` and renamed over the target only when verified, so a checksum mismatch or a dropped
  connection never replaces (or damages) the text already there;
- a file already present with the pinned sha256 is not downloaded again, and an interrupted download
  resumes from its ``.part`` file with an HTTP Range request (a server that ignores Range sends the
  whole file again, which is fine);
- every failure names the URL; ``update`` downloads into a temporary folder and only reports what
  changed upstream (new sha256 vs pin), never replacing anything.

URLs come from the registry (canonical locations at pinned commits) or, when a mirror is given, from
``<mirror>/<folder>/<file>``. Derived files have no publisher location: only a mirror serves them.
"""

from __future__ import annotations

import http.client
import logging
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ingest.frameworks.corpus import CorpusError, sha256_of
from ingest.frameworks.registry import Framework, SourceFile

log = logging.getLogger(__name__)
CHUNK = 1 << 16
USER_AGENT = "vciso-kb-fetch/1"


@dataclass(frozen=True)
class FileResult:
    framework: str
    name: str
    status: str  # "present" (already verified) | "downloaded" | "failed"
    url: str = ""
    error: str = ""


@dataclass
class FetchReport:
    results: list[FileResult] = field(default_factory=list)

    @property
    def failed(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)


@dataclass(frozen=True)
class UpstreamChange:
    framework: str
    name: str
    url: str
    pinned: str
    upstream: str  # sha256 of what the URL serves now ("" when it could not be read)
    error: str = ""

    @property
    def changed(self) -> bool:
        return bool(self.upstream) and self.upstream != self.pinned


def source_url(framework: Framework, file: SourceFile, mirror: str = "") -> str:
    """Where ``file`` is downloaded from: the mirror when given, else its canonical URL."""
    if mirror:
        return f"{mirror.rstrip('/')}/{urllib.parse.quote(framework.folder)}/{urllib.parse.quote(file.name)}"
    return file.url


def _progress(total: int | None, initial: int, label: str, enabled: bool):
    from tqdm import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc=label,
        leave=False,
        disable=None if enabled else True,
    )


def download(url: str, part: Path, *, timeout: float = 60.0, progress: bool = True, label: str = "") -> None:
    """Download ``url`` into ``part``, resuming from its current size with a Range request.

    Raises ``CorpusError`` naming the URL on an HTTP error, a network error or a dropped connection; the
    bytes received so far stay in ``part`` for the next run to resume from.
    """
    offset = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    if offset:
        request.add_header("Range", f"bytes={offset}-")
    try:
        # http(s) URLs from the registry or the configured mirror
        response = urllib.request.urlopen(request, timeout=timeout)  # noqa: S310
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:  # the partial file is not a prefix we can continue: start over
            part.unlink()
            return download(url, part, timeout=timeout, progress=progress, label=label)
        raise CorpusError(f"download failed: {url} answered HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise CorpusError(f"download failed: cannot reach {url} ({reason})") from None
    with response:
        resumed = offset and response.status == 206
        length = response.headers.get("Content-Length")
        total = (int(length) + (offset if resumed else 0)) if length and length.isdigit() else None
        received = offset if resumed else 0
        bar = _progress(total, received, label or part.name, progress)
        try:
            with part.open("ab" if resumed else "wb") as out:
                while True:
                    try:
                        block = response.read(CHUNK)
                    except (http.client.IncompleteRead, OSError) as exc:
                        raise CorpusError(
                            f"download interrupted: the connection to {url} dropped after {received} of "
                            f"{total if total is not None else '?'} bytes ({type(exc).__name__}); run "
                            "`vciso kb fetch` again to resume"
                        ) from None
                    if not block:
                        break
                    out.write(block)
                    received += len(block)
                    bar.update(len(block))
        finally:
            bar.close()
    if total is not None and received < total:
        raise CorpusError(
            f"download interrupted: the connection to {url} dropped after {received} of {total} "
            "bytes; run `vciso kb fetch` again to resume"
        )


def fetch_file(
    corpus_dir: Path,
    framework: Framework,
    file: SourceFile,
    *,
    mirror: str = "",
    timeout: float = 60.0,
    progress: bool = True,
) -> FileResult:
    """Make ``corpus_dir/<folder>/<name>`` hold the pinned bytes of ``file`` (see the module invariants)."""
    dest = Path(corpus_dir) / framework.folder / file.name
    if dest.is_file() and sha256_of(dest) == file.sha256:
        return FileResult(framework.id, file.name, "present")
    url = source_url(framework, file, mirror)
    dest.parent.mkdir(parents=True, exist_ok=True)
    part = dest.with_name(dest.name + ".part")
    try:
        download(url, part, timeout=timeout, progress=progress, label=f"{framework.id}/{file.name}")
    except CorpusError as exc:
        return FileResult(framework.id, file.name, "failed", url, str(exc))
    got = sha256_of(part)
    if got != file.sha256:
        part.unlink()
        kept = "the existing file was left in place" if dest.exists() else "nothing was written"
        return FileResult(
            framework.id,
            file.name,
            "failed",
            url,
            (
                f"checksum mismatch for {url}: expected sha256 {file.sha256}, got {got}; {kept}. "
                "The publisher may have changed the file (see `vciso kb fetch --update`)"
            ),
        )
    os.replace(part, dest)
    log.info("fetched %s/%s", framework.folder, file.name)
    return FileResult(framework.id, file.name, "downloaded", url)


def fetch(
    corpus_dir: Path,
    frameworks: Iterable[Framework],
    *,
    mirror: str = "",
    timeout: float = 60.0,
    progress: bool = True,
) -> FetchReport:
    """Fetch every pinned file of ``frameworks``; failures are collected, not raised (see ``FetchReport``)."""
    report = FetchReport()
    for fw in frameworks:
        for f in fw.files:
            report.results.append(
                fetch_file(corpus_dir, fw, f, mirror=mirror, timeout=timeout, progress=progress)
            )
    return report


def upstream_changes(
    frameworks: Iterable[Framework], *, mirror: str = "", timeout: float = 60.0, progress: bool = True
) -> list[UpstreamChange]:
    """What each file's URL serves now compared with its pin. Downloads into a temporary folder only."""
    out = []
    with tempfile.TemporaryDirectory(prefix="vciso-kb-update-") as tmp:
        for fw in frameworks:
            for f in fw.files:
                url = source_url(fw, f, mirror)
                part = Path(tmp) / f"{fw.folder}-{f.name.replace('/', '_')}"
                try:
                    download(url, part, timeout=timeout, progress=progress, label=f"{fw.id}/{f.name}")
                except CorpusError as exc:
                    out.append(UpstreamChange(fw.id, f.name, url, f.sha256, "", str(exc)))
                    continue
                out.append(UpstreamChange(fw.id, f.name, url, f.sha256, sha256_of(part)))
                part.unlink()
    return out
