"""Benchmark: the SMS webhook's whole path against a bare endpoint and a naive insert, per database.

    apt-get install wrk                      # the load generator (Debian's package)
    .venv/bin/python -m benchmarks.sms_throughput [--seconds 15] [--connections 16]
        [--rounds 3] [--databases sqlite,postgresql]

Starts each server in its own process and drives it with wrk for ``--seconds``, one customer's
texts after another on each connection, every text signed as Twilio signs it:

- ``bare``: parses the form and answers (``benchmarks/anchors.py``);
- ``insert``: the same, inserting each text with SQLAlchemy and committing;
- ``product``: ``complaintbot serve`` with SMS on, its replies going to the local fake of
  Twilio's API; each customer's texts answer what the bot asks, so every conversation
  registers a case.

PostgreSQL is a private server the script starts (as the tests do) unless
COMPLAINTBOT_TEST_DATABASE_URL names one. Each run gets a fresh database. Rounds interleave the
servers; the table gives the median of each figure: requests per second, latency p50 and p99,
CPU time of the server process per request (for the product, from the first text until its
outbox is empty, so its replies' sending counts), outbox drain (last text answered to last
reply sent), RSS idle and after the run, and the product's rate as a share of each anchor's.
Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import text

from bot.storage.database import create_engine
from fakes.postgres import postgres_url_for_tests
from fakes.twilio_api import FakeTwilioApi, new_sid, sign

ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "benchmark-twilio-auth-token"  # noqa: S105 (a local fake's)
BOT_NUMBER = "+447700900001"
PATH = "/webhooks/twilio/sms"
LUA = Path(__file__).with_name("sms_throughput.lua")


def conversation(n: int) -> list[str]:
    """One customer's texts, answering what the bot asks over SMS."""
    return [
        f"My boiler stopped working yesterday and the engineer never came, account {88000 + n}."
        " I want a refund please",
        f"Sam Jones {n}",  # the name it asks for
        "yes",  # consent
        "yes",  # the summary is right: registered
    ]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_requests(folder: Path, url: str, connections: int, customers: int) -> None:
    """One file per connection of signed requests (signature, tab, body): whole
    conversations in order, customers spread over the connections."""
    for index in range(connections):
        lines = []
        for n in range(index, customers, connections):
            sender = f"+4477009{n:05d}"
            for body in conversation(n):
                params = {
                    "MessageSid": new_sid("SM"),
                    "AccountSid": ACCOUNT_SID,
                    "From": sender,
                    "To": BOT_NUMBER,
                    "Body": body,
                    "NumMedia": "0",
                }
                lines.append(f"{sign(url, params, AUTH_TOKEN)}\t{urlencode(params)}")
        (folder / f"{index + 1}.txt").write_text("\n".join(lines) + "\n")


@dataclass
class Run:
    """One server's figures in one round."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    ran_out: bool
    cpu_ms: float
    rss_idle_mb: float
    rss_after_mb: float
    drain_s: float | None = None
    cases: int | None = None

    @property
    def rate(self) -> float:
        """Requests answered per second."""
        return self.requests / self.seconds


@dataclass
class Results:
    """Every round's runs, by server and database."""

    runs: dict[str, list[Run]] = field(default_factory=dict)

    def add(self, name: str, run: Run) -> None:
        """Keep one run."""
        self.runs.setdefault(name, []).append(run)

    def median(self, name: str, figure: str) -> float | None:
        """The median of one figure over the rounds."""
        values = [getattr(run, figure) for run in self.runs.get(name, [])]
        values = [value for value in values if value is not None]
        return statistics.median(values) if values else None


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before listening")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listened on port {port} within {timeout} s")


def run_wrk(port: int, folder: Path, seconds: int, connections: int) -> dict[str, float]:
    """Drive the server with wrk; its figures from the Lua script's summary line."""
    command = [
        "wrk",
        f"-t{connections}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}{PATH}",
        "--",
        str(folder),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout  # noqa: S603
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    keys = ("requests", "duration_us", "p50_us", "p99_us", "errors", "ran_out")
    return dict(zip(keys, map(float, line.split()[1:]), strict=True))


@contextmanager
def server(command: list[str], port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """A server process, stopped on leaving."""
    process = subprocess.Popen(  # noqa: S603
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=os.getcwd()
    )
    try:
        _wait_for_port(port, process)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure(
    process: subprocess.Popen[bytes], port: int, folder: Path, args: argparse.Namespace
) -> Run:
    """wrk against a running server, with its CPU time and memory around the load."""
    time.sleep(1.0)  # let start-up work settle before reading idle memory
    rss_idle = _rss_mb(process.pid)
    cpu_before = _cpu_seconds(process.pid)
    figures = run_wrk(port, folder, args.seconds, args.connections)
    return Run(
        requests=int(figures["requests"]),
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        errors=int(figures["errors"]),
        ran_out=bool(figures["ran_out"]),
        cpu_ms=(_cpu_seconds(process.pid) - cpu_before) * 1000 / max(figures["requests"], 1),
        rss_idle_mb=rss_idle,
        rss_after_mb=_rss_mb(process.pid),
    )


def run_anchor(kind: str, database_url: str | None, folder: Path, args: argparse.Namespace) -> Run:
    """One anchor server under load."""
    port = _free_port()
    command = [sys.executable, "-m", "benchmarks.anchors", kind, "--port", str(port)]
    if database_url:
        command += ["--database-url", database_url]
    with server(command, port, dict(os.environ)) as process:
        return measure(process, port, folder, args)


async def _count(url: str, query: str) -> int:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(query))).scalar_one())
    finally:
        await engine.dispose()


def run_product(database_url: str, folder: Path, port: int, args: argparse.Namespace) -> Run:
    """``complaintbot serve`` under load, then until its outbox is empty."""
    data = Path(tempfile.mkdtemp(prefix="bench-sms-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "COMPLAINTBOT_DATA_DIR": str(data),
        "COMPLAINTBOT_HTTP_PORT": str(port),
        "COMPLAINTBOT_SMTP_PORT": str(_free_port()),
        "COMPLAINTBOT_PRETEND_CHANNELS": "false",
        "COMPLAINTBOT_TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "COMPLAINTBOT_TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "COMPLAINTBOT_TWILIO_FROM_NUMBER": BOT_NUMBER,
        "COMPLAINTBOT_TWILIO_API_BASE_URL": f"http://127.0.0.1:{args.twilio_port}",
    }
    complaintbot = str(Path(sys.executable).with_name("complaintbot"))
    try:
        subprocess.run(  # noqa: S603
            [complaintbot, "db", "upgrade"], env=env, check=True, capture_output=True
        )
        with server([complaintbot, "serve"], port, env) as process:
            run = measure(process, port, folder, args)
            answered = time.monotonic()
            cpu_mark = _cpu_seconds(process.pid)
            pending = "SELECT count(*) FROM outbox WHERE status = 'pending'"
            while asyncio.run(_count(database_url, pending)) > 0:
                time.sleep(0.05)
            run.drain_s = time.monotonic() - answered
            # The replies' sending belongs to the texts that asked for them.
            run.cpu_ms += (_cpu_seconds(process.pid) - cpu_mark) * 1000 / max(run.requests, 1)
            run.rss_after_mb = _rss_mb(process.pid)
            run.cases = asyncio.run(_count(database_url, "SELECT count(*) FROM cases"))
        return run
    finally:
        shutil.rmtree(data, ignore_errors=True)


class Databases:
    """A fresh database per run: a file for SQLite, a new database on one PostgreSQL server."""

    def __init__(self, stack: ExitStack, kinds: list[str]) -> None:
        self._root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-db-")))
        self._postgres: str | None = None
        if "postgresql" in kinds:
            self._postgres = stack.enter_context(postgres_url_for_tests())

    def fresh(self, kind: str) -> str:
        """The URL of an empty database of this kind."""
        name = f"bench_{uuid.uuid4().hex[:12]}"
        if kind == "sqlite":
            return f"sqlite+aiosqlite:///{self._root / name}.db"
        assert self._postgres is not None
        asyncio.run(_create_database(self._postgres, name))
        base, _, _ = self._postgres.rpartition("/")
        return f"{base}/{name}"


async def _create_database(url: str, name: str) -> None:
    engine = create_engine(url).execution_options(isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()


def report(results: Results, kinds: list[str], args: argparse.Namespace) -> None:
    """Print the table of medians."""
    print(
        f"\nmedian of {args.rounds} round(s), {args.connections} connections, "
        f"{args.seconds} s each, {os.cpu_count()} cores"
    )
    header = (
        f"{'server':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/req':>12}"
        f"{'drain s':>9}{'RSS idle':>10}{'RSS after':>11}{'cases':>7}"
    )
    print(header)
    print("-" * len(header))

    def cell(name: str, figure: str, width: int, form: str) -> str:
        value = results.median(name, figure)
        return f"{'':>{width}}" if value is None else f"{value:>{width}{form}}"

    names = ["bare"] + [f"{what} ({kind})" for kind in kinds for what in ("insert", "product")]
    for name in names:
        print(
            f"{name:<22}{cell(name, 'rate', 8, '.0f')}{cell(name, 'p50_ms', 9, '.1f')}"
            f"{cell(name, 'p99_ms', 9, '.1f')}{cell(name, 'cpu_ms', 12, '.2f')}"
            f"{cell(name, 'drain_s', 9, '.2f')}{cell(name, 'rss_idle_mb', 10, '.0f')}"
            f"{cell(name, 'rss_after_mb', 11, '.0f')}{cell(name, 'cases', 7, '.0f')}"
        )
    for kind in kinds:
        product = results.median(f"product ({kind})", "rate")
        insert = results.median(f"insert ({kind})", "rate")
        bare = results.median("bare", "rate")
        if product and insert and bare:
            print(
                f"product/insert on {kind}: {product / insert:.2f}x; "
                f"product/bare: {product / bare:.3f}x"
            )
    for name, runs in results.runs.items():
        if any(run.errors for run in runs):
            print(f"{name}: {sum(run.errors for run in runs)} requests failed")
        if name.startswith("product") and any(run.ran_out for run in runs):
            print(f"{name}: ran out of prepared conversations; raise --customers")


def main() -> int:
    """Run the rounds and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--customers", type=int, default=8000, help="conversations prepared")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    kinds = [kind.strip() for kind in args.databases.split(",") if kind.strip()]
    if shutil.which("wrk") is None:
        print("wrk is not installed (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    results = Results()
    with ExitStack() as stack:
        databases = Databases(stack, kinds)
        twilio = stack.enter_context(FakeTwilioApi(ACCOUNT_SID, AUTH_TOKEN))
        args.twilio_port = twilio.port
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-wrk-")))
        for round_number in range(1, args.rounds + 1):
            print(f"round {round_number} of {args.rounds}", flush=True)
            results.add("bare", run_anchor("bare", None, _requests(folder, 0, args), args))
            for kind in kinds:
                requests = _requests(folder, 0, args)
                insert = run_anchor("insert", databases.fresh(kind), requests, args)
                results.add(f"insert ({kind})", insert)
                port = _free_port()
                requests = _requests(folder, port, args)
                product = run_product(databases.fresh(kind), requests, port, args)
                results.add(f"product ({kind})", product)
                print(
                    f"  {kind}: insert {insert.rate:.0f} req/s, product {product.rate:.0f} req/s,"
                    f" {product.cases} cases, drain {product.drain_s:.2f} s",
                    flush=True,
                )
    report(results, kinds, args)
    return 0


def _requests(folder: Path, port: int, args: argparse.Namespace) -> Path:
    """Freshly signed requests for a server on ``port`` (anchors check no signature)."""
    target = folder / str(port)
    if not target.exists():
        target.mkdir()
        url = f"http://127.0.0.1:{port}{PATH}"
        write_requests(target, url, args.connections, args.customers)
    return target


if __name__ == "__main__":
    sys.exit(main())
