"""What staff do to a case (reply, status, assign, note) and what follows for the customer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from workflows.aftercare import on_resolved
from workflows.cases import CaseView
from workflows.classification import SEVERITIES, Rules
from workflows.clock import fair
from workflows.effects import (
    Assign,
    ChangeStatus,
    Decision,
    Effect,
    NotifyStaff,
    RecordEvent,
    Regrade,
    Reply,
    refusal,
)
from workflows.extension import extend
from workflows.grading import change_grade
from workflows.lifecycle import (
    CUSTOMER_ANNOUNCED,
    CaseStatus,
    allowed_targets,
    can_transition,
    is_open,
)
from workflows.responses import respond

MAX_STAFF_TEXT = 10_000


class StaffActionKind(StrEnum):
    """The things a member of staff can do to a case."""

    REPLY = "reply"
    STATUS = "status"
    ASSIGN = "assign"
    NOTE = "note"
    GRADE = "grade"
    # The response to the complaint, with the remedy offered: the customer accepts or rejects.
    RESPOND = "respond"
    # Move the response target later, with a reason the customer is told.
    EXTEND = "extend"


@dataclass(frozen=True, slots=True)
class StaffAction:
    """One staff action, from any staff channel (the CLI, Slack)."""

    kind: StaffActionKind
    reference: str
    actor: str
    text: str | None = None
    status: CaseStatus | None = None
    assignee: str | None = None
    await_customer: bool = False
    # For GRADE: the new severity and/or category (None keeps the current one); text is why.
    severity: str | None = None
    category: str | None = None
    # For STATUS to resolved: what caused the complaint (one of the operator's root causes).
    root_cause: str | None = None
    # For RESPOND: the remedy offered (see Remedy) and its amount, as staff write it ("£20").
    remedy: str | None = None
    amount: str | None = None
    # For EXTEND: how much later the target moves (text is the reason).
    extend_by: timedelta | None = None


def decide_staff_action(
    case: CaseView, action: StaffAction, now: datetime, rules: Rules
) -> Decision:
    """Decide what a staff action does: audit events, status changes, customer messages."""
    return fair(case, _decide(case, action, now, rules), now, rules)


def _decide(case: CaseView, action: StaffAction, now: datetime, rules: Rules) -> Decision:
    text = (action.text or "").strip()
    if len(text) > MAX_STAFF_TEXT:
        return refusal("staff/text_too_long", limit=MAX_STAFF_TEXT)
    if action.kind is StaffActionKind.NOTE:
        if not text:
            return refusal("staff/text_required", action=action.kind.value)
        return Decision((RecordEvent(case.reference, "note", {"text": text}),))
    if action.kind is StaffActionKind.ASSIGN:
        assignee = (action.assignee or "").strip() or None
        if assignee == case.assignee:
            # A double-click, or two people pressing at once: nothing changes twice.
            return refusal("staff/assign_unchanged", reference=case.reference, assignee=assignee)
        return Decision((Assign(case.reference, assignee),))
    if action.kind is StaffActionKind.REPLY:
        return _reply(case, text, action.await_customer)
    if action.kind is StaffActionKind.GRADE:
        return _grade(case, action, text, now, rules)
    if action.kind is StaffActionKind.RESPOND:
        return respond(case, text, action.remedy, action.amount, now, rules)
    if action.kind is StaffActionKind.EXTEND:
        return extend(case, action.extend_by, text, now, rules)
    return _status(case, action, text or None, now, rules)


def _reply(case: CaseView, text: str, await_customer: bool) -> Decision:
    if not text:
        return refusal("staff/text_required", action=StaffActionKind.REPLY.value)
    effects: list[Effect] = [
        RecordEvent(case.reference, "staff_reply", {"text": text}),
        Reply(
            "customer/staff_reply",
            {"reference": case.reference, "text": text, "awaiting": await_customer},
        ),
    ]
    if await_customer and case.status is not CaseStatus.AWAITING_CUSTOMER:
        if not can_transition(case.status, CaseStatus.AWAITING_CUSTOMER):
            return _not_allowed(case, CaseStatus.AWAITING_CUSTOMER)
        effects.append(ChangeStatus(case.reference, CaseStatus.AWAITING_CUSTOMER))
    return Decision(tuple(effects))


def _status(
    case: CaseView, action: StaffAction, message: str | None, now: datetime, rules: Rules
) -> Decision:
    target = action.status
    if target is None:
        return refusal("staff/status_required", allowed=_names(case))
    if target is case.status:
        return refusal("staff/status_unchanged", reference=case.reference, status=target.value)
    if not can_transition(case.status, target):
        return _not_allowed(case, target)
    effects: list[Effect] = [ChangeStatus(case.reference, target, note=message)]
    if action.root_cause is not None:
        if target is not CaseStatus.RESOLVED or action.root_cause not in rules.root_causes:
            return refusal(
                "staff/root_cause_unknown", cause=action.root_cause, causes=list(rules.root_causes)
            )
        effects.append(RecordEvent(case.reference, "root_cause", {"cause": action.root_cause}))
    if target is CaseStatus.ESCALATED:
        facts = {
            "reference": case.reference,
            "severity": case.severity,
            "category": case.category,
            "assignee": case.assignee,
            "actor": action.actor,
            "note": message,
        }
        effects.append(
            NotifyStaff(case.queue, "staff/case_escalated", facts, case.reference, escalate=True)
        )
    if target in CUSTOMER_ANNOUNCED:
        context = {"reference": case.reference, "status": target.value, "message": message}
        effects.append(Reply(f"customer/status_{target.value}", context))
    if target is CaseStatus.RESOLVED:
        effects += on_resolved(case, now, rules, ask=True)
    return Decision(tuple(effects))


def _grade(
    case: CaseView, action: StaffAction, reason: str, now: datetime, rules: Rules
) -> Decision:
    """Re-grade by a person: a reason is required, the customer hears only of a new date."""
    severity = action.severity or case.severity
    category = action.category or case.category
    if severity not in SEVERITIES or category not in rules.categories:
        return refusal(
            "staff/grade_unknown",
            severity=severity,
            category=category,
            severities=list(SEVERITIES),
            categories=list(rules.categories),
        )
    if (severity, category) == (case.severity, case.category):
        return refusal(
            "staff/grade_unchanged", reference=case.reference, severity=severity, category=category
        )
    if not reason:
        return refusal("staff/text_required", action=StaffActionKind.GRADE.value)
    effects = change_grade(case, severity, category, rules, now, note=reason, actor=action.actor)
    regrade = next(effect for effect in effects if isinstance(effect, Regrade))
    told = regrade.due_at is not None and regrade.due_at > now and regrade.due_at != case.due_at
    if told and is_open(case.status):
        context = {"reference": case.reference, "due_at": regrade.due_at}
        effects.append(Reply("customer/target_changed", context))
    return Decision(tuple(effects))


def _not_allowed(case: CaseView, target: CaseStatus) -> Decision:
    return refusal(
        "staff/transition_not_allowed",
        reference=case.reference,
        current=case.status.value,
        target=target.value,
        allowed=_names(case),
    )


def _names(case: CaseView) -> list[str]:
    return [status.value for status in allowed_targets(case.status)]
