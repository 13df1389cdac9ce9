"""The management review: the numbers a complaints manager reads, counted from what happened."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta

from bot.outbox import Dispatcher
from bot.reports import review
from bot.services.app import App
from fakes import FakeClock, RecordingAdapter
from tests.bot.conversation import register_complaint, staff_action
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffActionKind


async def send_everything(app: App) -> None:
    adapters = {"console": RecordingAdapter(), "staff-feed": RecordingAdapter("staff-feed")}
    await Dispatcher(app, adapters).run_once()


async def four_weeks_of_complaints(app: App, clock: FakeClock) -> dict[str, str]:
    """One complaint in the four weeks before; three in these four weeks, handled variously."""
    await register_complaint(app, "old")
    clock.advance(days=28)
    quick = await register_complaint(app, "alice")
    clock.advance(seconds=30)
    await send_everything(app)  # acknowledgements leave 30 s after registration
    slow = await register_complaint(app, "bob")
    untouched = await register_complaint(app, "carmen")
    await send_everything(app)
    clock.advance(hours=2)
    await staff_action(app, quick, StaffActionKind.REPLY, text="We are on it")
    await staff_action(app, quick, StaffActionKind.ASSIGN, assignee="<b>Dee</b>")
    clock.advance(hours=22)
    await staff_action(
        app,
        quick,
        StaffActionKind.STATUS,
        status=CaseStatus.RESOLVED,
        root_cause="complaint_handling",
    )
    await staff_action(app, slow, StaffActionKind.STATUS, status=CaseStatus.INVESTIGATING)
    clock.advance(hours=1)
    return {"quick": quick, "slow": slow, "untouched": untouched}


async def test_the_figures_count_what_happened_in_each_period(app: App, clock: FakeClock) -> None:
    await four_weeks_of_complaints(app, clock)
    made = await review.build(app)
    now, then = made.current, made.previous
    assert (now.received, then.received) == (3, 1)
    assert now.by_channel == {"console": 3}
    assert sum(now.by_severity.values()) == 3
    assert now.acknowledged.count == 3
    assert now.acknowledged.median == 0.0  # two of three left at once, one 30 s later
    assert now.acknowledged.p90 == 24.0  # between the two nearest, as PERCENTILE does
    # A reply after 2 hours; a status update the next day (both written by a person).
    first = now.first_response
    assert (first.count, first.median, first.p90) == (2, (7230 + 86400) / 2, 78483.0)
    assert (now.resolved, now.resolution.median) == (1, 24 * 3600 + 30)
    assert sum(resolved for resolved, _ in now.within_target.values()) == 1
    assert now.root_causes == {"complaint_handling": 1}
    assert now.about_the_process == 1
    assert now.per_assignee == {"-": 2, "<b>Dee</b>": 1}
    assert made.open_now["investigating"]["0-2 days"] == 1
    assert sum(made.open_now["acknowledged"].values()) == 2  # carmen's, and the old one
    assert now.satisfaction == {}
    assert now.satisfaction_mean is None


async def test_a_queue_and_a_period_narrow_the_figures(app: App, clock: FakeClock) -> None:
    await four_weeks_of_complaints(app, clock)
    today = clock().date()
    only_today = await review.build(app, today, today)
    assert only_today.current.received == 0  # all three were registered yesterday
    assert (await review.build(app, queue="nowhere")).current.received == 0
    last_month = await review.build(app, today - timedelta(days=60), today)
    assert last_month.current.received == 4


async def test_csv_and_json_carry_the_same_numbers_as_the_page(app: App, clock: FakeClock) -> None:
    await four_weeks_of_complaints(app, clock)
    made = await review.build(app)
    rows = {
        (row["section"], row["item"]): row
        for row in csv.DictReader(io.StringIO(review.as_csv(made)))
    }
    assert rows[("received", "all")]["this_period"] == "3"
    assert rows[("received", "all")]["previous_period"] == "1"
    assert rows[("root_causes", "complaint_handling")]["this_period"] == "1"
    assert rows[("resolution_seconds", "median")]["this_period"] == str(24 * 3600 + 30.0)
    document = json.loads(review.as_json(made))
    assert document["current"]["received"] == 3
    assert document["current"]["about_the_process"] == 1
    assert document["previous"]["received"] == 1


async def test_the_page_shows_every_section_with_a_table_and_escapes_what_people_typed(
    app: App, clock: FakeClock
) -> None:
    await four_weeks_of_complaints(app, clock)
    page = review.as_html(await review.build(app), app.renderer)
    for section in (
        "received",
        "timing",
        "targets",
        "open",
        "responses",
        "satisfaction",
        "root-causes",
        "process",
        "workload",
    ):
        assert f'<section id="{section}">' in page
    assert page.count("<svg") >= 4
    assert page.count("<table>") >= page.count("<svg")
    assert "&lt;b&gt;Dee&lt;/b&gt;" in page
    assert "<b>Dee</b>" not in page
    assert "Satisfaction scores: not recorded yet" in page
    assert "The complaints process itself" in page
    # Nothing is fetched: no scripts, no links out, a policy that forbids them.
    assert "<script" not in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "default-src 'none'" in page


async def test_an_empty_database_gives_a_report_that_says_so(app: App) -> None:
    made = await review.build(app)
    page = review.as_html(made, app.renderer)
    assert made.current.received == 0
    assert "No case is open." in page
    assert "Root causes: not recorded yet" in page
