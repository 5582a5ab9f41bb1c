"""Alembic environment: runs on the connection that :meth:`advisor.db.engine.Database.migrate` passes in
(``config.attributes["connection"]``), so no alembic.ini and no URL in a file are needed."""

from __future__ import annotations

from alembic import context

from advisor.db.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable by running the alembic CLI by hand
    raise RuntimeError("run migrations through advisor.db (Database(url).migrate()), not the alembic command")

context.configure(
    connection=connection, target_metadata=Base.metadata, render_as_batch=True, compare_type=True
)
with context.begin_transaction():
    context.run_migrations()
