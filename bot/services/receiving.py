"""Taking a webhook's message: into intake within the provider's timeout, or into the journal.

The database can be locked by another process, slow, or gone for a while. A provider such as
Twilio waits 15 s for an answer and then drops the message, so a message that is not
committed within ``inbound_deadline_seconds`` is journaled on disk (bot.services.journal)
and the provider answered; the replayer brings it into the database once it is back.
"""

from __future__ import annotations

import asyncio
import enum
import logging

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.services.app import App
from bot.services.intake import handle_inbound
from bot.waiting import first_of
from channels.base import InboundMessage

log = logging.getLogger(__name__)
# What a database that is down, locked or refusing writes raises (asyncpg's connection
# refusals arrive as OSError).
UNAVAILABLE = (OperationalError, InterfaceError, OSError)
# Longest pause between replay attempts while the database stays down.
MAX_REPLAY_DELAY = 5.0


class Taken(enum.Enum):
    """Where a received message went."""

    HANDLED = "handled"
    JOURNALED = "journaled"


async def receive(app: App, message: InboundMessage) -> Taken:
    """Run ``message`` through intake, or journal it if that cannot finish in time.

    OSError only if the journal cannot be written either (the disk is full or read-only):
    then nothing was kept and the provider must be told to retry.
    """
    if app.journal.holding:
        # Earlier messages wait in the journal: this one goes behind them, in order.
        await app.journal.append(message)
        return Taken.JOURNALED
    task = asyncio.create_task(handle_inbound(app, message), name="inbound")
    try:
        await asyncio.wait_for(asyncio.shield(task), app.settings.inbound_deadline_seconds)
        return Taken.HANDLED
    except TimeoutError:
        # Left to finish: if it commits after all, the replayed copy is a duplicate.
        task.add_done_callback(_report_late)
        log.warning(
            "%s message %s not committed within %.1f s; journaled",
            message.channel,
            message.provider_id,
            app.settings.inbound_deadline_seconds,
        )
    except UNAVAILABLE as error:
        log.warning(
            "database unavailable (%s) for %s message %s; journaled",
            type(error).__name__,
            message.channel,
            message.provider_id,
        )
    await app.journal.append(message)
    return Taken.JOURNALED


async def replay_journal(app: App) -> int:
    """Bring journaled messages into the database now; how many were handled.

    Raises what the database raises when it is still unavailable.
    """

    async def handle(message: InboundMessage) -> None:
        await handle_inbound(app, message)

    return await app.journal.replay(handle)


async def replay_forever(app: App, stop: asyncio.Event) -> None:
    """Replay the journal whenever it has entries, backing off while the database is down."""
    delay = app.settings.poll_interval_seconds
    down = False
    while not stop.is_set():
        try:
            handled = await replay_journal(app)
        except UNAVAILABLE as error:
            if not down:
                log.warning("journaled messages wait for the database: %s", type(error).__name__)
            down = True
            delay = min(delay * 2, MAX_REPLAY_DELAY)
        except Exception:
            log.exception("replaying the inbound journal failed; will try again")
            delay = min(delay * 2, MAX_REPLAY_DELAY)
        else:
            if handled or down:
                log.info("the database took %d journaled messages", handled)
            down = False
            delay = app.settings.poll_interval_seconds
        app.journal.appended.clear()
        # While the database is down a new entry does not hurry the next attempt.
        await first_of([stop] if down else [stop, app.journal.appended], delay)


def _report_late(task: asyncio.Task[object]) -> None:
    if task.cancelled():
        return
    error = task.exception()
    if error is not None:
        log.warning("a late inbound transaction failed (%s); the journal has it", error)
