"""Sign-in and security events: server-side throttling, the security event log, forced password change and
OIDC binding (issuer + subject) on users.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ISO = sa.String(40)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("must_change_password", sa.Boolean, nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("oidc_issuer", sa.String(300)))
        batch.add_column(sa.Column("oidc_subject", sa.String(255)))
    op.create_table(
        "security_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ts", ISO, nullable=False),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("username", sa.String(300), nullable=False),
        sa.Column("source", sa.String(100), nullable=False),
        sa.Column("client", sa.String(63)),
        sa.Column("object", sa.Text, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    op.create_index("security_events_ts", "security_events", ["ts"])
    op.create_index("security_events_event_ts", "security_events", ["event", "ts"])
    op.create_index("security_events_client_ts", "security_events", ["client", "ts"])
    op.create_table(
        "sign_in_throttle",
        sa.Column("key", sa.String(400), primary_key=True),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("window_start", ISO, nullable=False),
        sa.Column("lockouts", sa.Integer, nullable=False),
        sa.Column("locked_until", ISO),
    )


def downgrade() -> None:
    op.drop_table("sign_in_throttle")
    op.drop_index("security_events_client_ts", "security_events")
    op.drop_index("security_events_event_ts", "security_events")
    op.drop_index("security_events_ts", "security_events")
    op.drop_table("security_events")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("oidc_subject")
        batch.drop_column("oidc_issuer")
        batch.drop_column("must_change_password")
