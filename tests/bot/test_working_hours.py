"""The operator's working hours and public holidays, read from the routing file."""

from __future__ import annotations

from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from bot.working_hours import working_time

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 30)


def test_off_unless_enabled() -> None:
    assert working_time({}, LONDON, TODAY) is None
    assert working_time({"enabled": False, "opens": "08:00"}, LONDON, TODAY) is None


def test_public_holidays_and_the_operators_own_closed_days_are_closed() -> None:
    table = {
        "enabled": True,
        "days": ["mon", "tue", "wed", "thu"],
        "opens": "08:30",
        "closes": "16:00",
        "holidays": "GB",
        "subdivision": "ENG",
        "closed": ["2026-12-24"],
    }
    calendar = working_time(table, LONDON, TODAY)
    assert calendar is not None
    assert (calendar.opens, calendar.closes) == (time(8, 30), time(16, 0))
    assert calendar.weekdays == frozenset({0, 1, 2, 3})
    for shut in (date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1), date(2026, 12, 24)):
        assert shut in calendar.closed_on
    assert date(2026, 12, 23) not in calendar.closed_on


@pytest.mark.parametrize(
    ("table", "complaint"),
    [
        ({"enabled": True, "holidays": "XX"}, "no calendar"),
        ({"enabled": True, "days": ["monday"]}, "days must be"),
        ({"enabled": True, "opens": "nine"}, "opens"),
        ({"enabled": True, "closed": ["24/12/2026"]}, "closed"),
        ({"enabled": True, "open": "09:00"}, "unknown"),
    ],
)
def test_a_mistake_in_the_table_names_what_is_wrong(
    table: dict[str, object], complaint: str
) -> None:
    with pytest.raises(ValueError, match=complaint):
        working_time(table, LONDON, TODAY)
