"""Progress updates: a customer who has heard nothing for a while is told where things stand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.workflows.chat import templates
from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.effects import Reply, ScheduleTimer
from workflows.lifecycle import CaseStatus
from workflows.timers import decide_timer

S = CaseStatus
DAYTIME = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def test_after_days_without_news_the_customer_is_told_the_stage_and_target(
    make_case: Callable[..., CaseView], rules: Rules
) -> None:
    due = DAYTIME + timedelta(days=5)
    case = make_case(status=S.INVESTIGATING, opened_at=DAYTIME - timedelta(days=5), due_at=due)
    decision = decide_timer(case, "progress_update", DAYTIME, rules, LONDON)
    [update] = decision.of_type(Reply)
    assert update.template == "customer/progress_update"
    assert update.context == {"reference": case.reference, "status": "investigating", "due_at": due}
    nxt = DAYTIME + timedelta(days=5)
    assert decision.of_type(ScheduleTimer) == [
        ScheduleTimer(case.reference, "progress_update", nxt)
    ]


def test_news_sent_meanwhile_puts_the_update_off(
    make_case: Callable[..., CaseView], rules: Rules
) -> None:
    told = DAYTIME - timedelta(days=1)
    case = make_case(
        status=S.INVESTIGATING, opened_at=DAYTIME - timedelta(days=9), last_told_at=told
    )
    decision = decide_timer(case, "progress_update", DAYTIME, rules, LONDON)
    assert templates(decision) == []
    later = told + timedelta(days=5)
    assert decision.of_type(ScheduleTimer) == [
        ScheduleTimer(case.reference, "progress_update", later)
    ]


def test_more_serious_cases_are_updated_more_often(
    make_case: Callable[..., CaseView], rules: Rules
) -> None:
    case = make_case(status=S.ESCALATED, severity="critical", opened_at=DAYTIME - timedelta(days=1))
    assert templates(decide_timer(case, "progress_update", DAYTIME, rules, LONDON)) == [
        "customer/progress_update"
    ]


def test_never_at_night_where_the_organisation_is(
    make_case: Callable[..., CaseView], rules: Rules
) -> None:
    night = datetime(2026, 3, 20, 23, 15, tzinfo=UTC)
    case = make_case(status=S.INVESTIGATING, opened_at=night - timedelta(days=6))
    decision = decide_timer(case, "progress_update", night, rules, LONDON)
    assert templates(decision) == []
    morning = datetime(2026, 3, 21, 8, 0, tzinfo=LONDON)
    assert decision.of_type(ScheduleTimer) == [
        ScheduleTimer(case.reference, "progress_update", morning)
    ]


@pytest.mark.parametrize("status", [S.AWAITING_CUSTOMER, S.RESPONSE_PROPOSED])
def test_no_update_while_the_customer_has_the_next_move(
    make_case: Callable[..., CaseView], rules: Rules, status: CaseStatus
) -> None:
    case = make_case(status=status, opened_at=DAYTIME - timedelta(days=20))
    decision = decide_timer(case, "progress_update", DAYTIME, rules, LONDON)
    assert templates(decision) == []
    assert len(decision.of_type(ScheduleTimer)) == 1


@pytest.mark.parametrize("status", [S.RESOLVED, S.CLOSED, S.WITHDRAWN])
def test_a_finished_case_sends_nothing_more(
    make_case: Callable[..., CaseView], rules: Rules, status: CaseStatus
) -> None:
    case = make_case(status=status, opened_at=DAYTIME - timedelta(days=20))
    assert decide_timer(case, "progress_update", DAYTIME, rules, LONDON).effects == ()
