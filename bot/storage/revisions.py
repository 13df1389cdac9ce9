"""The newest schema revision the code knows, read from the migration files alone.

Apart from ``bot.storage.migrate`` so that a command checking the schema imports neither
Alembic nor SQLAlchemy (see ``bot.staff_reads``).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
_DOWN = re.compile(r'^down_revision: str \| None = "([^"]+)"', re.MULTILINE)


@functools.cache
def head_revision() -> str:
    """The newest revision the code knows: the one no other revision builds on."""
    revisions: set[str] = set()
    builds_on: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if (revision := _REVISION.search(source)) is not None:
            revisions.add(revision[1])
        if (down := _DOWN.search(source)) is not None:
            builds_on.add(down[1])
    heads = revisions - builds_on
    if len(heads) != 1:
        raise RuntimeError(f"expected one newest migration, found {sorted(heads) or 'none'}")
    return heads.pop()
