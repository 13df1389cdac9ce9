"""Response targets in working time: nights, weekends and closed days do not count (issue 9)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.workflows.chat import Chat, answer_until_summary, opened
from workflows.classification import Rules
from workflows.intake import IntakeSettings
from workflows.working_time import WorkingTime

LONDON = ZoneInfo("Europe/London")
OFFICE = WorkingTime(
    zone=LONDON,
    opens=time(9, 0),
    closes=time(17, 30),
    closed_on=frozenset({date(2026, 4, 3), date(2026, 4, 6)}),  # Good Friday, Easter Monday
)


def at(day: int, hour: int, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (at(16, 10), 2, at(16, 12)),  # Monday morning: the same day
        (at(16, 16), 8, at(17, 15, 30)),  # over the night
        (at(20, 16), 8, at(23, 15, 30)),  # Friday afternoon: over the weekend to Monday
        (at(21, 11), 1, at(23, 10)),  # a Saturday complaint starts Monday morning
        (at(16, 20), 1, at(17, 10)),  # after closing: from the next opening
        (at(2, 17, month=4), 1, at(7, 9, 30, month=4)),  # Easter: Friday and Monday closed
    ],
)
def test_a_target_counts_only_working_hours(start: datetime, hours: int, due: datetime) -> None:
    assert OFFICE.add(start, timedelta(hours=hours)) == due


def test_working_time_between_two_moments_leaves_out_nights_and_weekends() -> None:
    assert OFFICE.between(at(20, 16), at(23, 10)) == timedelta(hours=2, minutes=30)
    assert OFFICE.between(at(21, 9), at(22, 18)) == timedelta(0)


def test_a_calendar_must_be_open_sometime() -> None:
    with pytest.raises(ValueError, match="open before"):
        WorkingTime(zone=LONDON, opens=time(18, 0), closes=time(9, 0))
    with pytest.raises(ValueError, match="working day"):
        WorkingTime(zone=LONDON, opens=time(9, 0), closes=time(17, 0), weekdays=frozenset())


def test_a_complaint_registered_on_friday_evening_is_due_in_working_time(
    intake_settings: IntakeSettings, rules: Rules
) -> None:
    friday_evening = at(20, 19).astimezone(ZoneInfo("UTC"))
    working = replace(rules, working=OFFICE)
    chat = Chat(
        settings=replace(intake_settings, rules=working), now=friday_evening, new_reference="CB-X"
    )
    answer_until_summary(chat, chat.say("My kettle stopped working after one use"))
    case = opened(chat.say("yes"))
    hours = rules.targets[case.classification.severity].respond_within
    assert case.due_at == OFFICE.add(at(23, 9), hours)
