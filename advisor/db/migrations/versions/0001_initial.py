"""The first schema: audit log, users and their clients, drafts and versions, jobs and their files, and the
record of imported pre-database SQLite files. Approved draft versions are immutable (a trigger).

Revision ID: 0001
Revises:
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

ISO = sa.String(40)

SQLITE_TRIGGERS = (
    """CREATE TRIGGER approved_versions_are_immutable BEFORE UPDATE ON draft_versions
       WHEN OLD.status = 'approved'
       BEGIN SELECT RAISE(ABORT, 'approved versions are immutable'); END""",
    """CREATE TRIGGER approved_versions_are_kept BEFORE DELETE ON draft_versions
       WHEN OLD.status = 'approved'
       BEGIN SELECT RAISE(ABORT, 'approved versions are immutable'); END""",
    """CREATE TRIGGER version_text_is_immutable BEFORE UPDATE OF text, citations ON draft_versions
       BEGIN SELECT RAISE(ABORT, 'a version''s text never changes; edit creates a new version'); END""",
)
POSTGRES_TRIGGERS = (
    """CREATE FUNCTION draft_versions_guard() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF OLD.status = 'approved' THEN
           RAISE EXCEPTION 'approved versions are immutable';
         END IF;
         IF TG_OP = 'DELETE' THEN
           RETURN OLD;
         END IF;
         IF NEW.text IS DISTINCT FROM OLD.text OR NEW.citations::text IS DISTINCT FROM OLD.citations::text THEN
           RAISE EXCEPTION 'a version''s text never changes; edit creates a new version';
         END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER draft_versions_guard BEFORE UPDATE OR DELETE ON draft_versions
       FOR EACH ROW EXECUTE FUNCTION draft_versions_guard()""",
)


def upgrade() -> None:
    op.create_table(
        "audit_records",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ts", ISO, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("client", sa.String(63)),
        sa.Column("audience", sa.String(32), nullable=False),
        sa.Column("engine", sa.String(200), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("answer", sa.Text, nullable=False),
        sa.Column("abstained", sa.Boolean, nullable=False),
        sa.Column("citations", sa.JSON, nullable=False),
        sa.Column("latency_ms", sa.Float, nullable=False),
        sa.Column("feedback", sa.String(8)),
        sa.Column("feedback_comment", sa.Text, nullable=False),
        sa.CheckConstraint("feedback IN ('up', 'down')", name="audit_feedback_valid"),
    )
    op.create_index("audit_records_client_ts", "audit_records", ["client", "ts"])
    op.create_index("audit_records_user_ts", "audit_records", ["username", "ts"])
    op.create_index("audit_records_ts", "audit_records", ["ts"])

    op.create_table(
        "users",
        sa.Column("username", sa.String(64), primary_key=True),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", ISO, nullable=False),
        sa.Column("disabled", sa.Boolean, nullable=False),
        sa.CheckConstraint("role IN ('admin', 'consultant', 'executive')", name="users_role_valid"),
    )
    op.create_table(
        "user_clients",
        sa.Column(
            "username", sa.String(64), sa.ForeignKey("users.username", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("client", sa.String(63), primary_key=True),
    )

    op.create_table(
        "drafts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(63), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", ISO, nullable=False),
    )
    op.create_index("ix_drafts_client", "drafts", ["client"])
    op.create_table(
        "draft_versions",
        sa.Column("draft_id", sa.Integer, sa.ForeignKey("drafts.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("citations", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("author", sa.String(64), nullable=False),
        sa.Column("reviewer", sa.String(64)),
        sa.Column("comment", sa.Text),
        sa.Column("ts", ISO, nullable=False),
        sa.Column("submitted_at", ISO),
        sa.Column("reviewed_at", ISO),
        sa.CheckConstraint(
            "status IN ('draft', 'in_review', 'approved', 'rejected')", name="draft_versions_status_valid"
        ),
    )

    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("client", sa.String(63)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", ISO, nullable=False),
        sa.Column("started_at", ISO),
        sa.Column("finished_at", ISO),
        sa.Column("heartbeat_at", ISO),
        sa.Column("worker", sa.String(200)),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("params", sa.JSON, nullable=False),
        sa.Column("result", sa.JSON),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'succeeded', 'failed')", name="jobs_status_valid"
        ),
    )
    op.create_index("jobs_status_created", "jobs", ["status", "id"])
    op.create_index("jobs_client_created", "jobs", ["client", "id"])
    op.create_table(
        "job_files",
        sa.Column("job_id", sa.Integer, sa.ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("chunks", sa.Integer, nullable=False),
        sa.CheckConstraint(
            "status IN ('waiting', 'running', 'added', 'updated', 'unchanged', 'failed')",
            name="job_files_status_valid",
        ),
    )

    op.create_table(
        "legacy_imports",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("imported_at", ISO, nullable=False),
    )

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}.get(dialect, ()):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS draft_versions_guard ON draft_versions")
        op.execute("DROP FUNCTION IF EXISTS draft_versions_guard()")
    for table in (
        "legacy_imports",
        "job_files",
        "jobs",
        "draft_versions",
        "drafts",
        "user_clients",
        "users",
        "audit_records",
    ):
        op.drop_table(table)
