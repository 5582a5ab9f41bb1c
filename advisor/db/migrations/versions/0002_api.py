"""The HTTP API's state: tokens (hashed, revocable, expiring) and the log of its calls.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ISO = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(12), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", ISO, nullable=False),
        sa.Column("expires_at", ISO),
        sa.Column("revoked_at", ISO),
        sa.Column("last_used_at", ISO),
    )
    op.create_index("api_tokens_user", "api_tokens", ["username"])
    op.create_table(
        "api_calls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("ts", ISO, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("token_id", sa.String(12)),
        sa.Column("method", sa.String(8), nullable=False),
        sa.Column("route", sa.String(200), nullable=False),
        sa.Column("client", sa.String(63)),
        sa.Column("status", sa.Integer, nullable=False),
        sa.Column("duration_ms", sa.Float, nullable=False),
    )
    op.create_index("api_calls_ts", "api_calls", ["ts"])
    op.create_index("api_calls_user_ts", "api_calls", ["username", "ts"])


def downgrade() -> None:
    op.drop_index("api_calls_user_ts", "api_calls")
    op.drop_index("api_calls_ts", "api_calls")
    op.drop_table("api_calls")
    op.drop_index("api_tokens_user", "api_tokens")
    op.drop_table("api_tokens")
