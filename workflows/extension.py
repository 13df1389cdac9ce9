"""Staff move a response target later, with a reason the customer is told (ISO 10002 7.7)."""

from __future__ import annotations

from datetime import datetime, timedelta

from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.effects import (
    CancelTimers,
    Decision,
    Effect,
    MarkCase,
    RecordEvent,
    Reply,
    ScheduleTimer,
    refusal,
)
from workflows.lifecycle import is_open
from workflows.timer_kinds import SLA_BREACH, SLA_WARNING

# Longer than this is not an extension but a different promise: re-grade, or respond.
LONGEST_EXTENSION = timedelta(days=60)


def extend(
    case: CaseView, by: timedelta | None, reason: str, now: datetime, rules: Rules
) -> Decision:
    """Move the target ``by`` calendar days later and tell the customer why.

    Where targets count working time, one that lands when the organisation is closed moves on
    to its next opening.
    """
    if by is None or not timedelta(0) < by <= LONGEST_EXTENSION:
        return refusal("staff/extension_invalid", longest=LONGEST_EXTENSION.days)
    if not reason:
        return refusal("staff/text_required", action="extend")
    if not is_open(case.status):
        return refusal("staff/extension_closed", reference=case.reference, status=case.status.value)
    start = max(case.due_at or now, now)
    due_at = rules.deadline(start + by, timedelta(0))
    warn_at = max(now, due_at - rules.targets[case.severity].warn_before)
    moved = {
        "from": case.due_at.isoformat() if case.due_at else None,
        "to": due_at.isoformat(),
        "reason": reason,
    }
    effects: list[Effect] = [
        MarkCase(case.reference, {"due_at": due_at}),
        RecordEvent(case.reference, "target_extended", moved),
        CancelTimers(case.reference, (SLA_WARNING, SLA_BREACH)),
    ]
    if case.paused_at is None:
        # While the clock is stopped the timers are set again when the customer answers.
        effects += [
            ScheduleTimer(case.reference, SLA_WARNING, warn_at),
            ScheduleTimer(case.reference, SLA_BREACH, due_at),
        ]
    context = {"reference": case.reference, "due_at": due_at, "reason": reason}
    return Decision((*effects, Reply("customer/target_extended", context)))
