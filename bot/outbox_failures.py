"""What happens when an outbound message fails for good: staff see it, and a notice still
reaches someone."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.destinations import STAFF_FEED
from bot.services.app import App
from bot.services.delivery import mark_failed
from bot.services.notices import (
    CARD,
    ESCALATION,
    NoticeWriter,
    delivery_failed_line,
    feed_fallback,
)
from bot.services.reachability import mark_unreachable
from bot.storage.models import Case, Outbox

log = logging.getLogger(__name__)
# Where a staff notice about no case goes when its rich destination refused it.
STAFF_FALLBACK_QUEUE = "staff"


async def give_up(
    app: App,
    session: AsyncSession,
    row: Outbox,
    reason: str,
    now: datetime,
    *,
    unreachable: bool = False,
) -> None:
    """Mark a row failed for good, in the caller's transaction, and tell staff."""
    log.warning("outbox row %s failed for good: %s", row.id, reason)
    # Staff must see that the customer was not reached.
    mark_failed(session, row, reason, now, attempts=row.attempts)
    await delivery_failed_line(session, app.renderer, app.staff, row, reason, now)
    if unreachable and row.audience == "customer":
        notices = NoticeWriter(session, app.renderer, app.staff, now)
        await mark_unreachable(session, row.channel, row.address, reason, notices)
    if row.audience == "staff" and row.channel != STAFF_FEED:
        # A staff notice must reach someone: the staff feed always can (unless the feed has
        # it already).
        queue = await _feed_queue(app, session, row)
        if queue is not None:
            session.add(feed_fallback(row, queue, now))


async def _feed_queue(app: App, session: AsyncSession, row: Outbox) -> str | None:
    """The staff feed file a refused notice goes to, or None if the feed got it already."""
    staff = app.staff
    if row.notice == ESCALATION:
        feeds = staff.for_escalation()
        queue = staff.escalation_feed_queue
    else:
        queue = STAFF_FALLBACK_QUEUE
        if row.case_id is not None:
            queue = (await session.get_one(Case, row.case_id)).queue
        feeds = staff.for_queue(queue)
    if any(d.channel == STAFF_FEED for d in feeds) and row.notice != CARD:
        return None
    return queue
