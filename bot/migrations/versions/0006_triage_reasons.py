"""triage reasons replace matched keywords

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 03:20:00.000000

Cases kept the keywords that classified them as strings ("critical:fire"); triage now keeps
its reasons as records (kind, rule, level, the customer's words, a note). Old strings are
turned into records so every case shows why it was graded.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SEVERITIES = {"high", "critical"}


def _record(old: object) -> dict[str, str]:
    prefix, _, word = str(old).partition(":")
    kind = "severity" if prefix in _SEVERITIES else "category"
    return {"kind": kind, "rule": "keyword", "level": prefix, "words": word.rstrip("*")}


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("matched", new_column_name="triage")
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("triage", sa.JSON))
    connection = op.get_bind()
    for case_id, reasons in connection.execute(sa.select(cases.c.id, cases.c.triage)).all():
        if reasons and any(isinstance(item, str) for item in reasons):
            converted = [_record(item) if isinstance(item, str) else item for item in reasons]
            connection.execute(cases.update().where(cases.c.id == case_id).values(triage=converted))


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.alter_column("triage", new_column_name="matched")
