"""improvement actions: what will change about a recurring root cause, by whom, by when

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 11:20:00.000000

Issue 13: ISO 10002 8.7 (continual improvement). Staff record actions against a root cause;
the management report shows which are open or overdue and whether complaints with that root
cause fell after one was done.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "improvement_actions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("root_cause", sa.String(64), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", bot.storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_improvement_actions")),
    )
    with op.batch_alter_table("improvement_actions") as batch:
        batch.create_index(
            batch.f("ix_improvement_actions_root_cause"), ["root_cause"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("improvement_actions") as batch:
        batch.drop_index(batch.f("ix_improvement_actions_root_cause"))
    op.drop_table("improvement_actions")
