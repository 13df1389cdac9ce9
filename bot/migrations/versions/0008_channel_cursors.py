"""channel cursors: where a polled channel has read up to, and who may poll it

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 08:30:00.000000

Telegram allows one ``getUpdates`` consumer per bot. ``channel_cursors`` keeps the offset a
poller has committed (so a restart neither loses nor repeats updates) and a lease, so that of
several ``serve`` processes exactly one polls. Identities remember the language their channel
reported (Telegram's ``language_code``).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "channel_cursors",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=True),
        sa.Column("lease_until", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("updated_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_channel_cursors")),
    )
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("identities", schema=None) as batch_op:
        batch_op.drop_column("language")
    op.drop_table("channel_cursors")
