"""The weekly review: written and announced to staff once a week has ended, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services.app import App
from bot.services.weekly_review import send_weekly_review
from bot.storage.models import Outbox
from fakes import FakeClock
from tests.bot.conversation import register_complaint
from tests.support.apps import migrated_app


async def test_last_weeks_review_is_written_and_staff_are_told_once(
    app: App, clock: FakeClock
) -> None:
    # A complaint on some day of a week; then the Monday after that week.
    await register_complaint(app)
    day = clock().date()
    clock.advance(days=7 - day.weekday(), hours=1)
    path = await send_weekly_review(app, clock())
    assert path is not None
    page = path.read_text(encoding="utf-8")
    assert "Complaints received" in page
    monday = day - timedelta(days=day.weekday())
    assert f"complaints-review-{monday}-to-{monday + timedelta(days=6)}.html" == path.name
    async with app.sessions() as session:
        [notice] = (
            await session.scalars(select(Outbox).where(Outbox.template == "staff/weekly_review"))
        ).all()
    assert notice.audience == "staff"
    assert "1 received (0 the week before)" in notice.text
    assert str(path) in notice.text
    # Looked at again by this server, or by another on the same database: not again.
    clock.advance(hours=1)
    assert await send_weekly_review(app, clock()) is None
    async with migrated_app(app.settings, clock) as other:
        assert await send_weekly_review(other, clock()) is None


async def test_a_new_installation_with_nothing_to_review_sends_nothing(
    app: App, clock: FakeClock
) -> None:
    clock.advance(days=8)
    assert await send_weekly_review(app, clock()) is None
    async with app.sessions() as session:
        sent = (await session.scalars(select(Outbox))).all()
    assert sent == []
