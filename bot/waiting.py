"""Waiting for whichever of several events comes first, or a timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence


async def first_of(events: Sequence[asyncio.Event], seconds: float) -> None:
    """Return when any of ``events`` is set, or after ``seconds``, whichever is sooner."""
    waits = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waits, timeout=seconds, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits:
            waiting.cancel()
