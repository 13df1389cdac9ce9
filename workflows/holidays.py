"""Days customers name instead of dates: fixed ones ("Valentine's Day", "Saint-Sylvestre") and
movable ones reckoned for the year ("Shrove Tuesday", "Rosenmontag", "Presidents' Day").

The names are data (``[holidays]`` in ``templates/<locale>/vocabulary.toml``); a rule is written
``"02-14"`` (that day every year), ``"easter-48"`` (days from Easter Sunday) or ``"3 mon 02"``
(the third Monday of February; ``"last mon 05"`` the last).
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter

from workflows.phrases import alternation

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FIXED = re.compile(r"(\d{2})-(\d{2})")
_FROM_EASTER = re.compile(r"easter([+-]\d{1,3})?")
_NTH_WEEKDAY = re.compile(rf"([1-4]|last) ({'|'.join(_WEEKDAYS)}) (\d{{2}})")


@dataclass(frozen=True)
class Holiday:
    """When a named day falls: a month and day, days from Easter, or a weekday of a month."""

    month: int = 0
    day: int = 0
    from_easter: int | None = None
    # 1 to 4, or -1 for the last such weekday of the month.
    nth: int = 0
    weekday: int = 0

    @staticmethod
    def parse(rule: str) -> Holiday:
        """A rule as written in the vocabulary ("02-14", "easter-48", "3 mon 02")."""
        if fixed := _FIXED.fullmatch(rule):
            month, day = int(fixed[1]), int(fixed[2])
            try:
                date(2024, month, day)  # 2024 has a 29 February
            except ValueError:
                raise ValueError(f"holiday rule {rule!r} names no day of the year") from None
            return Holiday(month=month, day=day)
        if easterly := _FROM_EASTER.fullmatch(rule):
            return Holiday(from_easter=int(easterly[1] or 0))
        if nth := _NTH_WEEKDAY.fullmatch(rule):
            month = int(nth[3])
            if not 1 <= month <= 12:
                raise ValueError(f"holiday rule {rule!r} names no month")
            which = -1 if nth[1] == "last" else int(nth[1])
            return Holiday(month=month, nth=which, weekday=_WEEKDAYS.index(nth[2]))
        raise ValueError(f"holiday rule {rule!r} is none of 02-14, easter-48, 3 mon 02")

    def in_year(self, year: int) -> date | None:
        """The day it falls on that year (None for 29 February in a common year)."""
        if self.from_easter is not None:
            return easter(year) + timedelta(days=self.from_easter)
        if self.nth:
            if self.nth > 0:
                first = date(year, self.month, 1)
                return first + timedelta(
                    days=(self.weekday - first.weekday()) % 7 + 7 * (self.nth - 1)
                )
            last = date(year, self.month, monthrange(year, self.month)[1])
            return last - timedelta(days=(last.weekday() - self.weekday) % 7)
        if self.day > monthrange(year, self.month)[1]:
            return None
        return date(year, self.month, self.day)

    def latest(self, today: date) -> date | None:
        """Its latest day that is not after today: "on Valentine's Day" in March is this
        year's, in January last year's."""
        # Back four years at most: 29 February comes round again within them.
        for year in range(today.year, today.year - 5, -1):
            found = self.in_year(year)
            if found is not None and found <= today:
                return found
        return None


def weekday_beside(
    words: str,
    name: str,
    holiday: date,
    weekdays: Mapping[str, int],
    before: frozenset[str],
    after: frozenset[str],
) -> date | None:
    """The weekday said before or after the named day in the words ("the Monday before Fat
    Tuesday", "le jeudi juste après le mercredi des Cendres"): the nearest on that side."""
    if not weekdays:
        return None
    said = _beside(words, name, rf"\b({alternation(weekdays)}) (?:\w+ )?", before | after)
    if said is None:
        return None
    step = 1 if said[2] in after else -1
    day = holiday + timedelta(days=step)
    while day.weekday() != weekdays[said[1]]:
        day += timedelta(days=step)
    return day


def day_beside(
    words: str,
    name: str,
    holiday: date,
    dates: tuple[frozenset[str], Mapping[str, int]],
    before: frozenset[str],
    after: frozenset[str],
) -> date | None:
    """The day before or after the named day ("am Tag vor Josefi", "the day after Boxing
    Day"), or as many days as counted ("drei Tage vor Weihnachten"). ``dates``: the
    language's words for a day and its number words."""
    units, numbers = dates
    if not units:
        return None
    said = _beside(words, name, rf"(?:\b(\w+) )?\b(?:{alternation(units)}) ", before | after)
    if said is None:
        return None
    count = int(said[1]) if said[1] and said[1].isdigit() else numbers.get(said[1] or "", 1)
    return holiday + timedelta(days=count if said[2] in after else -count)


def _beside(words: str, name: str, lead: str, sides: frozenset[str]) -> re.Match[str] | None:
    """Where the words say ``lead`` (its first group), a word of ``sides`` (the second) and
    the named day, in that order."""
    if not sides:
        return None
    pattern = rf"{lead}({alternation(sides)}) (?:\w+ ){{0,2}}?{re.escape(name)}\b"
    return re.search(pattern, words)


def day_of_span(holiday: date, weekday: int) -> date:
    """The day of that weekday in the days around a named day ("the Sunday of the Family Day
    long weekend"): of the three days either side, the one that falls on it."""
    return holiday + timedelta(days=(weekday - holiday.weekday() + 3) % 7 - 3)
