"""Timers after staff respond: the customer's reminder, "no reply", and closing."""

from __future__ import annotations

from datetime import datetime

from workflows.aftercare import on_resolved
from workflows.aftercare_settings import CustomerDecision
from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.effects import (
    ChangeStatus,
    Decision,
    Effect,
    MarkCase,
    NotifyStaff,
    RecordEvent,
    Reply,
    ScheduleTimer,
)
from workflows.lifecycle import CaseStatus
from workflows.responses import DECISION_CHOICES
from workflows.timer_kinds import AUTO_CLOSE, DECISION_LAPSE, DECISION_REMINDER


def decide_aftercare_timer(case: CaseView, kind: str, now: datetime, rules: Rules) -> Decision:
    """A reminder, a lapse or a close timer fired: act only if the case still waits for it."""
    effects: list[Effect] = []
    waiting = case.status is CaseStatus.RESPONSE_PROPOSED
    if kind == DECISION_REMINDER and waiting:
        effects = [
            RecordEvent(case.reference, "decision_reminder", {}),
            Reply("customer/response_reminder", {"reference": case.reference}, DECISION_CHOICES),
            ScheduleTimer(case.reference, DECISION_LAPSE, now + rules.aftercare.decision_lapse),
        ]
    elif kind == DECISION_LAPSE and waiting:
        facts = {"reference": case.reference, "decision": CustomerDecision.NO_REPLY.value}
        effects = [
            MarkCase(case.reference, {"customer_decision": CustomerDecision.NO_REPLY.value}),
            RecordEvent(case.reference, "customer_decision", {"decision": "no_reply"}),
            ChangeStatus(case.reference, CaseStatus.RESOLVED, note="no reply from the customer"),
            NotifyStaff(case.queue, "staff/customer_decision", facts, case.reference),
            Reply("customer/response_lapsed", {"reference": case.reference}),
            # Someone who did not answer twice is not asked a third question.
            *on_resolved(case, now, rules, ask=False),
        ]
    elif kind == AUTO_CLOSE and case.status is CaseStatus.RESOLVED:
        quiet = (
            case.resolved_at is not None and now - case.resolved_at >= rules.aftercare.close_after
        )
        if quiet:
            effects = [
                ChangeStatus(case.reference, CaseStatus.CLOSED, note="closed after a quiet period")
            ]
    return Decision(tuple(effects))
