"""audit chain: each case event sealed to the one before it, and anchors over all of them

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 11:00:00.000000

Issue 13: ISO 10002 8.5 asks that the record can be audited; a hash chain shows it has not
been altered. Events written before this have no seal until `serve` or `complaintbot audit
verify` seals them (the key lives outside the database, so a migration cannot).
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import bot.storage.types

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
LEGACY = "legacy"


def upgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("digest", sa.String(64), nullable=True))
        batch.add_column(sa.Column("chain", sa.String(64), nullable=True))
    op.create_table(
        "audit_anchors",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("up_to_event_id", sa.BigInteger(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("created_at", bot.storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_anchors")),
    )
    # The first anchor marks where the chain begins: events up to it were written before it
    # and are sealed, in order, once the application has the key (its digest says "legacy"
    # until then). Events after it that are not sealed were written around the application.
    connection = op.get_bind()
    events = sa.table("case_events", sa.column("id", sa.BigInteger()))
    last, count = connection.execute(
        sa.select(sa.func.coalesce(sa.func.max(events.c.id), 0), sa.func.count()).select_from(
            events
        )
    ).one()
    anchors = sa.table(
        "audit_anchors",
        sa.column("up_to_event_id", sa.BigInteger()),
        sa.column("events", sa.Integer()),
        sa.column("digest", sa.String()),
        sa.column("created_at", bot.storage.types.UTCDateTime(timezone=True)),
    )
    op.execute(
        anchors.insert().values(
            up_to_event_id=last, events=count, digest=LEGACY, created_at=datetime.now(UTC)
        )
    )


def downgrade() -> None:
    op.drop_table("audit_anchors")
    with op.batch_alter_table("case_events") as batch:
        batch.drop_column("chain")
        batch.drop_column("digest")
        batch.drop_column("seq")
