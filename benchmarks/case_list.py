"""Benchmark: `cases list` queries at scale (newest first; by status; by queue).

    .venv/bin/python -m benchmarks.case_list [--cases 1000000] [--without-indexes]
        [--database sqlite|postgresql]

Fills a fresh SQLite database (or PostgreSQL: a private server the script starts, or
COMPLAINTBOT_TEST_DATABASE_URL) with ``--cases`` cases (bulk inserts, one customer), then
times the query behind `complaintbot cases list` (50 newest, and 50 newest of one status or
queue), median of 5 runs each. ``--without-indexes`` drops the case-list indexes first, to
show what they save. Then the staff commands themselves, as staff run them (a new
`complaintbot` process each time, start-up included): `cases list` and `cases show REF`,
median of 5, on the empty database first and on the full one after. Filling a million cases
takes a minute or two. Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from benchmarks.apps import fresh_app
from bot.services.app import App
from bot.services.queries import list_cases
from bot.storage.models import Case, Customer, Identity
from fakes import SeededRandom
from fakes.postgres import postgres_url_for_tests
from workflows.references import generate_reference

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


def command_seconds(app: App, *command: str) -> float:
    """Median seconds of five runs of a staff command in its own process, as staff run it."""
    env = {**os.environ, "COMPLAINTBOT_DATA_DIR": str(app.settings.data_dir)}
    env["DATABASE_URL"] = str(app.settings.database_url)
    complaintbot = str(Path(sys.executable).with_name("complaintbot"))
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run([complaintbot, *command], env=env, check=True, capture_output=True)  # noqa: S603
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


async def looked_up(app: App) -> str:
    """One case with a valid reference, for `cases show` (the bulk ones have made-up ones)."""
    reference = generate_reference(app.settings.reference_prefix, SeededRandom())
    async with app.transaction() as session:
        await session.execute(insert(Customer).values(id=2, created_at=app.clock()))
        await session.execute(
            insert(Identity).values(
                id=2, customer_id=2, channel="sms", address="+447700900456", created_at=app.clock()
            )
        )
        await session.execute(
            insert(Case).values(
                reference=reference,
                customer_id=2,
                identity_id=2,
                channel="sms",
                status="acknowledged",
                category="product",
                severity="normal",
                queue="complaints",
                triage=[],
                description="The one staff look up.",
                opened_at=app.clock(),
                updated_at=app.clock(),
            )
        )
    return reference


def time_commands(app: App, reference: str, label: str) -> None:
    """`cases list` and `cases show` on the app's database, printed in milliseconds."""
    listed = command_seconds(app, "cases", "list")
    shown = command_seconds(app, "cases", "show", reference)
    print(
        f"{label}: complaintbot cases list {listed * 1000:.0f} ms, cases show {shown * 1000:.0f} ms"
    )


async def run(count: int, without_indexes: bool, database_url: str | None) -> None:
    """Fill, optionally drop the indexes, time the three queries and the staff commands."""
    async with fresh_app(database_url=database_url) as app:
        reference = await looked_up(app)
        time_commands(app, reference, "empty database (one case)")
        started = time.perf_counter()
        await fill(app, count)
        print(f"filled {count:,} cases in {time.perf_counter() - started:.0f} s")
        if without_indexes:
            async with app.engine.begin() as connection:
                for name in INDEXES:
                    await connection.execute(text(f"DROP INDEX {name}"))
        if app.engine.dialect.name == "postgresql":
            async with app.engine.begin() as connection:
                await connection.execute(text("ANALYZE"))  # as autovacuum soon would
        newest = await timed(app)
        by_status = await timed(app, status="investigating")
        by_queue = await timed(app, queue="billing")
        time_commands(app, reference, f"{count:,} cases")
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
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    if args.database == "sqlite":
        asyncio.run(run(args.cases, args.without_indexes, None))
        return 0
    with postgres_url_for_tests() as url:
        asyncio.run(run(args.cases, args.without_indexes, url))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
