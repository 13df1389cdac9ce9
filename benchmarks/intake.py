"""Benchmark: whole complaints through the intake service, and outbox dispatch, per database.

    .venv/bin/python -m benchmarks.intake [--customers 200] [--postgres]

Prints messages per second and per-message latency (p50, p95, max) for intake, and rows per
second for the outbox dispatcher. --postgres starts a private PostgreSQL server (as the tests
do) unless COMPLAINTBOT_TEST_DATABASE_URL names one. Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import func, select

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.services.intake import handle_inbound
from bot.settings import Settings
from bot.storage.migrate import upgrade
from bot.storage.models import Case
from channels.base import InboundMessage
from fakes import FakeClock, RecordingAdapter, SeededRandom
from fakes.postgres import postgres_url_for_tests

CONVERSATION = (
    "hello",
    "My parcel never arrived yesterday although the courier says delivered, order #A12345",
    "refund",
    "Alex Doe",
    "customer@example.com",
    "yes",
    "yes",
)


def message(app: App, text: str, address: str) -> InboundMessage:
    """A line typed by a customer in a terminal chat."""
    return InboundMessage(
        channel="console",
        address=address,
        provider_id=str(uuid.uuid4()),
        text=text,
        received_at=app.clock(),
        display_name=address,
        raw=text.encode(),
        lasting_address=False,
    )


async def run(url: str, customers: int, concurrency: int) -> dict[str, float]:
    """Run ``customers`` whole conversations on ``url``, then dispatch the outbox."""
    settings = Settings(_env_file=None, database_url=url)  # type: ignore[call-arg]
    app = App.create(settings, clock=FakeClock(), random=SeededRandom())
    await upgrade(app.engine)
    latencies: list[float] = []
    gate = asyncio.Semaphore(concurrency)

    async def customer(number: int) -> None:
        async with gate:
            for text in CONVERSATION:
                started = time.perf_counter()
                await handle_inbound(app, message(app, text, f"customer-{number}"))
                latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(customer(n) for n in range(customers)))
    intake_seconds = time.perf_counter() - started

    async with app.sessions() as session:
        cases = await session.scalar(select(func.count()).select_from(Case))
    if cases != customers:
        raise SystemExit(f"only {cases} of {customers} conversations registered a case")
    adapters = {"console": RecordingAdapter(), "staff-feed": RecordingAdapter("staff-feed")}
    started = time.perf_counter()
    sent = await Dispatcher(app, adapters).run_once()
    dispatch_seconds = time.perf_counter() - started
    await app.close()
    latencies.sort()
    return {
        "messages": len(latencies),
        "messages_per_second": len(latencies) / intake_seconds,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95)] * 1000,
        "max_ms": latencies[-1] * 1000,
        "outbox_rows": sent,
        "outbox_rows_per_second": sent / dispatch_seconds,
    }


def main() -> int:
    """Parse arguments, run each database, print one line per database."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--postgres", action="store_true", help="also run on PostgreSQL")
    args = parser.parse_args()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        targets = {"sqlite": f"sqlite+aiosqlite:///{folder / 'bench.db'}"}
        if args.postgres:
            targets["postgresql"] = stack.enter_context(postgres_url_for_tests("bench"))
        print(
            f"{args.customers} customers x {len(CONVERSATION)} messages, "
            f"{args.concurrency} at a time"
        )
        for name, url in targets.items():
            result = asyncio.run(run(url, args.customers, args.concurrency))
            print(
                f"{name:10s} intake {result['messages_per_second']:7.1f} msg/s  "
                f"p50 {result['p50_ms']:6.1f} ms  p95 {result['p95_ms']:6.1f} ms  "
                f"max {result['max_ms']:7.1f} ms | outbox {result['outbox_rows']:.0f} rows "
                f"{result['outbox_rows_per_second']:7.1f} rows/s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
