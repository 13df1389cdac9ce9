"""The local staff feed: staff notifications appended to one file per queue.

Until a staff chat (Slack) is configured, this is where staff see new cases, follow-ups and
SLA alerts; `tail -f data/staff-feed/complaints.log` is the simplest staff console.
"""

from __future__ import annotations

import asyncio
import os
import re
from pathlib import Path

from channels.base import DeliveryResult, OutboundMessage

CHANNEL = "staff-feed"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")


class StaffFeedAdapter:
    """Appends each staff message to ``<directory>/<queue>.log``, once per outbox row.

    The ids of the rows written are kept beside the feed (``.<queue>.sent``): a row sent
    again after a crash (written, but not yet marked sent) is not written twice.
    """

    name = CHANNEL

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._written: dict[Path, set[int]] = {}

    def path_for(self, queue: str) -> Path:
        """The file a queue's messages go to (queue names are sanitised)."""
        return self._directory / f"{_SAFE_NAME.sub('_', queue) or 'queue'}.log"

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Append the message with a separator line, unless this row was written already."""
        path = self.path_for(message.address)
        await asyncio.to_thread(self._append, path, message.text, message.outbox_id)
        return DeliveryResult(provider_id=f"{path.name}#{message.outbox_id}")

    def _append(self, path: Path, text: str, outbox_id: int | None) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        ids = path.with_name(f".{path.stem}.sent")
        written = self._written.get(path)
        if written is None:
            written = self._written[path] = _ids_in(ids)
        if outbox_id is not None and outbox_id in written:
            return
        with path.open("a", encoding="utf-8") as handle:
            handle.write(text.rstrip("\n") + "\n\n")
            handle.flush()
            os.fsync(handle.fileno())
        if outbox_id is not None:
            with ids.open("a", encoding="ascii") as handle:
                handle.write(f"{outbox_id}\n")
                handle.flush()
                os.fsync(handle.fileno())
            written.add(outbox_id)


def _ids_in(path: Path) -> set[int]:
    try:
        lines = path.read_text(encoding="ascii").split()
    except FileNotFoundError:
        return set()
    return {int(line) for line in lines if line.isdigit()}
