"""The local staff feed: staff notifications appended to one file per queue.

Until a staff chat (Slack) is configured, this is where staff see new cases, follow-ups and
SLA alerts; `tail -f data/staff-feed/complaints.log` is the simplest staff console.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from channels.base import DeliveryResult, OutboundMessage

CHANNEL = "staff-feed"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


class StaffFeedAdapter:
    """Appends each staff message to ``<directory>/<queue>.log``."""

    name = CHANNEL

    def __init__(self, directory: Path) -> None:
        self._directory = directory

    def path_for(self, queue: str) -> Path:
        """The file a queue's messages go to (queue names are sanitised)."""
        return self._directory / f"{_SAFE_NAME.sub('_', queue) or 'queue'}.log"

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Append the message with a separator line."""
        path = self.path_for(message.address)
        await asyncio.to_thread(self._append, path, message.text)
        return DeliveryResult(provider_id=f"{path.name}#{message.outbox_id}")

    def _append(self, path: Path, text: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text.rstrip("\n") + "\n\n")
