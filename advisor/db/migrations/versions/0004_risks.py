"""The risk register: likelihood x impact (inherent and residual), treatment, owner, review date, links.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ISO = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "risks",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(63), nullable=False),
        sa.Column("ref", sa.String(80), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("likelihood", sa.Integer),
        sa.Column("impact", sa.Integer),
        sa.Column("residual_likelihood", sa.Integer),
        sa.Column("residual_impact", sa.Integer),
        sa.Column("treatment", sa.String(16), nullable=False),
        sa.Column("treatment_plan", sa.Text, nullable=False),
        sa.Column("owner", sa.Text, nullable=False),
        sa.Column("review_date", sa.String(10)),
        sa.Column("review", sa.String(16), nullable=False),
        sa.Column("findings", sa.JSON, nullable=False),
        sa.Column("clauses", sa.JSON, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("page", sa.Integer),
        sa.Column("quote", sa.Text, nullable=False),
        sa.Column("history", sa.JSON, nullable=False),
        sa.Column("created_at", ISO, nullable=False),
        sa.Column("updated_at", ISO, nullable=False),
        sa.CheckConstraint("review IN ('proposed', 'confirmed', 'rejected')", name="risks_review_valid"),
        sa.CheckConstraint(
            "treatment IN ('', 'mitigate', 'accept', 'transfer', 'avoid')", name="risks_treatment_valid"
        ),
    )
    op.create_index("risks_client_ref", "risks", ["client", "ref"])


def downgrade() -> None:
    op.drop_index("risks_client_ref", "risks")
    op.drop_table("risks")
