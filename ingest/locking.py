"""One writer per store: an inter-process lock per client (and one for the library).

Every write path — ingest, forget, prune, recovery of an interrupted change, the library build — holds
the tenant's :class:`WriteLock` while it changes the store and the manifest. Readers never take it:
they read the manifest (replaced atomically) and only the chunks it lists.

The lock is a ``filelock`` lock file next to the tenant's manifest (``<tenant>.lock``); the holder writes
its pid, host and action into ``<tenant>.lock.holder`` so that a second writer can say whom it waits for.
A second writer waits up to ``timeout_s`` (reporting progress), then fails with :class:`StoreBusy`.
Several machines share the lock when they share the data dir on a file system with working POSIX
locks (local disks, NFSv4); see the README's section on concurrency.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout

from ingest.errors import AdvisorError
from ingest.manifest import ChunkIds, Manifest, reconcile

log = logging.getLogger(__name__)

_PROGRESS_EVERY_S = 5.0


class StoreBusy(AdvisorError):
    """Another process holds the write lock of this client (or of the library) for too long."""


class Freshness(Protocol):
    """What a store must do so that this process's view matches the persisted generation."""

    def sync(self, tenant: str | None, generation: int, *, own: bool = False) -> None: ...


def _freshness(store: ChunkIds) -> Freshness | None:
    """The store's freshness hook, when it has one (a store only this process can see needs none)."""
    return store if hasattr(store, "sync") else None  # type: ignore[return-value]


class WriteLock:
    """The inter-process write lock of one tenant's store (``label`` names it in messages)."""

    def __init__(self, folder: Path, tenant: str, label: str, timeout_s: float) -> None:
        self.path = folder / f"{tenant}.lock"
        self.holder_path = folder / f"{tenant}.lock.holder"
        self.label = label
        self.timeout_s = timeout_s

    def holder(self) -> dict:
        """Who holds (or last held) the lock: pid, host, action, since. Empty when unknown."""
        try:
            return json.loads(self.holder_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def _describe(self, action: str) -> tuple[str, str]:
        """('ingest for client acme', 'pid 123'): what the holder does and for whom, and who it is."""
        h = self.holder()
        who = f"pid {h['pid']}" if h.get("pid") else "pid unknown"
        if h.get("host") and h["host"] != socket.gethostname():
            who += f" on {h['host']}"
        return f"{h.get('action') or action} for {self.label}", who

    @contextmanager
    def hold(
        self, action: str, progress: Callable[[str], None] | None = None, *, timeout_s: float | None = None
    ) -> Iterator[None]:
        """Hold the lock for ``action``; wait (reporting progress) up to the timeout, then raise StoreBusy."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.path), thread_local=False)
        timeout = self.timeout_s if timeout_s is None else timeout_s
        deadline = time.monotonic() + timeout
        told = 0.0
        while True:
            try:
                lock.acquire(timeout=max(0.0, min(0.5, deadline - time.monotonic())), poll_interval=0.05)
                break
            except Timeout:
                now = time.monotonic()
                if now >= deadline:
                    what, who = self._describe(action)
                    raise StoreBusy(
                        f"another {what} is running ({who}); try again when it has finished"
                    ) from None
                if now - told >= _PROGRESS_EVERY_S or not told:
                    told = now
                    what, who = self._describe(action)
                    message = f"waiting for another {what} ({who})..."
                    log.info("%s", message)
                    if progress:
                        progress(message)
        try:
            self._write_holder(action)
            yield
        finally:
            self.holder_path.unlink(missing_ok=True)
            lock.release()

    def try_hold(self, action: str) -> _Attempt:
        """The lock if it is free right now, else a falsy attempt (readers never wait)."""
        return _Attempt(self, action)

    def _write_holder(self, action: str) -> None:
        info = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "action": action,
            "since": datetime.now(UTC).replace(microsecond=0).isoformat(),
        }
        tmp = self.holder_path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, self.holder_path)


class _Attempt:
    """``with lock.try_hold(action) as held:`` — ``held`` is True when this process got the lock."""

    def __init__(self, lock: WriteLock, action: str) -> None:
        self._lock = lock
        self._action = action
        self._cm: AbstractContextManager[None] | None = None

    def __enter__(self) -> bool:
        cm = self._lock.hold(self._action, timeout_s=0.0)
        try:
            cm.__enter__()
        except StoreBusy:
            return False
        self._cm = cm
        return True

    def __exit__(self, *exc) -> None:
        if self._cm is not None:
            self._cm.__exit__(*exc)


@contextmanager
def writing(
    manifest: Manifest,
    store: ChunkIds,
    store_tenant: str | None,
    lock: WriteLock | None,
    action: str,
    progress: Callable[[str], None] | None = None,
) -> Iterator[Manifest]:
    """Hold ``lock``, reload ``manifest`` from disk, bring the store up to date and finish any interrupted
    change; yield the manifest to change. Afterwards the store learns that the new generation is its own.
    ``lock=None`` is for a store that only this process can see (tests)."""
    with lock.hold(action, progress) if lock is not None else nullcontext():
        manifest.reload()
        fresh = _freshness(store)
        if fresh:
            fresh.sync(store_tenant, manifest.generation)
        if manifest.needs_recovery():
            reconcile(manifest, store, store_tenant)
        yield manifest
        if fresh:
            fresh.sync(store_tenant, manifest.generation, own=True)


def recover_if_needed(manifest: Manifest, store: ChunkIds, store_tenant: str | None, lock: WriteLock) -> bool:
    """Recovery on open: a journal whose writer is gone (the lock is free) is reconciled now.

    Returns True when a recovery ran. A journal whose writer is alive is left to it; readers go on
    reading only what the manifest lists.
    """
    if not manifest.journal_path.exists():
        return False
    with lock.try_hold("recovery") as held:
        if not held:
            return False
        manifest.reload()
        if not manifest.needs_recovery():
            return False
        fresh = _freshness(store)
        if fresh:
            fresh.sync(store_tenant, manifest.generation)
        reconcile(manifest, store, store_tenant)
        if fresh:
            fresh.sync(store_tenant, manifest.generation, own=True)
        return True
