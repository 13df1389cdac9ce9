"""The terminal channel: a customer conversation in a shell, no credentials needed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from channels.base import DeliveryResult, InboundMessage, OutboundMessage, numbered_choices

CHANNEL = "console"


class ConsoleAdapter:
    """Writes a customer's messages to their terminal."""

    name = CHANNEL

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Print the message, its choices as a numbered list."""
        lines = [message.text, *numbered_choices(message)]
        self._write("\n".join(lines))
        return DeliveryResult(provider_id=f"console-{message.outbox_id}")


def inbound(
    name: str, line: bytes, now: datetime, display_name: str | None = None
) -> InboundMessage:
    """A typed line as an inbound message (the terminal gives no lasting address).

    ``name`` identifies the terminal customer; ``display_name`` is only given when they said
    who they are, so a login name never becomes a customer's name.
    """
    return InboundMessage(
        channel=CHANNEL,
        address=name,
        provider_id=str(uuid.uuid4()),
        text=line.decode("utf-8", errors="replace"),
        received_at=now,
        display_name=display_name,
        raw=line,
        lasting_address=False,
    )
