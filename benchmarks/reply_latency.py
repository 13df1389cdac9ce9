"""Benchmark: how long a reply waits between the commit that creates it and its send.

    .venv/bin/python -m benchmarks.reply_latency [--messages 50] [--gap 0.2] [--provider-ms 0]

A dispatcher runs as in `serve` (woken by each commit, polling every
COMPLAINTBOT_POLL_INTERVAL_SECONDS as a fallback); customer messages arrive one at a time,
``--gap`` seconds apart (0: a burst, as fast as intake takes them), each from a different
customer asking for help (one reply). The adapter takes ``--provider-ms`` to answer each
send, as a provider's API does. Prints the wait from the end of each message's commit to the
moment the adapter is handed its reply (p50, p90, max), and how long after the last commit
the last reply was handed over. Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
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

    def __init__(self, expected: int, provider_seconds: float = 0.0) -> None:
        self.sent_at: dict[str, float] = {}
        self.all_sent = asyncio.Event()
        self._expected = expected
        self._provider_seconds = provider_seconds

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Note the time the reply for this address arrived, then take the provider's time."""
        self.sent_at.setdefault(message.address, time.perf_counter())
        if len(self.sent_at) >= self._expected:
            self.all_sent.set()
        await asyncio.sleep(self._provider_seconds)
        return DeliveryResult(provider_id=str(message.outbox_id))


async def run(messages: int, gap: float, provider_seconds: float) -> tuple[list[float], float]:
    """Send ``messages`` help requests: the commit-to-send wait of each, and the time from the
    last commit to the last send, in seconds."""
    async with fresh_app() as app:
        adapter = TimedAdapter(messages, provider_seconds)
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
        last_commit = max(committed.values(), default=time.perf_counter())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(adapter.all_sent.wait(), 60)
        stop.set()
        await dispatching
    waits = [adapter.sent_at[a] - at for a, at in committed.items() if a in adapter.sent_at]
    return waits, max(adapter.sent_at.values(), default=last_commit) - last_commit


def main() -> int:
    """Parse arguments, run, print the waits."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50)
    parser.add_argument("--gap", type=float, default=0.2)
    parser.add_argument("--provider-ms", type=float, default=0.0)
    args = parser.parse_args()
    found, drained = asyncio.run(run(args.messages, args.gap, args.provider_ms / 1000))
    waits = sorted(found)
    print(
        f"{len(waits)} replies: commit to send p50 {statistics.median(waits) * 1000:.0f} ms, "
        f"p90 {waits[int(len(waits) * 0.9)] * 1000:.0f} ms, max {waits[-1] * 1000:.0f} ms; "
        f"last reply {drained * 1000:.0f} ms after the last commit"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
