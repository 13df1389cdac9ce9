"""Grading after registration: a follow-up that reveals a hazard, and staff re-grading.

A case's severity sets its queue and its response target, so a change of grade moves both: the
case goes to the queue the routes give, the response target is recomputed, the reminder and
breach timers move with it, and the customer hears only of a changed date, never of the
internal grade.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from workflows.cases import CaseView, follow_up
from workflows.classification import SEVERITIES, Rules, classify, route
from workflows.effects import CancelTimers, Effect, NotifyStaff, Regrade, Reply, ScheduleTimer
from workflows.timers import SLA_BREACH, SLA_WARNING
from workflows.triage import Reason


def rank(severity: str) -> int:
    """A severity's place in the order normal < high < critical (unknown ones rank lowest)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


def raised_by(case: CaseView, text: str, rules: Rules, now: datetime) -> tuple[list[Effect], bool]:
    """If what the customer now wrote makes the case more serious, raise it.

    Returns the effects and whether the response target moved (the customer is told the new
    date with the acknowledgement of their message). Severity only ever rises on its own;
    lowering it is a person's decision.
    """
    found = classify(text, rules)
    if rank(found.severity) <= rank(case.severity):
        return [], False
    reasons = tuple(reason for reason in found.reasons if reason.kind != "category")
    effects = change_grade(case, found.severity, case.category, rules, now, reasons=reasons)
    return effects, _moved(effects)


def change_grade(
    case: CaseView,
    severity: str,
    category: str,
    rules: Rules,
    now: datetime,
    *,
    reasons: tuple[Reason, ...] = (),
    note: str | None = None,
    actor: str | None = None,
) -> list[Effect]:
    """Regrade a case: new queue and target, timers moved, both queues told."""
    queue = route(category, severity, rules)
    due_at = _new_target(case, severity, rules, now)
    facts = {
        "reference": case.reference,
        "from_severity": case.severity,
        "severity": severity,
        "from_category": case.category,
        "category": category,
        "from_queue": case.queue,
        "queue": queue,
        "due_at": due_at,
        "note": note,
        "actor": actor,
        "reasons": [reason.to_data() for reason in reasons],
    }
    effects: list[Effect] = [
        Regrade(case.reference, severity, category, queue, due_at, reasons, note)
    ]
    if due_at != case.due_at and due_at is not None:
        warn_at = max(now, due_at - rules.targets[severity].warn_before)
        effects += [
            CancelTimers(case.reference, (SLA_WARNING, SLA_BREACH)),
            ScheduleTimer(case.reference, SLA_WARNING, warn_at),
            ScheduleTimer(case.reference, SLA_BREACH, due_at),
        ]
    effects.append(NotifyStaff(queue, "staff/case_regraded", facts, case.reference))
    if case.queue != queue:
        effects.append(NotifyStaff(case.queue, "staff/case_regraded", facts, case.reference))
    return effects


def _new_target(case: CaseView, severity: str, rules: Rules, now: datetime) -> datetime | None:
    """The response target for the new grade.

    More serious: the new target counts from now (when we learnt of it), but never later than
    the one already promised. Less serious: it counts from when the complaint was received,
    and never comes earlier than the one already promised.
    """
    if severity == case.severity:
        return case.due_at
    within = rules.targets[severity].respond_within
    if case.due_at is None:
        return now + within
    if rank(severity) > rank(case.severity):
        return min(case.due_at, now + within)
    return max(case.due_at, case.opened_at + within)


def _moved(effects: list[Effect]) -> bool:
    return any(isinstance(effect, CancelTimers) for effect in effects)


def follow_up_graded(
    case: CaseView, text: str, channel: str, rules: Rules, now: datetime
) -> list[Effect]:
    """A customer's follow-up on their case, raising the case first if it reveals a hazard."""
    raised, moved = raised_by(case, text, rules, now)
    effects = follow_up(case, text, channel)
    if not raised:
        return effects
    regrade = next(effect for effect in raised if isinstance(effect, Regrade))
    adjusted: list[Effect] = []
    for effect in effects:
        if isinstance(effect, NotifyStaff):
            effect = replace(effect, queue=regrade.queue)
        elif isinstance(effect, Reply) and moved:
            effect = replace(effect, context={**effect.context, "due_at": regrade.due_at})
        adjusted.append(effect)
    return [*raised, *adjusted]
