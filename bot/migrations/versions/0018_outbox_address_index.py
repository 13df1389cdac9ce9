"""outbox address index: the replies an address got in the last hour, without a full scan

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 12:50:00.000000

Before every automatic email reply the intake counts that address's automatic replies in the
last hour (the mail-loop guard), and asks whether a template already went to it. Without an
index on the address each was a scan of the whole outbox, growing with every message sent.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_outbox_address", "outbox", ["channel", "address", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_address", table_name="outbox")
