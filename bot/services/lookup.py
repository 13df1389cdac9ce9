"""Finding the case a member of staff means, for the commands that only read it.

Apart from ``bot.services.staff`` so that listing and showing cases does not import what
acting on them needs (the workflow's staff rules, triage, notices).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Case
from workflows.references import ReferenceCheck, parse_reference


class CaseNotFound(LookupError):
    """No case has that reference; ``mistyped`` when its check character is wrong."""

    def __init__(self, reference: str, *, mistyped: bool) -> None:
        super().__init__(reference)
        self.reference = reference
        self.mistyped = mistyped


async def find_case(session: AsyncSession, typed: str, prefix: str, *, lock: bool = False) -> Case:
    """The case a member of staff means, however they typed the reference."""
    parsed = parse_reference(typed, prefix)
    if parsed.check is not ReferenceCheck.VALID:
        raise CaseNotFound(typed, mistyped=True)
    query = select(Case).where(Case.reference == parsed.canonical)
    case = await session.scalar(query.with_for_update() if lock else query)
    if case is None:
        raise CaseNotFound(str(parsed.canonical), mistyped=False)
    return case
