"""aftercare: the response's remedy, the customer's decision, resolution time, satisfaction

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 17:00:00.000000

Staff respond with a remedy (refund, replacement, repair, explanation, apology, other, with an
amount where one applies); the customer accepts or rejects it, or does not answer; a resolved
case remembers when it was resolved (it closes after a quiet period, and reopens within a
window) and whether the satisfaction question was asked and the score given.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MOMENT = bot.storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("remedy", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("remedy_amount", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("customer_decision", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("resolved_at", _MOMENT, nullable=True))
        batch_op.add_column(sa.Column("satisfaction_asked_at", _MOMENT, nullable=True))
        batch_op.add_column(sa.Column("satisfaction", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for name in (
            "satisfaction",
            "satisfaction_asked_at",
            "resolved_at",
            "customer_decision",
            "remedy_amount",
            "remedy",
        ):
            batch_op.drop_column(name)
