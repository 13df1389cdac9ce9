"""Benchmark: `cases list` queries at scale (newest first; by status; by queue).

    .venv/bin/python -m benchmarks.case_list [--cases 1000000] [--without-indexes]

Fills a fresh SQLite database with ``--cases`` cases (bulk inserts, one customer), then
times the query behind `complaintbot cases list` (50 newest, and 50 newest of one status or
queue), median of 5 runs each. ``--without-indexes`` drops the case-list indexes first, to
show what they save. Filling a million cases takes a minute or two. Numbers are for this
machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from benchmarks.apps import fresh_app
from bot.services.app import App
from bot.services.queries import list_cases
from bot.storage.models import Case, Customer, Identity

BATCH = 20_000
STATUSES = ("new", "acknowledged", "investigating", "resolved", "closed")
QUEUES = ("complaints", "billing", "complaints-urgent", "delivery")
INDEXES = ("ix_cases_opened", "ix_cases_status_opened", "ix_cases_queue_opened")


async def fill(app: App, count: int) -> None:
    """``count`` cases, opened a minute apart, spread over statuses and queues."""
    start = datetime(2020, 1, 1, tzinfo=UTC)
    async with app.transaction() as session:
        await session.execute(insert(Customer).values(id=1, created_at=start))
        await session.execute(
            insert(Identity).values(
                id=1, customer_id=1, channel="sms", address="+447700900123", created_at=start
            )
        )
    for first in range(0, count, BATCH):
        rows = [
            {
                "reference": f"CB-{n:09d}",
                "customer_id": 1,
                "identity_id": 1,
                "channel": "sms",
                "status": STATUSES[n % len(STATUSES)],
                "category": "product",
                "severity": "normal",
                "queue": QUEUES[n % len(QUEUES)],
                "triage": [],
                "description": "My order never came.",
                "opened_at": start + timedelta(minutes=n),
                "updated_at": start + timedelta(minutes=n),
            }
            for n in range(first, min(first + BATCH, count))
        ]
        async with app.transaction() as session:
            await session.execute(insert(Case), rows)


async def timed(app: App, **filters: str) -> float:
    """Median seconds of five runs of the list query."""
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        found = await list_cases(app, **filters)
        runs.append(time.perf_counter() - started)
        assert len(found) == 50
    return statistics.median(runs)


async def run(count: int, without_indexes: bool) -> None:
    """Fill, optionally drop the indexes, time the three queries."""
    async with fresh_app() as app:
        started = time.perf_counter()
        await fill(app, count)
        print(f"filled {count:,} cases in {time.perf_counter() - started:.0f} s")
        if without_indexes:
            async with app.engine.begin() as connection:
                for name in INDEXES:
                    await connection.execute(text(f"DROP INDEX {name}"))
        newest = await timed(app)
        by_status = await timed(app, status="investigating")
        by_queue = await timed(app, queue="billing")
    label = "without the indexes" if without_indexes else "with the indexes"
    print(
        f"{label}: newest {newest * 1000:.1f} ms, by status {by_status * 1000:.1f} ms, "
        f"by queue {by_queue * 1000:.1f} ms"
    )


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--without-indexes", action="store_true")
    args = parser.parse_args()
    asyncio.run(run(args.cases, args.without_indexes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
