"""Benchmark: the management review (`complaintbot report`) over a million cases.

    .venv/bin/python -m benchmarks.report [--cases 1000000] [--keep FOLDER]

Fills a fresh SQLite database with ``--cases`` cases opened over two years (about 1,400 a
day), each with its acknowledgement, a reply by a person for half of them, a resolution,
remedy, decision and score for those resolved, a root cause recorded, and a reopening for one
in fifty, then times the report: the default four weeks, and a whole year, each counted and
rendered as HTML (charts included), median of 3 runs; and every case at once (the
previous period is then empty); each with times in clock hours, then in working hours (the
routing file's [working_hours] turned on). Filling a million takes a few minutes.
Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select

from benchmarks.apps import fresh_app
from bot.reports import review
from bot.services.app import App
from bot.storage.models import Case, CaseEvent, Customer, Identity, Outbox

BATCH = 20_000
SPAN = timedelta(days=730)
STATUSES = ("acknowledged", "investigating", "resolved", "closed", "closed", "closed")
CATEGORIES = ("delivery", "billing", "product", "service", "privacy", "general")
SEVERITIES = ("normal", "normal", "normal", "high", "critical")
CAUSES = ("product_fault", "delivery", "billing_error", "communication", "complaint_handling")


async def fill(app: App, count: int, end: datetime) -> None:
    """``count`` cases opened evenly over the two years up to ``end``."""
    start = end - SPAN
    step = SPAN / count
    async with app.transaction() as session:
        await session.execute(insert(Customer).values(id=1, created_at=start))
        await session.execute(
            insert(Identity).values(
                id=1, customer_id=1, channel="sms", address="+447700900123", created_at=start
            )
        )
    for first in range(0, count, BATCH):
        cases, outbox, events = [], [], []
        for n in range(first, min(first + BATCH, count)):
            opened = start + step * n
            status = STATUSES[n % len(STATUSES)]
            done = status in {"resolved", "closed"}
            resolved = opened + timedelta(hours=6 + n % 300) if done else None
            cases.append(
                {
                    "id": n + 1,
                    "reference": f"CB-{n:09d}",
                    "customer_id": 1,
                    "identity_id": 1,
                    "channel": ("sms", "email", "telegram")[n % 3],
                    "status": status,
                    "category": CATEGORIES[n % len(CATEGORIES)],
                    "severity": SEVERITIES[n % len(SEVERITIES)],
                    "queue": "complaints",
                    "triage": [],
                    "description": "My order never came.",
                    "assignee": ("ana", "bea", "carl", None)[n % 4],
                    "opened_at": opened,
                    "updated_at": resolved or opened,
                    "due_at": opened + timedelta(hours=240),
                    "resolved_at": resolved,
                    "remedy": "refund" if done else None,
                    "customer_decision": ("accepted", "rejected", None)[n % 3] if done else None,
                    "satisfaction_asked_at": resolved,
                    "satisfaction": 1 + n % 5 if done and n % 2 else None,
                }
            )
            message = {
                "case_id": n + 1,
                "audience": "customer",
                "channel": "sms",
                "address": "+447700900123",
                "text": "Thank you",
                "status": "sent",
                "next_attempt_at": opened,
            }
            outbox.append(
                {
                    **message,
                    "template": "customer/acknowledgement",
                    "automatic": True,
                    "created_at": opened,
                    "sent_at": opened + timedelta(seconds=1 + n % 5),
                }
            )
            if n % 2:
                replied = opened + timedelta(hours=1 + n % 48)
                outbox.append(
                    {
                        **message,
                        "template": "customer/staff_reply",
                        "automatic": False,
                        "created_at": replied,
                        "sent_at": replied,
                    }
                )
            event = {"case_id": n + 1, "actor": "ana", "channel": "cli", "created_at": resolved}
            if resolved is not None:
                cause = CAUSES[n % len(CAUSES)]
                events.append({**event, "kind": "root_cause", "data": {"cause": cause}})
            if resolved is not None and n % 50 == 0:
                events.append(
                    {**event, "kind": "status_changed", "to_status": "reopened", "data": {}}
                )
        async with app.transaction() as session:
            await session.execute(insert(Case), cases)
            await session.execute(insert(Outbox), outbox)
            if events:
                await session.execute(insert(CaseEvent), events)


async def timed(app: App, first: date | None, last: date | None) -> tuple[float, float, int]:
    """Median seconds to count and to render, of three runs; and the cases received."""
    counting, rendering = [], []
    received = 0
    for _ in range(3):
        started = time.perf_counter()
        made = await review.build(app, first, last)
        counted = time.perf_counter()
        review.as_html(made, app.renderer)
        rendering.append(time.perf_counter() - counted)
        counting.append(counted - started)
        received = made.current.received
    return statistics.median(counting), statistics.median(rendering), received


async def run(count: int, keep: Path | None) -> None:
    """Fill (unless ``keep`` holds a filled database), then time the reports."""
    async with fresh_app(keep) as app:
        now = app.clock()
        async with app.sessions() as session:
            there = await session.scalar(select(func.count()).select_from(Case))
        if there:
            print(f"reusing {there:,} cases in {keep}")
        else:
            started = time.perf_counter()
            await fill(app, count, now)
            print(f"filled {count:,} cases in {time.perf_counter() - started:.0f} s", flush=True)
        today = now.date()
        async with working_hours(app) as working:
            for clock, made_by in (("clock hours", app), ("working hours", working)):
                print(f"times in {clock}:")
                for label, first in (
                    ("last 4 weeks", None),
                    ("last 365 days", today - timedelta(days=364)),
                    ("all 730 days", today - timedelta(days=730)),
                ):
                    counting, rendering, received = await timed(made_by, first, today)
                    print(
                        f"  {label:14s} {received:>9,} cases received: counted in "
                        f"{counting:6.2f} s, page rendered in {rendering:5.2f} s, "
                        f"total {counting + rendering:6.2f} s",
                        flush=True,
                    )


@contextlib.asynccontextmanager
async def working_hours(app: App) -> AsyncIterator[App]:
    """The same database, with the routing file's working hours on (as an operator sets it)."""
    shipped = app.settings.routing_file.read_text(encoding="utf-8")
    routing = app.settings.data_dir / "routing.toml"
    routing.write_text(
        shipped.replace("[working_hours]\nenabled = false", "[working_hours]\nenabled = true")
    )
    other = App.create(app.settings.model_copy(update={"routing_file": routing}), clock=app.clock)
    assert other.intake.rules.working is not None, "the routing file's [working_hours] moved"
    try:
        yield other
    finally:
        await other.close()


def main() -> int:
    """Parse arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument(
        "--keep", type=Path, help="a folder to keep the database in, and reuse it when filled"
    )
    args = parser.parse_args()
    asyncio.run(run(args.cases, args.keep))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
