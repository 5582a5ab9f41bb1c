"""One engine per database URL and process, migrated to the newest schema when it opens.

SQLite (the embedded default) gets WAL, a busy timeout and foreign keys on every connection, and
write sessions start with ``BEGIN IMMEDIATE`` so two processes never deadlock upgrading a read lock
to a write lock. PostgreSQL needs nothing special; concurrent openers serialise their migration on an
advisory lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from advisor.errors import AdvisorError

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 15_000
_MIGRATION_LOCK = 0x76636973  # "vcis": the advisory lock id openers of one PostgreSQL database share


class DatabaseError(AdvisorError):
    """The state database cannot be opened, migrated, read or written."""


def safe_url(url: str) -> str:
    """The URL with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def reason(exc: BaseException) -> str:
    """A one-line reason from a driver error (the engine hides SQL parameters, so no user text leaks)."""
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def alembic_config(connection=None) -> Config:
    """An Alembic config built in code (no alembic.ini needed); ``connection`` is used when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration's revision id."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "advisor/db/migrations/versions holds no migration"
    return head


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # transactions are begun by the "begin" hook below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("vciso_write") else "BEGIN")


class Database:
    """The state database at ``url``. ``session()`` for reads, ``session(write=True)`` for changes.

    >>> db = Database("sqlite:///" + "/tmp/vciso-example.db")   # doctest: +SKIP
    >>> with db.session(write=True) as s: s.add(AuditRecordRow(...))   # doctest: +SKIP
    """

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        try:
            parsed = make_url(url)
        except ArgumentError as exc:
            raise DatabaseError(
                f"invalid database URL {safe_url(url)!r}: use e.g. sqlite:///path/vciso.db or "
                "postgresql+psycopg://user:password@host:5432/vciso"
            ) from exc
        self.dialect = parsed.get_backend_name()
        if self.dialect == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(
                url, hide_parameters=True, pool_pre_ping=self.dialect != "sqlite"
            )
        except (ArgumentError, ImportError, SQLAlchemyError) as exc:
            raise DatabaseError(f"cannot use database {safe_url(url)}: {reason(exc)}") from exc
        if self.dialect == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._reads = sessionmaker(self.engine, expire_on_commit=False)
        self._writes = sessionmaker(self.engine.execution_options(vciso_write=True), expire_on_commit=False)
        if migrate:
            self.migrate()

    def __repr__(self) -> str:
        return f"Database({safe_url(self.url)!r})"

    # -- schema ------------------------------------------------------------------------------
    def revision(self) -> str | None:
        """The schema revision the database is at (None before the first migration)."""
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def migrate(self) -> None:
        """Bring the schema to the newest revision (a no-op when it is there already)."""
        try:
            if self.revision() == head_revision():
                return
            with self.engine.execution_options(vciso_write=True).begin() as conn:
                if self.dialect == "postgresql":
                    conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
                command.upgrade(alembic_config(conn), "head")
        except SQLAlchemyError as exc:
            raise DatabaseError(
                f"cannot open or migrate the database {safe_url(self.url)}: {reason(exc)}"
            ) from exc
        log.info("database %s migrated to %s", safe_url(self.url), head_revision())

    # -- sessions ----------------------------------------------------------------------------
    @contextmanager
    def session(
        self, *, write: bool = False, error: type[AdvisorError] = DatabaseError, what: str = "database"
    ) -> Iterator[Session]:
        """A session committed on success and rolled back on error; driver errors are raised as ``error``
        ("<what> error: <reason>"), errors of the caller's own pass through unchanged."""
        factory = self._writes if write else self._reads
        try:
            with factory() as session, session.begin():
                yield session
        except SQLAlchemyError as exc:
            raise error(f"{what} error: {reason(exc)}") from exc

    def dispose(self) -> None:
        self.engine.dispose()


_OPEN: dict[str, Database] = {}
_OPEN_LOCK = threading.Lock()


def shared_database(url: str) -> Database:
    """The process-wide :class:`Database` for ``url`` (one engine and pool per process)."""
    with _OPEN_LOCK:
        db = _OPEN.get(url)
        if db is None:
            db = _OPEN[url] = Database(url)
        return db
