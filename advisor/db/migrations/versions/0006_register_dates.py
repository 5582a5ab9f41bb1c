"""Dated status changes from documents and vendor reviews people record.

``finding_events`` gain ``dated`` (the date a document states for the change, e.g. the report date of the
report that lists a finding as closed; NULL for a change a person made, dated by ``ts``) and ``citation``
(the document passage: source, page, quote). ``vendor_reviews`` holds reviews a consultant records for a
vendor without a document (date, reviewer, note, outcome).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ISO = sa.String(40)


def upgrade() -> None:
    with op.batch_alter_table("finding_events") as batch:
        batch.add_column(sa.Column("dated", sa.String(10)))
        batch.add_column(sa.Column("citation", sa.JSON))
    op.create_table(
        "vendor_reviews",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("client", sa.String(63), nullable=False),
        sa.Column("vendor", sa.Text, nullable=False),
        sa.Column("review_date", sa.String(10), nullable=False),
        sa.Column("reviewer", sa.String(64), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("created_at", ISO, nullable=False),
        sa.CheckConstraint(
            "outcome IN ('approved', 'conditional', 'rejected', 'noted')", name="vendor_reviews_outcome_valid"
        ),
    )
    op.create_index("vendor_reviews_client_vendor", "vendor_reviews", ["client", "vendor"])


def downgrade() -> None:
    op.drop_index("vendor_reviews_client_vendor", "vendor_reviews")
    op.drop_table("vendor_reviews")
    with op.batch_alter_table("finding_events") as batch:
        batch.drop_column("citation")
        batch.drop_column("dated")
