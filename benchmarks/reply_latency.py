"""Benchmark: how long a reply waits between the commit that creates it and its send.

    .venv/bin/python -m benchmarks.reply_latency [--messages 50] [--gap 0.2]

A dispatcher runs as in `serve` (polling every COMPLAINTBOT_POLL_INTERVAL_SECONDS, 1 s by
default); customer messages arrive one at a time, ``--gap`` seconds apart, each asking for
help (one reply). Prints the wait from the end of each message's commit to the moment the
channel adapter is handed its reply: p50, p90, max. Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

from benchmarks.apps import fresh_app
from bot.outbox import Dispatcher
from bot.services.intake import handle_inbound
from channels.base import DeliveryResult, InboundMessage, OutboundMessage


class TimedAdapter:
    """A console adapter that notes when each reply was handed to it."""

    name = "console"

    def __init__(self) -> None:
        self.sent_at: dict[str, float] = {}

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Note the time the reply for this address arrived."""
        self.sent_at.setdefault(message.address, time.perf_counter())
        return DeliveryResult(provider_id=str(message.outbox_id))


async def run(messages: int, gap: float) -> list[float]:
    """Send ``messages`` help requests; the commit-to-send wait of each, in seconds."""
    async with fresh_app() as app:
        adapter = TimedAdapter()
        stop = asyncio.Event()
        dispatching = asyncio.create_task(Dispatcher(app, {"console": adapter}).run_forever(stop))
        committed: dict[str, float] = {}
        for _ in range(messages):
            address = f"customer-{uuid.uuid4().hex[:8]}"
            await handle_inbound(
                app,
                InboundMessage(
                    channel="console",
                    address=address,
                    provider_id=str(uuid.uuid4()),
                    text="help",
                    received_at=app.clock(),
                    lasting_address=False,
                ),
            )
            committed[address] = time.perf_counter()
            await asyncio.sleep(gap)
        await asyncio.sleep(app.settings.poll_interval_seconds * 2)
        stop.set()
        await dispatching
    return [adapter.sent_at[a] - at for a, at in committed.items() if a in adapter.sent_at]


def main() -> int:
    """Parse arguments, run, print the waits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.2)
    args = parser.parse_args()
    waits = sorted(asyncio.run(run(args.messages, args.gap)))
    print(
        f"{len(waits)} replies: commit to send p50 {statistics.median(waits) * 1000:.0f} ms, "
        f"p90 {waits[int(len(waits) * 0.9)] * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
