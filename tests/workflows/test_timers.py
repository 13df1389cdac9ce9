"""Response-time timers: what happens when an SLA warning or breach fires."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.effects import NotifyStaff, RecordEvent
from workflows.lifecycle import CaseStatus, is_open
from workflows.timers import SLA_BREACH, SLA_WARNING, decide_timer


@pytest.mark.parametrize("kind", [SLA_WARNING, SLA_BREACH])
def test_a_timer_on_an_open_case_is_recorded_and_tells_the_cases_queue(
    rules: Rules, make_case: Callable[..., CaseView], now: datetime, kind: str
) -> None:
    due = now + timedelta(hours=6)
    case = make_case(
        status=CaseStatus.INVESTIGATING,
        queue="complaints-urgent",
        severity="critical",
        due_at=due,
        assignee="maria",
    )
    decision = decide_timer(case, kind, now, rules)
    assert decision.effects == (
        RecordEvent(case.reference, kind, {"due_at": due.isoformat()}),
        NotifyStaff(
            "complaints-urgent",
            f"staff/{kind}",
            {
                "reference": case.reference,
                "status": "investigating",
                "due_at": due,
                "assignee": "maria",
                "severity": "critical",
            },
            case.reference,
            # Reminders and breaches call the escalation destination (the on-call people).
            escalate=True,
        ),
    )
    assert decision.conversation is None


def test_the_sla_warning_template_is_staff_sla_warning(
    rules: Rules, make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=CaseStatus.ACKNOWLEDGED, due_at=now)
    [notify] = decide_timer(case, "sla_warning", now, rules).of_type(NotifyStaff)
    assert notify.template == "staff/sla_warning"


@pytest.mark.parametrize("status", list(CaseStatus), ids=lambda s: s.value)
@pytest.mark.parametrize("kind", [SLA_WARNING, SLA_BREACH])
def test_timers_fire_only_while_the_case_needs_staff(
    rules: Rules, make_case: Callable[..., CaseView], now: datetime, status: CaseStatus, kind: str
) -> None:
    case = make_case(status=status, due_at=now)
    decision = decide_timer(case, kind, now, rules)
    if is_open(status):
        assert [type(effect) for effect in decision.effects] == [RecordEvent, NotifyStaff]
    else:
        assert decision.effects == ()


def test_a_timer_on_a_resolved_case_does_nothing(
    rules: Rules, make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=CaseStatus.RESOLVED, due_at=now)
    assert decide_timer(case, SLA_WARNING, now, rules).effects == ()


def test_a_timer_on_a_case_without_a_due_date_still_alerts(
    rules: Rules, make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(due_at=None)
    decision = decide_timer(case, SLA_BREACH, now, rules)
    [event] = decision.of_type(RecordEvent)
    assert event.data == {"due_at": None}
    assert len(decision.of_type(NotifyStaff)) == 1


@pytest.mark.parametrize("kind", ["sla_reminder", "", "SLA_WARNING"])
def test_an_unknown_timer_kind_is_an_error(
    rules: Rules, make_case: Callable[..., CaseView], now: datetime, kind: str
) -> None:
    with pytest.raises(ValueError, match="unknown timer kind"):
        decide_timer(make_case(), kind, now, rules)
