"""review indexes: cases by resolution time, events by kind and time

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 11:40:00.000000

Issue 13: the management review counts cases resolved in a period and the root causes and
reopenings recorded in it; at a million cases each was a full scan.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.create_index("ix_cases_resolved", ["resolved_at"], unique=False)
    with op.batch_alter_table("case_events") as batch:
        batch.create_index("ix_case_events_kind_created", ["kind", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.drop_index("ix_case_events_kind_created")
    with op.batch_alter_table("cases") as batch:
        batch.drop_index("ix_cases_resolved")
