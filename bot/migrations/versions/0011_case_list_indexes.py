"""case list indexes: newest first, overall and by status or queue

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 20:40:00.000000

``cases list`` orders by ``opened_at`` (newest first) and may filter by status or queue;
without an index that is a full scan and sort (1.9 s at a million cases).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_cases_opened", "cases", ["opened_at"])
    op.create_index("ix_cases_status_opened", "cases", ["status", "opened_at"])
    op.create_index("ix_cases_queue_opened", "cases", ["queue", "opened_at"])


def downgrade() -> None:
    op.drop_index("ix_cases_queue_opened", table_name="cases")
    op.drop_index("ix_cases_status_opened", table_name="cases")
    op.drop_index("ix_cases_opened", table_name="cases")
