"""The terminal adapter: choices as a numbered list, typed bytes kept raw."""

from __future__ import annotations

from datetime import UTC, datetime

from channels.base import Choice, OutboundMessage
from channels.console import ConsoleAdapter, inbound


async def test_choices_are_shown_as_a_numbered_list() -> None:
    printed: list[str] = []
    adapter = ConsoleAdapter(printed.append)
    message = OutboundMessage(
        "console",
        "alice",
        "Pick one",
        7,
        choices=(Choice("refund", "A refund"), Choice("repair", "A repair")),
    )
    result = await adapter.send(message)
    assert printed == ["Pick one\n  1. A refund\n  2. A repair"]
    assert result.provider_id == "console-7"


def test_a_typed_line_keeps_its_bytes_and_survives_bad_utf8() -> None:
    line = b"caf\xe9 \xf0\x9f\x93\xa6"
    message = inbound("alice", line, datetime(2026, 1, 1, tzinfo=UTC))
    assert message.raw == line
    assert "\ufffd" in message.text
    assert message.text.endswith("📦")
    assert not message.lasting_address
    assert message.provider_id != inbound("alice", line, message.received_at).provider_id
