"""outbox token: a secret per outbound message, so its email Message-ID cannot be guessed

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 04:30:00.000000

Issue 11: a delivery report naming one of our Message-IDs marks that message failed; the ids
were derived from things an outsider could guess (the row number, the address, the text of a
template). Rows written before this keep their old ids (no token).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("token", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("token")
