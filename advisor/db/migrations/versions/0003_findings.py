"""The findings register: findings proposed from a client's reports, reviewed by people, with their history.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ISO = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(63), nullable=False),
        sa.Column("ref", sa.String(80), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("due", sa.String(10)),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("review", sa.String(16), nullable=False),
        sa.Column("framework_refs", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("replaces", sa.Integer),
        sa.Column("created_at", ISO, nullable=False),
        sa.Column("updated_at", ISO, nullable=False),
        sa.CheckConstraint(
            "review IN ('proposed', 'confirmed', 'rejected', 'merged')", name="findings_review_valid"
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'closed', 'risk_accepted')", name="findings_status_valid"
        ),
    )
    op.create_index("findings_client_ref", "findings", ["client", "ref"])
    op.create_table(
        "finding_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("finding_id", sa.Integer, sa.ForeignKey("findings.id", ondelete="CASCADE"), nullable=False),
        sa.Column("ts", ISO, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("changes", sa.JSON, nullable=False),
    )
    op.create_index("finding_events_finding", "finding_events", ["finding_id", "id"])


def downgrade() -> None:
    op.drop_index("finding_events_finding", "finding_events")
    op.drop_table("finding_events")
    op.drop_index("findings_client_ref", "findings")
    op.drop_table("findings")
