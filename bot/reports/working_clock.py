"""Working time counted by the database: the working seconds between two moments.

The report's times (to acknowledge, to the first reply, to resolve) follow the working
hours the response targets follow. Each moment is read on a "working clock" that only runs
while the organisation is open: W(t) = working seconds before t's UTC day, plus the open
part of that day up to t. A duration is W(end) - W(start). The clock is a small calendar, a
row per UTC day (working seconds before it and the open spans inside it), made here from the
operator's WorkingTime into a temporary table keyed by day number, so a million cases are
still counted by the database, with one keyed lookup per moment.
"""

from __future__ import annotations

import contextlib
import math
import secrets
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Float,
    FromClause,
    Integer,
    MetaData,
    Table,
    cast,
    extract,
    func,
    insert,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
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


@contextlib.asynccontextmanager
async def calendar(
    session: AsyncSession, working: WorkingTime, first: datetime, last: datetime
) -> AsyncIterator[Table]:
    """The calendar as a temporary table keyed by day, for the length of a query or two.

    A table, not a VALUES list in the query: SQLite would scan a VALUES list once per case
    (a year of a million cases took three minutes); a keyed table is one lookup per moment.
    """
    name = f"working_calendar_{secrets.token_hex(4)}"
    edges = [Column(f"{edge}{n}", Float) for n in range(SLOTS) for edge in ("a", "b")]
    table = Table(
        name,
        MetaData(),
        Column("day", Integer, primary_key=True, autoincrement=False),
        Column("before", Float),
        *edges,
        prefixes=["TEMPORARY"],
    )
    keys = ["day", "before", *(column.name for column in edges)]
    rows = [
        dict(zip(keys, (int(row[0]), *row[1:]), strict=True))
        for row in calendar_rows(working, first, last)
    ]
    connection = await session.connection()
    await connection.run_sync(table.create)
    try:
        await session.execute(insert(table), rows)
        yield table
    finally:
        await connection.run_sync(table.drop, checkfirst=True)


def epoch(dialect: str, moment: ColumnElement[datetime]) -> ColumnElement[float]:
    """Seconds since 1970 (UTC) of a stored moment, in the database's own arithmetic."""
    if dialect == "sqlite":
        return (func.julianday(moment) - 2440587.5) * float(DAY)
    return extract("epoch", moment)  # type: ignore[return-value]


def working_seconds(dialect: str, days: Table, pairs: Select[Any, Any]) -> Select[float]:
    """One row per pair (columns ``a``, ``b``) with the working seconds from a to b, as ``s``."""
    inner = pairs.subquery()
    # Each moment turned into seconds once, not once per use: materialised, so neither
    # database folds the conversion back into every expression below.
    found = (
        select(epoch(dialect, inner.c.a).label("ea"), epoch(dialect, inner.c.b).label("eb"))
        .where(inner.c.b.is_not(None))
        .cte("moments")
        .prefix_with("MATERIALIZED")
    )
    start, end = days.alias("start_day"), days.alias("end_day")
    low, high = (func.max, func.min) if dialect == "sqlite" else (func.greatest, func.least)

    def day_of(seconds: ColumnElement[float]) -> ColumnElement[int]:
        if dialect == "sqlite":  # truncation is floor after 1970; floor() may not be built in
            return cast(seconds / DAY, Integer)
        return cast(func.floor(seconds / DAY), Integer)

    def clock(day: FromClause, seconds: ColumnElement[float]) -> ColumnElement[float]:
        total: ColumnElement[float] = day.c.before
        for n in range(SLOTS):
            opens, closes = day.c[f"a{n}"], day.c[f"b{n}"]
            # The part of this open span already run at ``seconds``: 0 before, all after.
            total = total + high(low(seconds - opens, 0.0), closes - opens)
        return total

    return (
        select((clock(end, found.c.eb) - clock(start, found.c.ea)).label("s"))
        .select_from(found)
        .join(start, start.c.day == day_of(found.c.ea))
        .join(end, end.c.day == day_of(found.c.eb))
    )


def utc(moment: datetime) -> datetime:
    """``moment`` in UTC (naive values are taken as UTC, as SQLite hands them back)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
