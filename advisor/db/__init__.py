"""The state database: audit log, users, drafts and reviews, jobs — and whatever stateful work comes next.

One relational database through SQLAlchemy 2, its schema versioned by Alembic migrations that run when
the database is opened (no alembic.ini, no manual step):

- embedded default: SQLite at ``$VCISO_DATA_DIR/vciso.db`` (WAL, busy timeout, ``BEGIN IMMEDIATE`` writes);
- scale-out: PostgreSQL through ``VCISO_DATABASE_URL=postgresql+psycopg://user:password@host:5432/vciso``.

Open it with :func:`open_database` (one engine per URL and process). Pre-database data dirs (the three
files ``audit.sqlite3``, ``users.sqlite3``, ``drafts.sqlite3``) are copied in on first open and renamed
``*.migrated`` (:mod:`advisor.db.legacy`).

Repositories (``AuditLog``, ``UserStore``, ``DraftStore``, ``JobQueue``) take a :class:`Database` and use
``db.session()`` for reads and ``db.session(write=True, error=TheirError, what="their store")`` for
changes; ``tests/test_database.py`` and the store suites run on SQLite and on PostgreSQL.

How to add a table (e.g. findings, API tokens, sign-in throttling):

1. Add a model to :mod:`advisor.db.models` (``Mapped[...]`` columns; ISO text timestamps via
   ``utc_iso()``; named CHECK constraints; JSON for structured values).
2. Add a migration ``advisor/db/migrations/versions/NNNN_what.py`` whose ``down_revision`` is the current
   head (``python -c "from advisor.db.engine import head_revision; print(head_revision())"``). Write
   ``op.create_table`` / ``op.add_column`` by hand (copy the shape of ``0001_initial.py``), or let Alembic
   draft it against a scratch database::

       python -c "from alembic import command; from advisor.db.engine import Database, alembic_config; \\
       db = Database('sqlite:////tmp/scratch.db'); c = db.engine.connect(); \\
       command.revision(alembic_config(c), 'add findings', autogenerate=True, rev_id='0002')"

   Never edit a migration that has shipped; add the next one. Triggers or functions that differ by
   dialect go in the migration with ``op.get_bind().dialect.name``.
3. Write the repository class next to the feature; take a ``Database`` and map rows to frozen
   dataclasses so callers never hold ORM objects.
4. ``tests/test_database.py::test_models_match_migrations`` fails until models and migrations agree; add
   the repository's tests with the ``database`` fixture (tests/databases.py) so they run on both dialects.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from advisor.db.engine import Database, DatabaseError, shared_database
from advisor.db.models import Base, utc_iso

log = logging.getLogger(__name__)

__all__ = ["Base", "Database", "DatabaseError", "as_database", "open_database", "utc_iso"]

_IMPORTED: set[tuple[str, str]] = set()
_IMPORT_LOCK = threading.Lock()


def open_database(settings) -> Database:
    """The state database named by ``settings`` (``settings.database``), with the data dir's pre-database
    SQLite files imported once."""
    from advisor.db.legacy import import_legacy

    db = shared_database(settings.database)
    key = (settings.database, str(Path(settings.data_dir).resolve()))
    with _IMPORT_LOCK:
        if key not in _IMPORTED:
            import_legacy(db, Path(settings.data_dir))
            _IMPORTED.add(key)
    return db


def as_database(value: Database | str | os.PathLike) -> Database:
    """A :class:`Database` from a Database, a URL (``scheme://...``) or the path of a SQLite file."""
    if isinstance(value, Database):
        return value
    text = os.fspath(value)
    if "://" in text:
        return shared_database(text)
    return shared_database(f"sqlite:///{Path(text).resolve()}")
