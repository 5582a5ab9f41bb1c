"""A process's connection to Chroma, kept as fresh as the persisted generations say.

Embedded Chroma keeps each collection's vector index in the memory of every process that opened it;
a change written by another process reaches the SQLite tables at once but not that in-memory index,
so a long-running process would search deleted chunks and miss new ones (and a writer holding a stale
index would write it back). :meth:`Connection.sync` compares the generation a tenant's manifest holds
with the one this process last saw and, when another process changed it, reopens the client — which
reloads every index from disk — while no thread is using it. A Chroma server holds the only copy of
its indexes, so a server connection never needs reopening.

Every ``ChunkStore`` on the same embedded path in one process shares one connection.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)


class _Gate:
    """Many threads use the client at once, or one thread reopens it alone (a waiting reopen goes first).

    Uses must not nest in one thread: each store method enters the gate once.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._users = 0
        self._reopening = False

    @contextmanager
    def use(self) -> Iterator[None]:
        with self._cond:
            while self._reopening:
                self._cond.wait()
            self._users += 1
        try:
            yield
        finally:
            with self._cond:
                self._users -= 1
                if not self._users:
                    self._cond.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        with self._cond:
            while self._reopening:
                self._cond.wait()
            self._reopening = True
            while self._users:
                self._cond.wait()
        try:
            yield
        finally:
            with self._cond:
                self._reopening = False
                self._cond.notify_all()


class Connection:
    """One Chroma client and the generation of each collection as this process last saw it."""

    def __init__(self, connect: Callable[[], Any], *, reopenable: bool) -> None:
        self._connect = connect
        self.client = connect()
        self.reopenable = reopenable
        self.reopened = 0
        self._gate = _Gate()
        self._seen: dict[str, int] = {}
        self._lock = threading.Lock()

    @contextmanager
    def use(self) -> Iterator[Any]:
        """The client, safe from being reopened while the block runs."""
        with self._gate.use():
            yield self.client

    def sync(self, name: str, generation: int, *, own: bool = False) -> None:
        """Make this process's view of collection ``name`` match ``generation``.

        ``own=True`` records a generation this process wrote itself (its view is already current). A
        collection seen for the first time is current (its index loads on first use).
        """
        with self._lock:
            seen = self._seen.get(name)
            if own or seen is None or seen == generation or not self.reopenable:
                self._seen[name] = generation
                return
        with self._gate.alone():
            with self._lock:
                if self._seen.get(name) == generation:  # another thread reopened meanwhile
                    return
            log.info(
                "%s changed in another process (generation %s -> %s): reopening the vector store",
                name,
                seen,
                generation,
            )
            try:
                self.client.close()
            except Exception:  # a client that cannot close cleanly is dropped anyway
                log.debug("closing the old Chroma client failed", exc_info=True)
            self.client = self._connect()
            self.reopened += 1
            with self._lock:
                self._seen = {name: generation}


_embedded: dict[str, Connection] = {}
_embedded_lock = threading.Lock()


def embedded_connection(path: str, connect: Callable[[], Any]) -> Connection:
    """The one connection of this process to the embedded store at ``path``."""
    with _embedded_lock:
        conn = _embedded.get(path)
        if conn is None:
            conn = _embedded[path] = Connection(connect, reopenable=True)
        return conn
