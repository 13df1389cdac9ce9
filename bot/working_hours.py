"""The operator's working hours and closed days, from the routing file's ``[working_hours]``.

Public holidays come from the ``holidays`` library (its country and subdivision codes, e.g.
"GB" and "ENG", "DE" and "BY"), expanded into dates for the workflow, which stays pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import holidays

from bot.config_files import ConfigError, read_toml
from workflows.working_time import WorkingTime

if TYPE_CHECKING:
    from bot.settings import Settings

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_KNOWN = frozenset({"enabled", "days", "opens", "closes", "holidays", "subdivision", "closed"})
# Years of public holidays expanded either side of this one (a target is weeks away at most).
_YEARS_BEFORE, _YEARS_AFTER = 1, 3


def load_working_time(settings: Settings) -> WorkingTime | None:
    """The clock the targets run on, read alone (the report needs it, not the triage lexicon)."""
    return working_time_in(settings, read_toml(settings.routing_file).get("working_hours", {}))


def working_time_in(settings: Settings, hours: object) -> WorkingTime | None:
    """``working_time`` of the routing file's table, as of today; ConfigError if it is wrong."""
    try:
        if not isinstance(hours, dict):
            raise ValueError("[working_hours] must be a table")
        return working_time(hours, settings.zone, datetime.now(settings.zone).date())
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigError(f"{settings.routing_file}: {error}") from None


def working_time(data: Mapping[str, object], zone: ZoneInfo, today: date) -> WorkingTime | None:
    """The working calendar the table describes, or None when targets count every hour."""
    unknown = set(data) - _KNOWN
    if unknown:
        raise ValueError(f"[working_hours]: unknown {sorted(unknown)}; known: {sorted(_KNOWN)}")
    if data.get("enabled", False) is not True:
        return None
    days = data.get("days", list(_WEEKDAYS[:5]))
    if not isinstance(days, list) or not days or not set(days) <= set(_WEEKDAYS):
        raise ValueError(f"[working_hours] days must be a list of {', '.join(_WEEKDAYS)}")
    closed = {_date(value) for value in _strings(data, "closed")}
    country = str(data.get("holidays", "") or "")
    if country:
        years = range(today.year - _YEARS_BEFORE, today.year + _YEARS_AFTER + 1)
        subdivision = str(data.get("subdivision", "") or "") or None
        try:
            public = holidays.country_holidays(country, subdiv=subdivision, years=years)
        except NotImplementedError:
            raise ValueError(f"[working_hours] holidays: no calendar for {country!r}") from None
        closed |= set(public)
    return WorkingTime(
        zone=zone,
        opens=_time(data, "opens", "09:00"),
        closes=_time(data, "closes", "17:30"),
        weekdays=frozenset(_WEEKDAYS.index(day) for day in days),
        closed_on=frozenset(closed),
    )


def _strings(data: Mapping[str, object], name: str) -> list[str]:
    value = data.get(name, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"[working_hours] {name} must be a list of dates like 2026-12-24")
    return list(value)


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"[working_hours] closed: {value!r} is not a date like 2026-12-24"
        ) from None


def _time(data: Mapping[str, object], name: str, default: str) -> time:
    value = str(data.get(name, default))
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"[working_hours] {name}: {value!r} is not a time like 09:00") from None
