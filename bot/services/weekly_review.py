"""The weekly review: last week's report written to the data folder, and staff told.

Once a week (the first time ``serve`` looks after a week ends, Monday to Sunday in the
organisation's timezone) the management review of that week is written to
``<data_dir>/reports/`` (the page, and its charts as PNG beside it) and a summary goes to the
default queue's staff destinations: the staff feed says where the page is; a Slack channel
gets the charts as images and the page as a file. Handled once across every server:
the week is recorded as a processed event in the same transaction as the notices.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from bot.outbox_files import file_entry
from bot.services.app import App
from bot.services.notices import NoticeWriter
from bot.services.once import first_time
from bot.storage.models import ProcessedEvent

log = logging.getLogger(__name__)
SOURCE = "weekly-review"


async def send_weekly_review(app: App, now: datetime) -> Path | None:
    """Last week's review, written and announced if nobody has yet; the page's path."""
    today = now.astimezone(app.settings.zone).date()
    last = today - timedelta(days=today.weekday() + 1)  # last Sunday
    first = last - timedelta(days=6)
    async with app.sessions() as session:
        done = await session.scalar(
            select(ProcessedEvent.id).where(
                ProcessedEvent.source == SOURCE, ProcessedEvent.event_id == first.isoformat()
            )
        )
    if done is not None:
        return None  # the usual case: looked at hourly, made once a week
    from bot.reports import review

    made = await review.build(app, first, last)
    now_, then_ = made.current, made.previous
    if not (now_.received or then_.received or now_.resolved or made.open_now):
        return None  # nothing has happened yet (a new installation): nothing to review
    # Drawing the charts takes CPU seconds: in a thread, so replies keep leaving meanwhile.
    page = await asyncio.to_thread(review.as_html, made, app.renderer)
    images = await asyncio.to_thread(review.chart_images, made, app.renderer)
    open_count = sum(sum(ages.values()) for ages in made.open_now.values())
    folder = app.settings.data_dir / "reports"
    name = f"complaints-review-{first}-to-{last}"
    path = folder / f"{name}.html"
    charts = {folder / name / f"{chart}.png": (title, image) for chart, title, image in images}
    # Slack shows the charts as images, and the page itself as a file to open.
    files = [file_entry(app.settings.data_dir, at, title) for at, (title, _) in charts.items()]
    files.append(file_entry(app.settings.data_dir, path, path.name))
    async with app.transaction() as session:
        if not await first_time(session, SOURCE, first.isoformat(), now):
            return None
        notices = NoticeWriter(session, app.renderer, app.staff, now)
        notices.notify(
            None,
            app.intake.rules.default_queue,
            "staff/weekly_review",
            {
                "review": made,
                "this_week": made.current,
                "week_before": made.previous,
                "open_count": open_count,
                "path": path,
            },
            files=files,
        )
        notices.add_to_session()
        # Written before the commit: the notice never points at a page that is not there.
        _write({path: page.encode()} | {at: image for at, (_, image) in charts.items()})
    log.info("weekly review for %s to %s written to %s", first, last, path)
    return path


def _write(files: dict[Path, bytes]) -> None:
    for path, content in files.items():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.write_bytes(content)
