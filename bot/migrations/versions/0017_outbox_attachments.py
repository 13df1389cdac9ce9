"""outbox attachments: files a staff message carries (the weekly review's page and charts)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 13:50:00.000000

Issue 13: the weekly review goes to Slack with its charts as images and the full page as a
file. Each entry names a file under the data folder (path, filename, content type, title);
the dispatcher reads it when it sends, so the outbox row stays small.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("attachments", sa.JSON(), server_default="[]", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("attachments")
