"""Events handled once: a provider's or staff member's event id, or a request's signature."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import ProcessedEvent


async def first_time(session: AsyncSession, source: str, event_id: str, now: datetime) -> bool:
    """Record ``event_id`` from ``source`` in this transaction; False if it was seen before."""
    try:
        async with session.begin_nested():
            session.add(ProcessedEvent(source=source, event_id=event_id, created_at=now))
            await session.flush()
    except IntegrityError:
        return False
    return True
