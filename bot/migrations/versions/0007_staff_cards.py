"""staff cards: notice kinds, rich blocks and each case's card on a staff destination

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 06:20:00.000000

The Slack staff console shows each case as one card, updated in place, with the case's
notices in its thread. Outbound staff rows say which kind of notice they are and may carry a
rich layout; ``staff_posts`` remembers where each case's card is.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notice", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("blocks", sa.JSON(), server_default="[]", nullable=False))
    op.create_table(
        "staff_posts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("case_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("provider_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_staff_posts_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_posts")),
        sa.UniqueConstraint("case_id", "channel", "address", name=op.f("uq_staff_posts_case_id")),
    )
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_posts_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_staff_posts_provider_id"), ["provider_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_posts_provider_id"))
        batch_op.drop_index(batch_op.f("ix_staff_posts_case_id"))
    op.drop_table("staff_posts")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("blocks")
        batch_op.drop_column("notice")
