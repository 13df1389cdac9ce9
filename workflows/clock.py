"""A fair response clock: it stops while the case waits for the customer, and resumes after.

Staff are answerable for the time a case spends with them, not for the days a customer takes
to send a photo or to decide on a response. Entering a waiting stage pauses the clock (the
reminder and breach timers are cancelled); leaving it for a working stage moves the target
on by the time waited and sets the timers again.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.effects import CancelTimers, ChangeStatus, Decision, Effect, MarkCase, ScheduleTimer
from workflows.lifecycle import FINISHED, CaseStatus
from workflows.timer_kinds import SLA_BREACH, SLA_WARNING

# The stages in which the case waits for the customer, not for staff.
WAITING = frozenset({CaseStatus.AWAITING_CUSTOMER, CaseStatus.RESPONSE_PROPOSED})


def fair_to_all(
    cases: tuple[CaseView, ...], decision: Decision, now: datetime, rules: Rules
) -> Decision:
    """``fair`` for every case the decision may move."""
    for case in cases:
        decision = fair(case, decision, now, rules)
    return decision


def fair(case: CaseView, decision: Decision, now: datetime, rules: Rules) -> Decision:
    """The decision with the clock paused or resumed wherever it moves this case's status."""
    effects: list[Effect] = []
    status = case.status
    paused_at = case.paused_at
    due_at = case.due_at
    for effect in decision.effects:
        effects.append(effect)
        if not isinstance(effect, ChangeStatus) or effect.reference != case.reference:
            continue
        target = effect.status
        if target in WAITING and status not in WAITING and paused_at is None:
            paused_at = now
            effects += [
                MarkCase(case.reference, {"paused_at": now}),
                CancelTimers(case.reference, (SLA_WARNING, SLA_BREACH)),
            ]
        elif status in WAITING and target not in WAITING and paused_at is not None:
            waited = now - paused_at
            paused_at = None
            facts: dict[str, object] = {
                "paused_at": None,
                "paused_seconds": case.paused_seconds + int(waited.total_seconds()),
            }
            if target not in FINISHED and due_at is not None:
                # Waited in working time, when targets count it (a weekend waited is none).
                counted = rules.elapsed(now - waited, now)
                due_at = rules.deadline(due_at, counted) if counted else due_at
                facts["due_at"] = due_at
                warn_at = max(now, due_at - rules.targets[case.severity].warn_before)
                effects += [
                    ScheduleTimer(case.reference, SLA_WARNING, warn_at),
                    ScheduleTimer(case.reference, SLA_BREACH, due_at),
                ]
            effects.append(MarkCase(case.reference, facts))
        status = target
    if len(effects) == len(decision.effects):
        return decision
    return replace(decision, effects=tuple(effects))
