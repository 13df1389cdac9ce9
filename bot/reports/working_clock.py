"""Working time counted by the database: the working seconds between two moments.

The report's times (to acknowledge, to the first reply, to resolve) follow the working
hours the response targets follow. Each moment is read on a "working clock" that only runs
while the organisation is open: W(t) = working seconds before t's UTC day, plus the open
part of that day up to t. A duration is W(end) - W(start). The clock is a small calendar, a
row per UTC day (working seconds before it and the open spans inside it), made here from the
operator's WorkingTime and joined by day number in the query, so a million cases are still
counted by the database, with one equality join per moment.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import CTE, ColumnElement, Float, Integer, case, cast, column, extract, func, select
from sqlalchemy import values as sql_values
from sqlalchemy.sql import Select

from workflows.working_time import WorkingTime

DAY = 86400
# Open spans a UTC day can hold: the end of one working day, the next one and (across a
# long DST day with round-the-clock hours) the start of a third.
SLOTS = 3
Row = tuple[float, ...]


def calendar_rows(working: WorkingTime, first: datetime, last: datetime) -> list[Row]:
    """Per UTC day from ``first``'s to ``last``'s: day number, working seconds before it (from
    the first day), then SLOTS open spans (start, end) in epoch seconds, empty ones (0, 0)."""
    day0 = math.floor(first.timestamp() / DAY)
    day1 = math.floor(last.timestamp() / DAY)
    spans: list[tuple[float, float]] = []
    local = (first - timedelta(days=1)).astimezone(working.zone).date()
    final = (last + timedelta(days=1)).astimezone(working.zone).date()
    while local <= final:
        hours = working.hours_on(local)
        if hours is not None:
            spans.append((hours[0].timestamp(), hours[1].timestamp()))
        local += timedelta(days=1)
    rows: list[Row] = []
    before = 0.0
    for day in range(day0, day1 + 1):
        begin, end = day * DAY, (day + 1) * DAY
        inside = [(max(a, begin), min(b, end)) for a, b in spans if a < end and b > begin]
        if len(inside) > SLOTS:
            raise ValueError("more open spans in one day than the calendar holds")
        inside += [(0.0, 0.0)] * (SLOTS - len(inside))
        rows.append((float(day), before, *[edge for span in inside for edge in span]))
        before += sum(b - a for a, b in inside)
    return rows


def calendar(working: WorkingTime, first: datetime, last: datetime) -> CTE:
    """The calendar as a common table expression (its numbers written into the SQL)."""
    names = ["day", "before"] + [f"{edge}{n}" for n in range(SLOTS) for edge in ("a", "b")]
    columns = [column("day", Integer)] + [column(name, Float) for name in names[1:]]
    rows = calendar_rows(working, first, last)
    table = sql_values(*columns, name="working_days", literal_binds=True).data(
        [(int(row[0]), *row[1:]) for row in rows]
    )
    return table.cte("working_calendar")


def epoch(dialect: str, moment: ColumnElement[datetime]) -> ColumnElement[float]:
    """Seconds since 1970 (UTC) of a stored moment, in the database's own arithmetic."""
    if dialect == "sqlite":
        return (func.julianday(moment) - 2440587.5) * float(DAY)
    return extract("epoch", moment)  # type: ignore[return-value]


def working_seconds(dialect: str, days: CTE, pairs: Select[Any, Any]) -> Select[float]:
    """One row per pair (columns ``a``, ``b``) with the working seconds from a to b, as ``s``."""
    found = pairs.subquery()
    start, end = days.alias("start_day"), days.alias("end_day")
    at_start, at_end = epoch(dialect, found.c.a), epoch(dialect, found.c.b)

    def day_of(seconds: ColumnElement[float]) -> ColumnElement[int]:
        if dialect == "sqlite":  # truncation is floor after 1970; floor() may not be built in
            return cast(seconds / DAY, Integer)
        return cast(func.floor(seconds / DAY), Integer)

    def clock(day: CTE, seconds: ColumnElement[float]) -> ColumnElement[float]:
        total: ColumnElement[float] = day.c.before
        for n in range(SLOTS):
            opens, closes = day.c[f"a{n}"], day.c[f"b{n}"]
            ran = seconds - opens
            total = total + case(
                (ran <= 0, 0.0), (ran >= closes - opens, closes - opens), else_=ran
            )
        return total

    return (
        select((clock(end, at_end) - clock(start, at_start)).label("s"))
        .select_from(found)
        .join(start, start.c.day == day_of(at_start))
        .join(end, end.c.day == day_of(at_end))
    )


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC (naive values are taken as UTC, as SQLite hands them back)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
