"""Database fixtures for the store suites: each test that takes ``database`` runs twice, on SQLite and on
PostgreSQL (a throw-away server started once per test session with Debian's binaries; one database
migrated once, emptied before each test). Without PostgreSQL installed the PostgreSQL runs FAIL with the
install hint; they never skip.

Registered for every test module by ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from advisor.db import Base, Database
from scripts.postgres import PostgresUnavailable, ThrowawayPostgres

DIALECTS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server():
    try:
        server = ThrowawayPostgres().start()
    except PostgresUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_database(postgres_server) -> str:
    """One migrated PostgreSQL database for the session (creating one costs about a second)."""
    url = postgres_server.create_database("contract")
    Database(url).dispose()
    return url


def empty(url: str) -> None:
    """Delete every row (TRUNCATE fires no row triggers, so approved draft versions go too)."""
    db = Database(url)
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.dispose()


@pytest.fixture(params=DIALECTS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'vciso.db'}"
    url = request.getfixturevalue("postgres_database")
    empty(url)
    return url


@pytest.fixture
def database(database_url: str):
    db = Database(database_url)
    yield db
    db.dispose()
