"""Staff move a response target later; the customer is told the new date and why (issue 9)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.effects import CancelTimers, MarkCase, Refuse, Reply, ScheduleTimer
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind, decide_staff_action

S = CaseStatus
WHY = "The manufacturer's lab needs a week to test the charger."


def extend(case: CaseView, now: datetime, rules: Rules, days: float | None, why: str = WHY):
    by = timedelta(days=days) if days is not None else None
    action = StaffAction(StaffActionKind.EXTEND, case.reference, "carol", text=why, extend_by=by)
    return decide_staff_action(case, action, now, rules)


def test_the_target_moves_and_the_customer_is_told_the_date_and_why(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    due = now + timedelta(days=2)
    case = make_case(status=S.INVESTIGATING, due_at=due)
    decision = extend(case, now, rules, 7)
    moved = due + timedelta(days=7)
    assert MarkCase(case.reference, {"due_at": moved}) in decision.effects
    assert CancelTimers(case.reference, ("sla_warning", "sla_breach")) in decision.effects
    assert ScheduleTimer(case.reference, "sla_breach", moved) in decision.effects
    [told] = decision.of_type(Reply)
    assert told.template == "customer/target_extended"
    assert told.context == {"reference": case.reference, "due_at": moved, "reason": WHY}


def test_a_target_already_missed_is_extended_from_now(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.INVESTIGATING, due_at=now - timedelta(days=3))
    decision = extend(case, now, rules, 2)
    assert MarkCase(case.reference, {"due_at": now + timedelta(days=2)}) in decision.effects


def test_while_the_clock_is_stopped_the_timers_wait_for_the_customer(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.AWAITING_CUSTOMER, due_at=now + timedelta(days=1), paused_at=now)
    assert not extend(case, now, rules, 3).of_type(ScheduleTimer)


@pytest.mark.parametrize(
    ("status", "days", "why", "template"),
    [
        (S.INVESTIGATING, None, WHY, "staff/extension_invalid"),
        (S.INVESTIGATING, 0, WHY, "staff/extension_invalid"),
        (S.INVESTIGATING, 90, WHY, "staff/extension_invalid"),
        (S.INVESTIGATING, 3, "", "staff/text_required"),
        (S.RESOLVED, 3, WHY, "staff/extension_closed"),
    ],
)
def test_an_extension_without_a_reason_a_sensible_length_or_an_open_case_is_refused(
    make_case: Callable[..., CaseView],
    now: datetime,
    rules: Rules,
    status: CaseStatus,
    days: float | None,
    why: str,
    template: str,
) -> None:
    case = make_case(status=status, due_at=now + timedelta(days=1))
    [refusal] = extend(case, now, rules, days, why).effects
    assert isinstance(refusal, Refuse)
    assert refusal.template == template
