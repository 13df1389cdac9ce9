"""Applying a change of grade to a stored case: its columns, its grading record, its timers."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Case, Timer
from workflows.effects import Regrade
from workflows.triage import STAFF_GRADE, Reason


def regrade(case: Case, effect: Regrade) -> dict[str, object]:
    """Give the case its new grade, queue and target; return the audit event's data."""
    data: dict[str, object] = {
        "from_severity": case.severity,
        "severity": effect.severity,
        "from_category": case.category,
        "category": effect.category,
        "from_queue": case.queue,
        "queue": effect.queue,
        "from_due_at": case.due_at.isoformat() if case.due_at else None,
        "due_at": effect.due_at.isoformat() if effect.due_at else None,
    }
    if effect.note:
        data["reason"] = effect.note
    reasons = [reason.to_data() for reason in effect.reasons]
    if effect.decided_by is not None:
        # A person's grade is the case's grade from now on: say so first, with their reason.
        decision = Reason(
            STAFF_GRADE,
            effect.decided_by,
            f"{effect.severity} / {effect.category}",
            effect.note or "",
        )
        reasons.insert(0, decision.to_data())
    if effect.reasons:
        data["reasons"] = reasons
    # The case keeps every reason it was graded by, first and later ones alike.
    case.triage = [*case.triage, *reasons]
    case.severity = effect.severity
    case.category = effect.category
    case.queue = effect.queue
    case.due_at = effect.due_at
    return data


async def cancel_timers(session: AsyncSession, case: Case, kinds: tuple[str, ...]) -> None:
    """Cancel the case's timers of these kinds that have not fired yet."""
    await session.execute(
        update(Timer)
        .where(Timer.case_id == case.id, Timer.status == "pending", Timer.kind.in_(kinds))
        .values(status="cancelled")
    )
