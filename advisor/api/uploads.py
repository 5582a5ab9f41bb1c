"""Uploaded files: read from a multipart body within the limits, staged, then ingested by a job.

Files go where the app puts its uploads (``data_dir/uploads/<client>/<safe name>``, the same naming
rule as the app's Documents page), so a file uploaded through the API and the same file uploaded in the
app are one document. A file that fails ingestion is not kept: a previous version is put back.
"""

from __future__ import annotations

import logging
import re
import shutil
import unicodedata
from pathlib import Path

from starlette.datastructures import UploadFile

from advisor.api.jobs import Progress
from advisor.api.problems import ApiProblem
from advisor.service import Advisor
from advisor.store.chroma import validate_client_id
from ingest.loaders import SUPPORTED_SUFFIXES

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 120
MAX_FILES = 100
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")
_CHUNK = 1024 * 1024


class Rejected(ValueError):
    """An uploaded file breaks a rule; the message says which."""


def safe_name(name: str, suffixes: tuple[str, ...] = tuple(SUPPORTED_SUFFIXES)) -> str:
    """A file name without folders, special characters or leading dots, of bounded length and a known type."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[_ ]+", "_", _UNSAFE.sub("_", base).strip(" ."))
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem.strip("._-"):
        raise Rejected(f"{name!r}: not a usable file name with a type (e.g. policy.pdf)")
    suffix = "." + suffix.lower()
    if suffix not in suffixes:
        raise Rejected(f"unsupported file type {suffix}; supported: {', '.join(suffixes)}")
    return stem[: MAX_NAME_CHARS - len(suffix)] + suffix


def upload_dir(adv: Advisor, client: str) -> Path:
    folder = adv.settings.data_dir / "uploads" / validate_client_id(client)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def staging_dir(adv: Advisor) -> Path:
    folder = adv.settings.data_dir / "api-jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def read_files(form_files: list[UploadFile], stage: Path, max_bytes: int,
                     suffixes: tuple[str, ...] = tuple(SUPPORTED_SUFFIXES)) -> tuple[list[Path], list[dict[str, str]]]:
    """Copy each uploaded file into ``stage`` under its safe name; files breaking a rule are returned as
    ``{path, error}`` (the ingest contract's ``failed`` shape) and not kept."""
    if not form_files:
        raise ApiProblem(422, "invalid-request", "no files: send them as multipart form fields named 'files'")
    if len(form_files) > MAX_FILES:
        raise ApiProblem(422, "invalid-request", f"at most {MAX_FILES} files per upload")
    stage.mkdir(parents=True, exist_ok=True)
    kept: list[Path] = []
    rejected: list[dict[str, str]] = []
    for upload in form_files:
        name = upload.filename or ""
        target: Path | None = None
        try:
            target = stage / safe_name(name, suffixes)
            if target in kept:
                raise Rejected(f"uploaded twice in one request as {target.name}")
            size = 0
            with target.open("wb") as out:
                while chunk := await upload.read(_CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise Rejected(f"file is larger than the {max_bytes / 1024 / 1024:g} MB limit")
                    out.write(chunk)
            if size == 0:
                raise Rejected("the file is empty")
            kept.append(target)
        except Rejected as exc:
            if target is not None and target not in kept:
                target.unlink(missing_ok=True)
            rejected.append({"path": name, "error": str(exc)})
        finally:
            await upload.close()
    return kept, rejected


def ingest_work(adv: Advisor, client: str, staged: list[Path], rejected: list[dict[str, str]]):
    """The job: move staged files into the client's upload folder and ingest them (the ingest contract)."""

    def work(progress: Progress):
        folder = upload_dir(adv, client)
        previous: dict[Path, bytes | None] = {}
        for path in staged:
            target = folder / path.name
            previous[target] = target.read_bytes() if target.is_file() else None
            shutil.copyfile(path, target)
        progress.total(len(previous))
        done = {"n": 0}

        def step(path: str, status: str) -> None:
            done["n"] += 1
            progress.step(done["n"], f"{Path(path).name}: {status}")

        from ingest.pipeline import IngestReport

        report = adv.ingest(list(previous), client, progress=step) if previous else IngestReport()
        for failure in report.failed:
            target = Path(failure["path"])
            if target in previous:
                if previous[target] is None:
                    target.unlink(missing_ok=True)
                else:
                    target.write_bytes(previous[target])
        report.failed[:0] = rejected
        log.info("API upload for client %s: %d added, %d updated, %d failed", client, len(report.added),
                 len(report.updated), len(report.failed))
        return report.as_contract(), None

    return work
