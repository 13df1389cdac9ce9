"""Timers: response-time (SLA) warnings and breaches, decided when they fire."""

from __future__ import annotations

from datetime import datetime

from workflows.cases import CaseView
from workflows.effects import Decision, NotifyStaff, RecordEvent
from workflows.lifecycle import is_open

SLA_WARNING = "sla_warning"
SLA_BREACH = "sla_breach"
TIMER_KINDS = frozenset({SLA_WARNING, SLA_BREACH})


def decide_timer(case: CaseView, kind: str, now: datetime) -> Decision:
    """A timer fired for a case: remind or alert staff if the case still needs them."""
    if kind not in TIMER_KINDS:
        raise ValueError(f"unknown timer kind {kind!r}")
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
