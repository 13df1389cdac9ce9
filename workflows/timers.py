"""Timers: SLA warnings and breaches, the customer's reminder and closing, decided on firing."""

from __future__ import annotations

from datetime import UTC, datetime, tzinfo

from workflows.aftercare_timers import decide_aftercare_timer
from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.clock import fair
from workflows.effects import Decision, NotifyStaff, RecordEvent
from workflows.lifecycle import is_open
from workflows.progress import decide_progress
from workflows.timer_kinds import (
    AFTERCARE_KINDS,
    PROGRESS_UPDATE,
    SLA_BREACH,
    SLA_KINDS,
    SLA_WARNING,
)

__all__ = ["SLA_BREACH", "SLA_WARNING", "TIMER_KINDS", "decide_timer"]
TIMER_KINDS = SLA_KINDS | AFTERCARE_KINDS | {PROGRESS_UPDATE}


def decide_timer(
    case: CaseView, kind: str, now: datetime, rules: Rules, zone: tzinfo = UTC
) -> Decision:
    """A timer fired for a case: remind or alert staff if the case still needs them, or move
    it on (a reminder to the customer, resolved with no reply, closed after a quiet time)."""
    if kind not in TIMER_KINDS:
        raise ValueError(f"unknown timer kind {kind!r}")
    if kind == PROGRESS_UPDATE:
        return decide_progress(case, now, rules, zone)
    if kind in AFTERCARE_KINDS:
        return fair(case, decide_aftercare_timer(case, kind, now, rules), now, rules)
    if not is_open(case.status):
        return Decision(())
    facts = {
        "reference": case.reference,
        "status": case.status.value,
        "due_at": case.due_at,
        "assignee": case.assignee,
        "severity": case.severity,
    }
    return Decision(
        (
            RecordEvent(
                case.reference, kind, {"due_at": case.due_at.isoformat() if case.due_at else None}
            ),
            NotifyStaff(case.queue, f"staff/{kind}", facts, case.reference, escalate=True),
        )
    )
