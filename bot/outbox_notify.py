"""Waking dispatchers in other processes when outbox rows are committed (PostgreSQL).

In one process a commit sets the dispatcher's waker directly (``App._committed``). Across
processes sharing a PostgreSQL database, the committing transaction sends ``NOTIFY`` (held
back by the server until the commit) and each dispatcher ``LISTEN``s on a connection of its
own. Polling stays as the fallback: a lost connection only means waiting for the next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from bot.waiting import first_of

log = logging.getLogger(__name__)

CHANNEL = "complaintbot_outbox"
# Between attempts to listen again after the connection was lost.
RETRY_SECONDS = 5.0


def notifies(engine: AsyncEngine) -> bool:
    """Whether the database can wake other processes (PostgreSQL's NOTIFY)."""
    return engine.dialect.name == "postgresql"


async def notify_outbox(session: AsyncSession) -> None:
    """Have the transaction under way wake other processes' dispatchers when it commits."""
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


async def listen_for_outbox(engine: AsyncEngine, waker: asyncio.Event, stop: asyncio.Event) -> None:
    """Set ``waker`` whenever any process commits outbox rows, until ``stop`` is set."""
    if not notifies(engine):
        return
    while not stop.is_set():
        try:
            await _listen(engine, waker, stop)
        except Exception:
            log.warning("listening for new outbox rows failed; polling meanwhile", exc_info=True)
        await first_of([stop], RETRY_SECONDS)


async def _listen(engine: AsyncEngine, waker: asyncio.Event, stop: asyncio.Event) -> None:
    async with engine.connect() as connection:
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection  # asyncpg's own connection
        lost = asyncio.Event()

        def woken(*_: object) -> None:
            waker.set()

        def closed(*_: object) -> None:
            lost.set()

        await driver.add_listener(CHANNEL, woken)
        driver.add_termination_listener(closed)
        try:
            while not (stop.is_set() or lost.is_set()):
                await first_of([stop, lost], 3600)
        finally:
            driver.remove_termination_listener(closed)
            if not lost.is_set():
                with contextlib.suppress(Exception):
                    await driver.remove_listener(CHANNEL, woken)
