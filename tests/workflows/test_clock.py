"""The response clock stops while the case waits for the customer, and resumes after (issue 9)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from tests.workflows.chat import Chat
from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.effects import CancelTimers, MarkCase, ScheduleTimer
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind, decide_staff_action
from workflows.timers import decide_timer

S = CaseStatus
SLA = ("sla_warning", "sla_breach")


def test_asking_the_customer_something_stops_the_clock(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.INVESTIGATING, due_at=now + timedelta(days=3))
    action = StaffAction(
        StaffActionKind.REPLY, case.reference, "carol", text="A photo?", await_customer=True
    )
    effects = decide_staff_action(case, action, now, rules).effects
    assert MarkCase(case.reference, {"paused_at": now}) in effects
    assert CancelTimers(case.reference, SLA) in effects


def test_a_response_awaiting_the_customers_decision_stops_the_clock(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.INVESTIGATING, due_at=now + timedelta(days=3))
    action = StaffAction(
        StaffActionKind.RESPOND, case.reference, "carol", text="Refund.", remedy="refund"
    )
    effects = decide_staff_action(case, action, now, rules).effects
    assert MarkCase(case.reference, {"paused_at": now}) in effects


def test_the_customers_answer_restarts_it_and_the_target_moves_by_the_time_waited(
    chat: Chat, make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    waited = timedelta(days=4, hours=2)
    due = now + timedelta(days=3)
    case = make_case(status=S.AWAITING_CUSTOMER, due_at=due, paused_at=now - waited)
    chat.cases = (case,)
    decision = chat.say("Here is the photo of the label you asked for")
    moved = due + waited
    facts = {"paused_at": None, "paused_seconds": int(waited.total_seconds()), "due_at": moved}
    assert MarkCase(case.reference, facts) in decision.effects
    assert ScheduleTimer(case.reference, "sla_breach", moved) in decision.effects


def test_rejecting_a_response_restarts_the_clock_where_it_stopped(
    chat: Chat, make_case: Callable[..., CaseView], now: datetime
) -> None:
    due = now + timedelta(hours=20)
    case = make_case(
        status=S.RESPONSE_PROPOSED, due_at=due, paused_at=now - timedelta(days=2), paused_seconds=60
    )
    chat.cases = (case,)
    decision = chat.say("No, that is not enough")
    [mark] = [m for m in decision.of_type(MarkCase) if "paused_at" in m.facts]
    assert mark.facts["due_at"] == due + timedelta(days=2)
    assert mark.facts["paused_seconds"] == 60 + 2 * 86400


def test_a_case_resolved_while_waiting_keeps_its_target_and_counts_the_wait(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    due = now - timedelta(days=1)
    case = make_case(status=S.RESPONSE_PROPOSED, due_at=due, paused_at=now - timedelta(days=10))
    decision = decide_timer(case, "decision_lapse", now, rules)
    [mark] = [m for m in decision.of_type(MarkCase) if "paused_at" in m.facts]
    assert "due_at" not in mark.facts
    assert mark.facts["paused_seconds"] == 10 * 86400
    assert not decision.of_type(ScheduleTimer) or all(
        t.kind == "auto_close" for t in decision.of_type(ScheduleTimer)
    )


def test_no_sla_alarm_is_raised_while_the_clock_is_stopped(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    """Its timers were cancelled on pausing; were one to fire, it still finds the case waiting."""
    case = make_case(status=S.INVESTIGATING, due_at=now + timedelta(days=1))
    action = StaffAction(
        StaffActionKind.REPLY, case.reference, "carol", text="Which size?", await_customer=True
    )
    decision = decide_staff_action(case, action, now, rules)
    assert CancelTimers(case.reference, SLA) in decision.effects
    assert not decision.of_type(ScheduleTimer)
