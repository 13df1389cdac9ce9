"""Benchmark: complaint emails through the built-in SMTP server against a bare sink, per database.

    .venv/bin/python -m benchmarks.email_throughput [--messages 600] [--connections 16]
        [--rounds 3] [--databases sqlite,postgresql]

Starts each server in its own process and sends it ``--messages`` distinct complaint emails
over ``--connections`` SMTP connections at once (each from its own loopback address, so each
is another client; several messages per connection, as a relay sends them):

- ``sink``: aiosmtpd answering 250 to every message and keeping nothing (the most an
  aiosmtpd server does on this machine);
- ``product``: ``complaintbot serve`` with its default mail settings (replies dropped to a
  folder, the loopback a trusted network), answering each complaint.

For each: messages accepted per second, the SMTP transaction's p50 and p99 (MAIL FROM to
the answer after DATA), CPU time of the server process per message (for the product, until
every message is stored and its outbox is empty, so replies count), the drain (last message
accepted to last reply written), messages lost (accepted but not stored), and RSS idle and
after. Rounds interleave the servers; the table gives medians. PostgreSQL is a private server
the script starts (as the tests do) unless COMPLAINTBOT_TEST_DATABASE_URL names one. Numbers
are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import aiosmtplib
from aiosmtpd.controller import Controller

from benchmarks.sms_throughput import (
    Databases,
    _count,
    _cpu_seconds,
    _free_port,
    _rss_mb,
    server,
)

RECIPIENT = "complaints@localhost"


def complaint(n: int) -> EmailMessage:
    """One customer's first email: what happened, the order, when, what they want."""
    message = EmailMessage()
    message["From"] = f"Customer {n} <customer{n}@example.net>"
    message["To"] = RECIPIENT
    message["Subject"] = f"Broken kettle, order {40000 + n}"
    message["Message-ID"] = f"<bench-{n}-{time.time_ns()}@example.net>"
    message.set_content(
        f"Hello,\n\nThe kettle from order {40000 + n} arrived on Monday with a cracked lid and"
        " it leaks when I boil it. I would like a refund please.\n\nRegards,\nCustomer"
        f" {n}\n"
    )
    return message


@dataclass
class Run:
    """One server's figures in one round."""

    accepted: int
    seconds: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    rss_idle_mb: float
    rss_after_mb: float
    lost: int | None = None
    drain_s: float | None = None

    @property
    def rate(self) -> float:
        """Messages accepted per second."""
        return self.accepted / self.seconds


async def send_all(port: int, messages: int, connections: int) -> tuple[int, float, list[float]]:
    """Send the emails over ``connections`` clients; (accepted, seconds, latencies)."""
    latencies: list[float] = []
    accepted = 0

    async def client(index: int) -> None:
        nonlocal accepted
        smtp = aiosmtplib.SMTP(
            hostname="127.0.0.1",
            port=port,
            source_address=(f"127.0.0.{index + 1}", 0),
            timeout=60,
        )
        await smtp.connect()
        try:
            for n in range(index, messages, connections):
                started = time.perf_counter()
                try:
                    await smtp.send_message(complaint(n))
                except aiosmtplib.SMTPException:
                    continue
                latencies.append(time.perf_counter() - started)
                accepted += 1
        finally:
            await smtp.quit()

    started = time.perf_counter()
    await asyncio.gather(*(client(index) for index in range(connections)))
    return accepted, time.perf_counter() - started, sorted(latencies)


def _measured(process_pid: int, port: int, args: argparse.Namespace) -> Run:
    time.sleep(1.0)  # let start-up work settle before reading idle memory
    rss_idle = _rss_mb(process_pid)
    cpu_before = _cpu_seconds(process_pid)
    accepted, seconds, latencies = asyncio.run(send_all(port, args.messages, args.connections))
    return Run(
        accepted=accepted,
        seconds=seconds,
        p50_ms=statistics.median(latencies) * 1000 if latencies else 0.0,
        p99_ms=latencies[int(len(latencies) * 0.99)] * 1000 if latencies else 0.0,
        cpu_ms=(_cpu_seconds(process_pid) - cpu_before) * 1000 / max(accepted, 1),
        rss_idle_mb=rss_idle,
        rss_after_mb=_rss_mb(process_pid),
    )


def run_sink(args: argparse.Namespace) -> Run:
    """The bare aiosmtpd sink under the same load."""
    port = _free_port()
    command = [sys.executable, "-m", "benchmarks.email_throughput", "--sink", str(port)]
    with server(command, port, dict(os.environ)) as process:
        return _measured(process.pid, port, args)


def run_product(database_url: str, args: argparse.Namespace) -> Run:
    """``complaintbot serve`` under load, then until every message is stored and answered."""
    data = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "COMPLAINTBOT_DATA_DIR": str(data),
        "COMPLAINTBOT_HTTP_PORT": str(_free_port()),
        "COMPLAINTBOT_SMTP_PORT": str(port),
        "COMPLAINTBOT_PRETEND_CHANNELS": "false",
    }
    complaintbot = str(Path(sys.executable).with_name("complaintbot"))
    try:
        subprocess.run(  # noqa: S603
            [complaintbot, "db", "upgrade"], env=env, check=True, capture_output=True
        )
        with server([complaintbot, "serve"], port, env) as process:
            run = _measured(process.pid, port, args)
            answered = time.monotonic()
            cpu_mark = _cpu_seconds(process.pid)
            stored = "SELECT count(*) FROM messages_in WHERE channel = 'email'"
            pending = "SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')"
            deadline = answered + 120
            while time.monotonic() < deadline and (
                asyncio.run(_count(database_url, stored)) < run.accepted
                or asyncio.run(_count(database_url, pending)) > 0
            ):
                time.sleep(0.05)
            run.drain_s = time.monotonic() - answered
            run.cpu_ms += (_cpu_seconds(process.pid) - cpu_mark) * 1000 / max(run.accepted, 1)
            run.lost = run.accepted - asyncio.run(_count(database_url, stored))
            run.rss_after_mb = _rss_mb(process.pid)
        return run
    finally:
        shutil.rmtree(data, ignore_errors=True)


class _Sink:
    """Accepts every message and keeps nothing."""

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        """aiosmtpd's hook for a message's end: accepted."""
        return "250 OK"


def sink_forever(port: int) -> None:
    """Run the sink until terminated."""
    controller = Controller(_Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def report(results: dict[str, list[Run]], kinds: list[str], args: argparse.Namespace) -> None:
    """Print one table of medians, and the product's rate as a share of the sink's."""

    def median(name: str, figure: str) -> float | None:
        values = [getattr(run, figure) for run in results.get(name, [])]
        values = [value for value in values if value is not None]
        return statistics.median(values) if values else None

    def cell(name: str, figure: str, width: int, form: str) -> str:
        value = median(name, figure)
        return f"{'':>{width}}" if value is None else f"{value:>{width}{form}}"

    print(
        f"\n{args.messages} complaint emails, {args.connections} connections, median of"
        f" {args.rounds} round(s)"
    )
    print(
        f"{'server':<22}{'msg/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/msg':>12}"
        f"{'drain s':>9}{'lost':>6}{'RSS idle':>10}{'RSS after':>11}"
    )
    for name in ["sink", *(f"product ({kind})" for kind in kinds)]:
        rate = statistics.median(run.rate for run in results[name])
        print(
            f"{name:<22}{rate:>8.0f}"
            f"{cell(name, 'p50_ms', 9, '.1f')}{cell(name, 'p99_ms', 9, '.1f')}"
            f"{cell(name, 'cpu_ms', 12, '.2f')}{cell(name, 'drain_s', 9, '.2f')}"
            f"{cell(name, 'lost', 6, '.0f')}{cell(name, 'rss_idle_mb', 10, '.0f')}"
            f"{cell(name, 'rss_after_mb', 11, '.0f')}"
        )
    sink = statistics.median(run.rate for run in results["sink"])
    for kind in kinds:
        product = statistics.median(run.rate for run in results[f"product ({kind})"])
        print(f"product/sink on {kind}: {product / sink:.3f}x")


def main() -> int:
    """Run the rounds and print the table (or, with --sink PORT, be the sink)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=600)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sink", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.sink:
        sink_forever(args.sink)
        return 0
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    results: dict[str, list[Run]] = {}
    with ExitStack() as stack:
        databases = Databases(stack, kinds)
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number} of {args.rounds}", flush=True)
            results.setdefault("sink", []).append(run_sink(args))
            for kind in kinds:
                product = run_product(databases.fresh(kind), args)
                results.setdefault(f"product ({kind})", []).append(product)
                print(
                    f"  {kind}: {product.rate:.0f} msg/s, {product.lost} lost,"
                    f" drain {product.drain_s:.2f} s",
                    flush=True,
                )
    report(results, kinds, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
