"""sender authentication: the SPF, DKIM and DMARC results kept on each inbound email

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 00:30:00.000000

Issue 11: an email's From is believed only when the checks say so; what they said is kept
with the message for staff and auditors.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("messages_in") as batch:
        batch.add_column(sa.Column("sender_auth", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("messages_in") as batch:
        batch.drop_column("sender_auth")
