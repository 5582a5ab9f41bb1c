"""SQLite access shared by the audit log, the user store and the draft store: one short-lived connection
per call (threads may share a store), committed on success, and errors raised as the store's own type."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from advisor.errors import AdvisorError


@contextmanager
def connect(path: Path, error: type[AdvisorError], what: str, *, foreign_keys: bool = False) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` (rows as sqlite3.Row); ``what`` names the store in error messages."""
    try:
        conn = sqlite3.connect(path, timeout=10.0)
    except sqlite3.Error as exc:
        raise error(f"cannot open the {what} at {path}: {exc}") from exc
    conn.row_factory = sqlite3.Row
    try:
        if foreign_keys:
            conn.execute("PRAGMA foreign_keys = ON")
        with conn:  # commits on success, rolls back on error
            yield conn
    except sqlite3.Error as exc:
        raise error(f"{what} error at {path}: {exc}") from exc
    finally:
        conn.close()


def create(path: Path, schema: str, error: type[AdvisorError], what: str, *, wal: bool = True) -> None:
    """Make the folder and the tables (idempotent: the schema uses IF NOT EXISTS)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with connect(path, error, what) as conn:
        if wal:
            conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(schema)
