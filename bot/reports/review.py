"""The management review report: two periods side by side, as HTML, CSV or JSON.

``build`` counts (bot/reports/figures.py) this period and the one before it of the same
length, and the cases open now. ``as_html`` is one self-contained page (charts inline as
SVG, no scripts, nothing fetched: its Content-Security-Policy allows nothing from outside);
``as_csv`` and ``as_json`` carry the same numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from bot.rendering import Renderer
from bot.reports.figures import AGE_BUCKETS, Durations, Figures, figures, open_cases
from bot.services.app import App
from bot.services.improvement import progress
from bot.working_hours import load_working_time

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_DAYS = 28
T = TypeVar("T", str, bytes)
# The page's charts, in its order (each has a [report] chart_<name> label as its title).
CHARTS = ("category", "channel", "severity", "timing", "open", "satisfaction", "root_causes")


@dataclass(frozen=True)
class Review:
    """What the report shows: this period, the one before, and what is open now."""

    organisation: str
    queue: str | None
    generated_at: datetime
    first_day: date
    last_day: date
    current: Figures
    previous: Figures
    open_now: dict[str, dict[str, int]]
    # Improvement actions (ISO 10002 8.7): each one's state and, once done, its effect.
    improvements: list[dict[str, Any]]


async def build(
    app: App, first: date | None = None, last: date | None = None, queue: str | None = None
) -> Review:
    """The review of [first, last] (days in the organisation's timezone; default: 4 weeks)."""
    zone = app.settings.zone
    now = app.clock()
    last = last or now.astimezone(zone).date()
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    start = datetime.combine(first, time(0), zone).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time(0), zone).astimezone(UTC)
    length = end - start
    async with app.sessions() as session:
        working = load_working_time(app.settings)
        current = await figures(session, start, end, queue, working, now)
        previous = await figures(session, start - length, start, queue, working, now)
        open_now = await open_cases(session, now, queue)
    actions = [
        {
            "id": found.action.id,
            "root_cause": found.action.root_cause,
            "what": found.action.what,
            "owner": found.action.owner,
            "due_on": found.action.due_on,
            "status": found.action.status,
            "overdue": found.overdue,
            "before": found.before,
            "after": found.after,
            "days": found.days,
        }
        for found in await progress(app, now)
    ]
    return Review(
        app.settings.organisation, queue, now, first, last, current, previous, open_now, actions
    )


def as_json(review: Review) -> str:
    """Every number of the report as JSON."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime | date):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    document = asdict(review)
    for period in ("current", "previous"):
        figures_ = getattr(review, period)
        document[period]["satisfaction_mean"] = figures_.satisfaction_mean
        document[period]["about_the_process"] = figures_.about_the_process
    return json.dumps(document, indent=2, default=plain, ensure_ascii=False) + "\n"


def as_csv(review: Review) -> str:
    """Every number of the report as CSV: section, item, this period, previous period."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "this_period", "previous_period"])
    writer.writerows(_rows(review))
    return out.getvalue()


def _rows(review: Review) -> Iterator[list[object]]:
    now, then = review.current, review.previous
    yield ["received", "all", now.received, then.received]
    for section in (
        "by_channel",
        "by_category",
        "by_severity",
        "by_queue",
        "per_assignee",
        "decisions",
        "remedies",
        "root_causes",
    ):
        ours, theirs = getattr(now, section), getattr(then, section)
        for key in sorted(set(ours) | set(theirs), key=str):
            yield [section, key, ours.get(key, 0), theirs.get(key, 0)]
    # Whether the *_seconds rows below count working time (the targets' hours) or the clock's.
    yield ["seconds_counted", "working" if now.working else "clock", "", ""]
    for section in ("acknowledged", "first_response", "resolution"):
        ours, theirs = getattr(now, section), getattr(then, section)
        for measure in ("count", "median", "p90"):
            yield [f"{section}_seconds", measure, getattr(ours, measure), getattr(theirs, measure)]
    for severity in sorted(set(now.within_target) | set(then.within_target)):
        ours, theirs = (
            now.within_target.get(severity, (0, 0)),
            then.within_target.get(severity, (0, 0)),
        )
        yield ["within_target", f"{severity}_resolved", ours[0], theirs[0]]
        yield ["within_target", f"{severity}_within", ours[1], theirs[1]]
    yield ["reopened", "all", now.reopened, then.reopened]
    for score in range(1, 6):
        yield [
            "satisfaction",
            score,
            now.satisfaction.get(score, 0),
            then.satisfaction.get(score, 0),
        ]
    yield ["satisfaction", "asked", now.satisfaction_asked, then.satisfaction_asked]
    yield ["satisfaction", "mean", now.satisfaction_mean, then.satisfaction_mean]
    yield ["about_the_process", "all", now.about_the_process, then.about_the_process]
    for stage, ages in review.open_now.items():
        for age, count in ages.items():
            yield ["open_now", f"{stage} {age}", count, ""]
    for action in review.improvements:
        state = "overdue" if action["overdue"] else action["status"]
        yield [
            "improvement_action",
            f"{action['id']} {action['root_cause']} {state}",
            action["after"],
            action["before"],
        ]


def as_html(review: Review, renderer: Renderer) -> str:
    """The report as one self-contained HTML page (CPU work: run it off the event loop)."""
    from bot.reports import charts

    drawn = _charts(review, renderer, charts.svg)
    context = {
        "review": review,
        "now": review.current,
        "then": review.previous,
        "ages": [label for label, _ in AGE_BUCKETS],
        "charts": {name: drawn.get(name, "") for name in CHARTS},
    }
    return renderer.page("report/review", context)


def chart_images(review: Review, renderer: Renderer) -> list[tuple[str, str, bytes]]:
    """The page's charts as PNG images (name, title, bytes), for where SVG is not shown."""
    from bot.reports import charts

    drawn = _charts(review, renderer, charts.png)
    return [(name, renderer.label(f"report.chart_{name}"), drawn[name]) for name in drawn]


def _charts(review: Review, renderer: Renderer, out: Callable[[Figure], T]) -> dict[str, T]:
    """Each chart with something to show, by name (as in CHARTS), drawn by ``out``."""
    # matplotlib (40 MB, a second to import) only when a chart is drawn.
    from bot.reports import charts

    now, then = review.current, review.previous
    current, previous = renderer.label("report.this_period"), renderer.label("report.previous")
    drawn: dict[str, T] = {}

    def compare(
        name: str, counts_now: dict[Any, int], counts_then: dict[Any, int], prefix: str = ""
    ) -> None:
        keys = sorted(set(counts_now) | set(counts_then), key=lambda k: -counts_now.get(k, 0))
        if not keys:
            return
        labels = [
            renderer.label_or(f"{prefix}{key}", str(key)) if prefix else str(key) for key in keys
        ]
        series = {
            current: [counts_now.get(k, 0) for k in keys],
            previous: [counts_then.get(k, 0) for k in keys],
        }
        drawn[name] = charts.bars(labels, series, out)

    def hours(found: Durations) -> list[float]:
        return [round((found.median or 0) / 3600, 1), round((found.p90 or 0) / 3600, 1)]

    compare("category", now.by_category, then.by_category, "category.")
    compare("channel", now.by_channel, then.by_channel, "channel.")
    compare("severity", now.by_severity, then.by_severity, "severity.")
    if now.received or now.resolved:
        measured = [now.acknowledged, now.first_response, now.resolution]
        drawn["timing"] = charts.bars(
            [
                renderer.label("report.acknowledged"),
                renderer.label("report.first_response"),
                renderer.label("report.resolution"),
            ],
            {
                f"{current}, {renderer.label('report.median')}": [hours(m)[0] for m in measured],
                f"{current}, {renderer.label('report.p90')}": [hours(m)[1] for m in measured],
            },
            out,
            unit=renderer.label("report.working_hours" if now.working else "report.hours"),
        )
    stages = list(review.open_now)
    if stages:
        drawn["open"] = charts.stacked(
            [renderer.label_or(f"status.{stage}", stage) for stage in stages],
            {age: [review.open_now[stage][age] for stage in stages] for age, _ in AGE_BUCKETS},
            out,
        )
    compare("satisfaction", now.satisfaction, then.satisfaction)
    compare("root_causes", now.root_causes, then.root_causes, "root_cause.")
    return drawn
