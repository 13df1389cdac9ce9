"""The report's times in working hours: the database's count agrees with the targets' clock."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.reports import review
from bot.reports.figures import figures
from bot.reports.working_clock import DAY, SLOTS, calendar_rows
from bot.services.app import App
from bot.settings import Settings
from bot.storage.models import Case
from fakes import FakeClock
from tests.bot.conversation import register_complaint, staff_action
from tests.support.apps import migrated_app
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffActionKind
from workflows.working_time import WorkingTime

LONDON = WorkingTime(
    zone=ZoneInfo("Europe/London"),
    opens=time(9),
    closes=time(17, 30),
    closed_on=frozenset({date(2026, 3, 30), date(2026, 12, 25)}),
)
# Open round the clock on Saturdays, across Auckland's DST change: spans cross UTC midnight.
AUCKLAND = WorkingTime(
    zone=ZoneInfo("Pacific/Auckland"),
    opens=time(0),
    closes=time(23, 59),
    weekdays=frozenset({0, 2, 5}),
)


def on_the_clock(rows: list[tuple[float, ...]], moment: datetime) -> float:
    """The working clock's reading at ``moment``, as the query computes it."""
    seconds = moment.timestamp()
    [row] = [row for row in rows if row[0] == seconds // DAY]
    total = row[1]
    for n in range(SLOTS):
        opens, closes = row[2 + 2 * n], row[3 + 2 * n]
        total += min(max(seconds - opens, 0.0), closes - opens)
    return total


@pytest.mark.parametrize("working", [LONDON, AUCKLAND], ids=["london", "auckland"])
def test_the_calendar_counts_what_the_targets_count(working: WorkingTime) -> None:
    first = datetime(2026, 3, 20, tzinfo=UTC)  # both zones change their clocks within weeks
    last = first + timedelta(days=60)
    rows = calendar_rows(working, first, last)
    pick = random.Random(7)
    for _ in range(500):
        a = first + timedelta(seconds=pick.uniform(0, 59 * DAY))
        b = a + timedelta(seconds=pick.uniform(0, (last - a).total_seconds()))
        counted = on_the_clock(rows, b) - on_the_clock(rows, a)
        assert counted == pytest.approx(working.between(a, b).total_seconds(), abs=1e-6)


def spread(values: list[float]) -> tuple[int, float, float]:
    values = sorted(values)

    def at(share: float) -> float:
        place = share * (len(values) - 1)
        below = int(place)
        high = values[min(below + 1, len(values) - 1)]
        return values[below] + (high - values[below]) * (place - below)

    return len(values), at(0.5), at(0.9)


async def test_the_reports_times_are_working_time_when_the_targets_are(
    app: App, clock: FakeClock
) -> None:
    # Complaints arriving at night, at weekends and in working hours; resolved days later.
    start = clock()
    references = []
    for gap in (13.5, 37, 61.25, 7, 90):
        clock.advance(hours=gap)
        references.append(await register_complaint(app, f"c{gap}"))
    for reference, hours in zip(references, (3, 50, 0.5, 120, 26), strict=True):
        clock.advance(hours=hours)
        await staff_action(app, reference, StaffActionKind.STATUS, status=CaseStatus.RESOLVED)
    end = clock() + timedelta(seconds=1)
    async with app.sessions() as session:
        cases = (await session.scalars(select(Case))).all()
        made = await figures(session, start, end, None, LONDON, end)
        wall = await figures(session, start, end, None)
    taken = [LONDON.between(c.opened_at, c.resolved_at).total_seconds() for c in cases]  # type: ignore[arg-type]
    count, median, p90 = spread(taken)
    assert made.working
    assert made.resolution.count == count == 5
    assert made.resolution.median == pytest.approx(median, abs=0.01)
    assert made.resolution.p90 == pytest.approx(p90, abs=0.01)
    assert not wall.working
    assert wall.resolution.median is not None
    assert made.resolution.median < wall.resolution.median  # nights and weekends left out


async def test_the_page_and_csv_say_the_times_are_working_hours(
    settings: Settings, clock: FakeClock, tmp_path: Path
) -> None:
    routing = tmp_path / "routing.toml"
    shipped = settings.routing_file.read_text()
    assert "[working_hours]\nenabled = false" in shipped
    routing.write_text(
        shipped.replace("[working_hours]\nenabled = false", "[working_hours]\nenabled = true")
    )
    async with migrated_app(settings.model_copy(update={"routing_file": routing}), clock) as app:
        reference = await register_complaint(app)
        clock.advance(days=3)
        await staff_action(app, reference, StaffActionKind.STATUS, status=CaseStatus.RESOLVED)
        made = await review.build(app)
    page = review.as_html(made, app.renderer)
    assert "Time taken in working hours" in page
    assert "working hours</text>" in page  # the chart's axis
    assert "days" not in page.split('id="timing"')[1].split("</section>")[0]
    assert "seconds_counted,working" in review.as_csv(made)
