"""A polled channel's offset and lease in the database: one poller across all instances, and
a restart that neither loses nor repeats updates."""

from __future__ import annotations

import os
import secrets
import socket
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from bot.services.app import App
from bot.storage.models import ChannelCursor

# A poller renews its lease on every poll; one that stops renewing (it crashed) is replaced
# after this long.
LEASE = timedelta(seconds=90)


def holder_name() -> str:
    """Who this process is, for the lease (host, pid and a random tag)."""
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{secrets.token_hex(4)}"


class Cursor:
    """The offset of one polled source, read and advanced under a lease."""

    def __init__(self, app: App, name: str, holder: str) -> None:
        self._app = app
        self.name = name
        self.holder = holder

    async def take(self) -> int | None:
        """Take or renew the lease; the offset to poll from, or None if another holds it."""
        now = self._app.clock()
        try:
            async with self._app.transaction() as session:
                row = await session.get(ChannelCursor, self.name, with_for_update=True)
                if row is None:
                    row = ChannelCursor(name=self.name, position=0, updated_at=now)
                    session.add(row)
                elif (
                    row.holder not in (None, self.holder)
                    and row.lease_until is not None
                    and row.lease_until > now
                ):
                    return None
                row.holder = self.holder
                row.lease_until = now + LEASE
                return row.position
        except IntegrityError:
            return None  # another instance created the row at the same moment: it polls

    async def advance(self, position: int) -> bool:
        """Record that everything before ``position`` is handled; False if the lease was lost."""
        now = self._app.clock()
        async with self._app.transaction() as session:
            row = await session.get(ChannelCursor, self.name, with_for_update=True)
            if row is None or row.holder != self.holder:
                return False
            row.position = max(row.position, position)
            row.lease_until = now + LEASE
            row.updated_at = now
            return True

    async def release(self) -> None:
        """Give the lease up (stopping), so another instance polls at once."""
        async with self._app.transaction() as session:
            row = await session.get(ChannelCursor, self.name, with_for_update=True)
            if row is not None and row.holder == self.holder:
                row.holder = None
                row.lease_until = None
