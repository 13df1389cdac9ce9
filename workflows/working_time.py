"""Working time: response targets that count the organisation's open hours, not the night.

An operator who answers complaints Monday to Friday, 09:00 to 17:30, closed on public
holidays, can have "respond within 16 hours" mean two working days. The calendar is data: the
shell expands the public holidays (with the ``holidays`` library) into ``closed_on``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

# More days than this without an open hour is a calendar with no working time at all.
_LONGEST_CLOSURE = 370


@dataclass(frozen=True)
class WorkingTime:
    """When the organisation works: weekdays, opening hours, its timezone, the days it is shut."""

    zone: tzinfo
    opens: time
    closes: time
    # Monday is 0.
    weekdays: frozenset[int] = frozenset(range(5))
    closed_on: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.opens >= self.closes:
            raise ValueError("working hours must open before they close")
        if not self.weekdays:
            raise ValueError("at least one working day is needed")

    def add(self, start: datetime, within: timedelta) -> datetime:
        """The moment ``within`` of working time after ``start``."""
        left = within
        local = start.astimezone(self.zone)
        for _ in range(_LONGEST_CLOSURE * 2):
            day = local.date()
            if self._open_on(day):
                opening = self._at(day, self.opens)
                closing = self._at(day, self.closes)
                begin = max(local, opening)
                if begin < closing:
                    if begin + left <= closing:
                        return begin + left
                    left -= closing - begin
            local = self._at(day + timedelta(days=1), time(0, 0))
        raise ValueError("the working calendar has no open hours")

    def between(self, start: datetime, end: datetime) -> timedelta:
        """How much working time passes from ``start`` to ``end``."""
        total = timedelta(0)
        local = start.astimezone(self.zone)
        finish = end.astimezone(self.zone)
        while local < finish:
            day = local.date()
            if self._open_on(day):
                begin = max(local, self._at(day, self.opens))
                stop = min(finish, self._at(day, self.closes))
                if begin < stop:
                    total += stop - begin
            local = self._at(day + timedelta(days=1), time(0, 0))
        return total

    def hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        """When the organisation opens and closes on ``day`` (local), or None if it is shut."""
        if not self._open_on(day):
            return None
        return self._at(day, self.opens), self._at(day, self.closes)

    def _open_on(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.closed_on

    def _at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)
