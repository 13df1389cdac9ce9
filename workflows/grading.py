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
from workflows.classification import Rules, classify, route
from workflows.effects import CancelTimers, Effect, NotifyStaff, Regrade, Reply, ScheduleTimer
from workflows.lexicon import CRITICAL, rank
from workflows.timer_kinds import SLA_BREACH, SLA_WARNING
from workflows.triage import Reason


def raised_by(
    case: CaseView, text: str, rules: Rules, now: datetime
) -> tuple[list[Effect], bool, tuple[Reason, ...]]:
    """If what the customer now wrote makes the case more serious, raise it.

    Returns the effects, whether the response target moved (the customer is told the new date
    with the acknowledgement of their message), and the reasons triage found. Severity only
    ever rises on its own, and not at all once a member of staff has set the grade: then the
    reasons only go to staff with the message, for them to decide.
    """
    found = classify(text, rules)
    if rank(found.severity) <= rank(case.severity):
        return [], False, ()
    reasons = tuple(reason for reason in found.reasons if reason.kind != "category")
    if case.graded_by_staff:
        return [], False, reasons
    effects = change_grade(case, found.severity, case.category, rules, now, reasons=reasons)
    return effects, _moved(effects), reasons


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
        Regrade(case.reference, severity, category, queue, due_at, reasons, note, actor)
    ]
    if due_at != case.due_at and due_at is not None:
        effects.append(CancelTimers(case.reference, (SLA_WARNING, SLA_BREACH)))
        # A target already past is a breach that has happened: nothing left to remind of.
        if due_at > now:
            warn_at = max(now, due_at - rules.targets[severity].warn_before)
            effects += [
                ScheduleTimer(case.reference, SLA_WARNING, warn_at),
                ScheduleTimer(case.reference, SLA_BREACH, due_at),
            ]
    # Becoming critical calls the on-call people, as a critical case on arrival does.
    escalate = severity == CRITICAL and case.severity != CRITICAL
    effects.append(
        NotifyStaff(queue, "staff/case_regraded", facts, case.reference, escalate=escalate)
    )
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
        return rules.deadline(now, within)
    if rank(severity) > rank(case.severity):
        return min(case.due_at, rules.deadline(now, within))
    return max(case.due_at, rules.deadline(case.opened_at, within))


def _moved(effects: list[Effect]) -> bool:
    """Whether the effects set a new target still ahead (so the customer hears of it)."""
    return any(isinstance(effect, ScheduleTimer) for effect in effects)


def follow_up_graded(
    case: CaseView, text: str, channel: str, rules: Rules, now: datetime
) -> list[Effect]:
    """A customer's follow-up on their case, raising the case first if it reveals a hazard."""
    raised, moved, reasons = raised_by(case, text, rules, now)
    effects = follow_up(case, text, channel)
    if not reasons:
        return effects
    regrade = next((effect for effect in raised if isinstance(effect, Regrade)), None)
    adjusted: list[Effect] = []
    for effect in effects:
        if isinstance(effect, NotifyStaff):
            # Staff see what the message mentions; if they set the grade, it is theirs to change.
            mentions = [reason.to_data() for reason in reasons]
            context = {**effect.context, "mentions": mentions, "kept": regrade is None}
            effect = replace(effect, queue=regrade.queue if regrade else effect.queue)
            effect = replace(effect, context=context)
        elif isinstance(effect, Reply) and moved and regrade is not None:
            effect = replace(effect, context={**effect.context, "due_at": regrade.due_at})
        adjusted.append(effect)
    return [*raised, *adjusted]
