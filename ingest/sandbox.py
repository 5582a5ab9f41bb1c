"""Parse files in a worker process with a memory limit and a wall-time limit, so that one hostile or
broken file can never take the server down: it fails alone with a clear reason.

The worker is started once and reused for every file (a process per file would cost ~1 s of imports
each); it is replaced only after a file killed it or ran past the time limit. The worker is a fresh
interpreter started with ``python -c`` that imports only this module and the loaders: not the parent's
``__main__`` (multiprocessing's "spawn" re-imports that, and under Streamlit, the API or pytest it can
pull in torch and the embedding model, gigabytes of address space that would leave nothing under the
cap below). Inside the worker the address space is capped with ``resource.setrlimit(RLIMIT_AS)``, the
limits of :mod:`ingest.limits` are checked before and after the parser, and every exception becomes a
plain reason string (exceptions from parser libraries do not always survive pickling).

A ``then`` step (a picklable callable, e.g. an instance of a module-level class) runs on the parsed
document in the same place, so that chunking happens in the worker too: its result comes back instead
of the document, and the parent process, which embeds meanwhile, does no Python work for the file.

Usage::

    doc = parse(path, max_bytes=25 * 2**20, limits=ParseLimits())   # raises IngestError for this file
    chunks = parse(path, max_bytes=..., then=chunker)                 # chunker(doc), in the worker
"""

from __future__ import annotations

import atexit
import json
import logging
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, TypeVar, overload

from ingest.errors import IngestError
from ingest.limits import ParseLimits, check_after, check_before
from ingest.types import LoadedDocument

log = logging.getLogger(__name__)

_MB = 1024 * 1024
T = TypeVar("T")


def load_checked(path: Path, *, max_bytes: int, limits: ParseLimits) -> LoadedDocument:
    """Load ``path`` in this process with the byte-level limits checked first and the size limits after."""
    from ingest.loaders import load, sniff

    name = str(path)
    try:
        head = (
            Path(path).read_bytes()
            if Path(path).is_file() and Path(path).stat().st_size <= max_bytes
            else b""
        )
    except OSError:
        head = b""
    if head:
        check_before(name, sniff(head), head, limits)
    doc = load(path, max_bytes=max_bytes)
    check_after(name, doc, limits)
    return doc


def _serve(conn, memory_mb: int) -> None:
    """The worker's loop: receive (path, max_bytes, limits, then), answer ("ok", doc or then(doc)) or
    ("error", reason)."""
    import resource

    limit = memory_mb * _MB
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # a lower hard limit is already in force: keep it
        pass
    logging.disable(logging.WARNING)  # parser chatter must not reach the server's log; reasons come back
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        path, max_bytes, limits, then = request
        if path is None:  # warm-up: import the parsers now, not during the first files
            _preload()
            conn.send(("ok", None))
            continue
        try:
            doc = load_checked(Path(path), max_bytes=max_bytes, limits=limits)
            conn.send(("ok", doc if then is None else then(doc)))
        except IngestError as exc:
            conn.send(("error", exc.reason))
        except MemoryError:
            conn.send(
                (
                    "error",
                    f"parsing this file needs more than {memory_mb:,} MB of memory "
                    "(setting parsing.memory_mb)",
                )
            )
        except RecursionError:
            conn.send(("error", "the file is nested too deeply to parse; it may be damaged or hostile"))
        except Exception as exc:  # noqa: BLE001 — a parser bug fails this file alone, with its type named
            conn.send(("error", f"could not read this file ({type(exc).__name__}); it may be damaged"))


_PRELOAD = ("ingest.loaders", "ingest.prepare", "pypdf", "pdfplumber", "pypdfium2", "bs4", "docx", "openpyxl")


def _preload() -> None:
    """Import the loaders and their libraries (about half a second, once per worker)."""
    import importlib

    for name in _PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # an optional parser: its files fail with their own message
            pass


_WORKER_MAIN = (
    "import sys, json; sys.path[:] = json.loads(sys.argv[3]); "
    "from ingest.sandbox import _worker_main; _worker_main(int(sys.argv[1]), int(sys.argv[2]))"
)


def _worker_main(fd: int, memory_mb: int) -> None:
    """Entry point of the worker interpreter: serve requests on the inherited socket ``fd``."""
    _serve(Connection(fd), memory_mb)


class ParserWorker:
    """One reusable parsing process; calls are serialised by a lock."""

    def __init__(self, memory_mb: int) -> None:
        self.memory_mb = memory_mb
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._conn: Connection | None = None

    def _start(self) -> None:
        parent, child = socket.socketpair()
        try:
            fd = child.fileno()
            self._process = subprocess.Popen(
                [sys.executable, "-c", _WORKER_MAIN, str(fd), str(self.memory_mb), json.dumps(sys.path)],
                pass_fds=(fd,),
                stdin=subprocess.DEVNULL,
                close_fds=True,
            )
        except BaseException:
            parent.close()
            raise
        finally:
            child.close()
        self._conn = Connection(parent.detach())

    def _alive(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        if self._process is not None:
            try:
                self._process.kill()
                self._process.wait(timeout=5)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def _connection(self) -> Connection:
        """The live worker's connection, (re)starting a worker that is not running (the caller holds the
        lock)."""
        if not self._alive():
            self.stop()
            self._start()
        assert self._conn is not None  # _start() opened it
        return self._conn

    def warm(self, timeout_s: float = 60.0) -> None:
        """Start the worker and have it import the parsers, so that the first files parse at full speed."""
        with self._lock:
            conn = self._connection()
            conn.send((None, 0, None, None))
            try:
                if conn.poll(timeout_s):
                    conn.recv()
                    return
            except (EOFError, OSError):
                pass
            self.stop()  # a late answer must not be taken for the next file's

    def parse(
        self,
        path: Path,
        *,
        max_bytes: int,
        limits: ParseLimits,
        then: Callable[[LoadedDocument], Any] | None = None,
    ) -> Any:
        """The document, or ``then(document)`` computed in the worker."""
        name = str(path)
        with self._lock:
            conn = self._connection()
            conn.send((str(path), max_bytes, limits, then))
            if not conn.poll(limits.timeout_s):
                self.stop()
                raise IngestError(
                    name,
                    f"parsing took longer than {limits.timeout_s:g} s and was stopped "
                    "(setting parsing.timeout_s)",
                )
            try:
                status, value = conn.recv()
            except (EOFError, OSError):
                code = self._process.poll() if self._process is not None else None
                self.stop()
                log.warning("parser worker died on a file (exit code %s)", code)
                raise IngestError(
                    name,
                    f"the parser stopped on this file (it needed more than {self.memory_mb:,} MB "
                    "of memory, setting parsing.memory_mb, or the file crashed it)",
                ) from None
        if status == "error":
            raise IngestError(name, value)
        return value


_WORKERS: dict[int, ParserWorker] = {}
_WORKERS_LOCK = threading.Lock()


@overload
def parse(
    path: Path, *, max_bytes: int, limits: ParseLimits | None = None, isolate: bool = True, then: None = None
) -> LoadedDocument: ...


@overload
def parse(
    path: Path,
    *,
    max_bytes: int,
    limits: ParseLimits | None = None,
    isolate: bool = True,
    then: Callable[[LoadedDocument], T],
) -> T: ...


def parse(
    path: Path,
    *,
    max_bytes: int,
    limits: ParseLimits | None = None,
    isolate: bool = True,
    then: Callable[[LoadedDocument], Any] | None = None,
) -> Any:
    """Load one file within ``limits``: in the shared worker process (``isolate``), or in this process
    with the same byte and size checks but without the memory and time limits. With ``then``, return
    ``then(document)``, computed where the document was loaded (its IngestError fails the file)."""
    limits = limits or ParseLimits()
    if not isolate:
        doc = load_checked(Path(path), max_bytes=max_bytes, limits=limits)
        return doc if then is None else then(doc)
    return _worker(limits).parse(Path(path), max_bytes=max_bytes, limits=limits, then=then)


def warm(limits: ParseLimits | None = None) -> None:
    """Start the shared worker for ``limits`` with its parsers imported (a server or a benchmark does this
    before the first ingest, as it loads the embedding model)."""
    _worker(limits or ParseLimits()).warm()


def _worker(limits: ParseLimits) -> ParserWorker:
    with _WORKERS_LOCK:
        worker = _WORKERS.get(limits.memory_mb)
        if worker is None:
            worker = _WORKERS[limits.memory_mb] = ParserWorker(limits.memory_mb)
    return worker


@atexit.register
def _stop_workers() -> None:
    for worker in list(_WORKERS.values()):
        worker.stop()
