"""The management review's numbers (ISO 10002 8.1 to 8.7), counted by the database.

Every figure is an aggregate query: nothing loads cases into Python, so the report takes the
same few queries at a hundred cases or a million. Complaints received, acknowledgement and
first response count cases opened in the period; resolution, targets met, decisions,
satisfaction, remedies and root causes count cases resolved (or events written) in it.
Medians and 90th percentiles are read with ORDER BY … OFFSET, which both databases do.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Table,
    and_,
    case,
    cast,
    extract,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Select

from bot.reports.working_clock import calendar, utc, working_seconds
from bot.storage.models import Case, CaseEvent, Outbox
from workflows.working_time import WorkingTime

# Open cases by how long they have been open.
AGE_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-2 days", 2),
    ("3-7 days", 7),
    ("8-30 days", 30),
    ("over 30 days", None),
)
FINISHED = ("resolved", "closed", "withdrawn")
PROCESS_ROOT_CAUSE = "complaint_handling"


@dataclass(frozen=True)
class Durations:
    """How long something took, in seconds: how many, median and 90th percentile."""

    count: int
    median: float | None
    p90: float | None


@dataclass
class Figures:
    """One period's numbers."""

    start: datetime
    end: datetime
    # True: the times below are working time (the targets' working hours), not the clock's.
    working: bool = False
    received: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    by_category: dict[str, int] = field(default_factory=dict)
    by_severity: dict[str, int] = field(default_factory=dict)
    by_queue: dict[str, int] = field(default_factory=dict)
    acknowledged: Durations = Durations(0, None, None)
    first_response: Durations = Durations(0, None, None)
    resolution: Durations = Durations(0, None, None)
    resolved: int = 0
    # Per severity: resolved in the period, and of those within their response target.
    within_target: dict[str, tuple[int, int]] = field(default_factory=dict)
    reopened: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    satisfaction: dict[int, int] = field(default_factory=dict)
    satisfaction_asked: int = 0
    remedies: dict[str, int] = field(default_factory=dict)
    root_causes: dict[str, int] = field(default_factory=dict)
    per_assignee: dict[str, int] = field(default_factory=dict)

    @property
    def satisfaction_mean(self) -> float | None:
        """The mean score (1 to 5), or None with no scores."""
        answered = sum(self.satisfaction.values())
        if not answered:
            return None
        return sum(score * count for score, count in self.satisfaction.items()) / answered

    @property
    def about_the_process(self) -> int:
        """Complaints whose root cause was the complaints process itself."""
        return self.root_causes.get(PROCESS_ROOT_CAUSE, 0)


def seconds_between(dialect: str, start: Any, end: Any) -> ColumnElement[float]:
    """``end - start`` in seconds, in the database's own arithmetic."""
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 86400.0
    return extract("epoch", end - start)  # type: ignore[return-value]


async def figures(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    queue: str | None,
    working: WorkingTime | None = None,
    now: datetime | None = None,
) -> Figures:
    """The numbers of the period [start, end), for one queue or all; times in ``working``
    time when the operator's targets count it (up to ``now``), else in hours of the clock."""
    async with contextlib.AsyncExitStack() as stack:
        days = None
        if working is not None:
            touched = or_(Case.opened_at >= start, Case.resolved_at >= start)
            earliest = await session.scalar(
                select(func.min(Case.opened_at)).where(touched, Case.opened_at < end)
            )
            if earliest is not None:
                last = max(end, now or end)
                days = await stack.enter_async_context(
                    calendar(session, working, utc(earliest), last)
                )
        return await _figures(session, start, end, queue, days, working is not None)


async def _figures(
    session: AsyncSession,
    start: datetime,
    end: datetime,
    queue: str | None,
    days: Table | None,
    working: bool,
) -> Figures:
    found = Figures(start, end, working=working)
    dialect = (await session.connection()).dialect.name
    only = [Case.queue == queue] if queue else []
    opened = and_(Case.opened_at >= start, Case.opened_at < end, *only)
    resolved = and_(Case.resolved_at >= start, Case.resolved_at < end, *only)

    async def counts(column: Any, where: ColumnElement[bool]) -> dict[Any, int]:
        rows = await session.execute(
            select(column, func.count()).where(where).group_by(column).order_by(column)
        )
        return {key: int(count) for key, count in rows if key is not None}

    found.by_channel = await counts(Case.channel, opened)
    found.by_category = await counts(Case.category, opened)
    found.by_severity = await counts(Case.severity, opened)
    found.by_queue = await counts(Case.queue, opened)
    found.per_assignee = await counts(func.coalesce(Case.assignee, literal("-")), opened)
    found.received = sum(found.by_channel.values())

    def taken(pairs: Select[Any, Any]) -> Select[Any]:
        """Seconds from ``a`` to ``b`` of each pair: working seconds, or the clock's."""
        if days is not None:
            return working_seconds(dialect, days, pairs)
        found_ = pairs.subquery()
        return select(seconds_between(dialect, found_.c.a, found_.c.b).label("s"))

    def until_first(moment: Any, *which: ColumnElement[bool]) -> Select[Any]:
        """Per case opened, seconds from opening to the first outbound message of a kind."""
        return taken(
            select(Case.opened_at.label("a"), func.min(moment).label("b"))
            .join(Outbox, Outbox.case_id == Case.id)
            .where(opened, *which)
            .group_by(Case.id, Case.opened_at)
        )

    found.acknowledged = await _spread(
        session,
        until_first(
            Outbox.sent_at,
            Outbox.template == "customer/acknowledgement",
            Outbox.sent_at.is_not(None),
        ),
    )
    # What a person wrote to the customer (automatic is False), the first time.
    found.first_response = await _spread(
        session,
        until_first(Outbox.created_at, Outbox.audience == "customer", Outbox.automatic.is_(False)),
    )
    resolution = select(Case.opened_at.label("a"), Case.resolved_at.label("b")).where(resolved)
    found.resolution = await _spread(session, taken(resolution))
    found.resolved = found.resolution.count

    met = case((Case.resolved_at <= Case.due_at, 1), else_=0)
    rows = await session.execute(
        select(Case.severity, func.count(), func.sum(met)).where(resolved).group_by(Case.severity)
    )
    found.within_target = {severity: (int(n), int(m or 0)) for severity, n, m in rows}
    found.decisions = await counts(Case.customer_decision, resolved)
    found.remedies = await counts(Case.remedy, resolved)
    found.satisfaction = await counts(Case.satisfaction, resolved)
    found.satisfaction_asked = int(
        await session.scalar(
            select(func.count()).where(resolved, Case.satisfaction_asked_at.is_not(None))
        )
        or 0
    )
    happened = and_(CaseEvent.created_at >= start, CaseEvent.created_at < end)
    in_queue = [CaseEvent.case_id.in_(select(Case.id).where(*only))] if queue else []
    reopening = and_(CaseEvent.kind == "status_changed", CaseEvent.to_status == "reopened")
    found.reopened = int(
        await session.scalar(select(func.count()).where(happened, reopening, *in_queue)) or 0
    )
    cause = CaseEvent.data["cause"].as_string()
    found.root_causes = await counts(
        cause, and_(happened, CaseEvent.kind == "root_cause", *in_queue)
    )
    return found


async def _spread(session: AsyncSession, durations: Select[Any]) -> Durations:
    """Count, median and 90th percentile of a one-column query of seconds, in one pass: the
    values are ranked in the database and only the (at most four) around each share read."""
    values = durations.subquery()
    ranked = (
        select(
            values.c.s.label("s"),
            (func.row_number().over(order_by=values.c.s) - 1).label("k"),
            func.count().over().label("n"),
        )
        .where(values.c.s.is_not(None))
        .subquery()
    )
    dialect = (await session.connection()).dialect.name

    def position(share: float) -> ColumnElement[Any]:
        at = share * (ranked.c.n - 1)
        # Whole part: SQLite's CAST truncates; PostgreSQL's rounds, so floor() there.
        return cast(at, Integer) if dialect == "sqlite" else func.floor(at)

    wanted = [position(0.5), position(0.5) + 1, position(0.9), position(0.9) + 1]
    rows = (
        await session.execute(
            select(ranked.c.k, ranked.c.s, ranked.c.n).where(
                or_(*(ranked.c.k == place for place in wanted))
            )
        )
    ).all()
    if not rows:
        return Durations(0, None, None)
    count = int(rows[0].n)
    found = {int(row.k): float(row.s) for row in rows}

    def at(share: float) -> float:
        # Between the two nearest values, as a spreadsheet's PERCENTILE does.
        place = share * (count - 1)
        below = int(place)
        low = found[below]
        high = found.get(below + 1, low)
        # SQLite's day arithmetic is floating point: 30 s comes back as 29.9999982.
        return round(low + (high - low) * (place - below), 3)

    return Durations(count, at(0.5), at(0.9))


async def open_cases(
    session: AsyncSession, now: datetime, queue: str | None
) -> dict[str, dict[str, int]]:
    """Cases still open now, by stage and by how long they have been open."""
    bucket = case(
        *[
            (Case.opened_at >= now - timedelta(days=days), label)
            for label, days in AGE_BUCKETS
            if days is not None
        ],
        else_=AGE_BUCKETS[-1][0],
    )
    only = [Case.queue == queue] if queue else []
    rows = await session.execute(
        select(Case.status, bucket, func.count())
        .where(Case.status.not_in(FINISHED), *only)
        .group_by(Case.status, bucket)
    )
    found: dict[str, dict[str, int]] = {}
    for status, age, count in rows:
        found.setdefault(status, dict.fromkeys((label for label, _ in AGE_BUCKETS), 0))[age] = int(
            count
        )
    return dict(sorted(found.items()))
