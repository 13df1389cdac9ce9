"""fair clock: the response clock stops while a case waits for the customer; idle intakes

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 17:20:00.000000

``paused_at`` is when the case started waiting for the customer (their reply, or their
decision on a response); ``paused_seconds`` is the time waited in all, by which the response
target has moved on. ``conversations.wake_at`` is when an intake left unanswered is next
looked at (reminded once, then registered as incomplete or set aside). ``last_told_at`` is
when the customer was last sent anything about the case: progress updates count from it.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("wake_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.create_index(batch_op.f("ix_conversations_wake_at"), ["wake_at"], unique=False)
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("paused_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("paused_seconds", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("last_told_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("last_told_at")
        batch_op.drop_column("paused_seconds")
        batch_op.drop_column("paused_at")
    with op.batch_alter_table("conversations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_conversations_wake_at"))
        batch_op.drop_column("wake_at")
