"""Benchmark: signed SMS webhooks through a database lock or outage; counts what is lost.

    .venv/bin/python -m benchmarks.database_outage [--database sqlite|postgres]
        [--outage lock|down] [--seconds 150] [--rate 4]

The real web app is served over HTTP (uvicorn) with the journal replayer running, as in
`serve`. Texts signed as Twilio signs them are posted at ``--rate`` per second from 20
numbers, each with a client timeout of 15 s (Twilio's: a text not answered 200 by then is
lost, as Twilio does not send it again without connection overrides). Five seconds in, the
database is locked by another connection (SQLite ``BEGIN EXCLUSIVE``; PostgreSQL ``LOCK
TABLE messages_in``) or cut off (PostgreSQL behind a proxy that drops every connection) for
``--seconds``; texts go on for 10 s after, then the script waits for the journal to drain and
counts the texts in the database. Prints answered, answer time (p50, p99, max), lost, and how
long the backlog took to reach the database. Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import socket
import sqlite3
import statistics
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
import httpx
import uvicorn
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bot.services.app import App
from bot.services.receiving import replay_forever
from bot.settings import Settings
from bot.storage.migrate import upgrade
from bot.storage.models import MessageIn
from bot.web import create_web_app
from fakes import FakeClock, SeededRandom
from fakes.postgres import postgres_url_for_tests
from fakes.tcp_proxy import TcpProxy
from fakes.twilio_api import FakeTwilioApi, new_sid, sign

TWILIO_TIMEOUT = 15.0
NUMBERS = [f"+4477009{n:05d}" for n in range(20)]
BEFORE, AFTER = 5.0, 10.0
PATH = "/webhooks/twilio/sms"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _sqlite_lock(path: str, seconds: float) -> Iterator[threading.Thread]:
    """Another program holding SQLite's write lock for ``seconds``, from BEFORE on."""

    def hold() -> None:
        time.sleep(BEFORE)
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    yield thread
    thread.join()


async def _postgres_lock(url: str, seconds: float) -> None:
    await asyncio.sleep(BEFORE)
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(plain)
    try:
        async with connection.transaction():
            await connection.execute("LOCK TABLE messages_in IN ACCESS EXCLUSIVE MODE")
            await asyncio.sleep(seconds)
    finally:
        await connection.close()


async def _postgres_down(proxy: TcpProxy, seconds: float) -> None:
    await asyncio.sleep(BEFORE)
    proxy.cut()
    await asyncio.sleep(seconds)
    proxy.restore()


@contextlib.asynccontextmanager
async def _served(app: App, port: int) -> AsyncIterator[None]:
    config = uvicorn.Config(
        create_web_app(app), host="127.0.0.1", port=port, log_level="error", lifespan="off"
    )
    server = uvicorn.Server(config)
    stop = asyncio.Event()
    web = asyncio.create_task(server.serve())
    replayer = asyncio.create_task(replay_forever(app, stop))
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no event)
        await asyncio.sleep(0.05)
    try:
        yield
    finally:
        stop.set()
        server.should_exit = True
        await asyncio.gather(web, replayer)


async def run(
    url: str, database: str, outage: str, seconds: float, rate: float
) -> dict[str, float]:
    """Post texts through the outage; how many were answered in time and how many stored."""
    port = _free_port()
    public = f"http://127.0.0.1:{port}"
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        twilio = stack.enter_context(FakeTwilioApi())
        proxy = None
        target = url
        if outage == "down":
            parsed = make_url(url)
            assert parsed.host is not None
            assert parsed.port is not None
            proxy = TcpProxy(parsed.host, parsed.port)
            await proxy.__aenter__()
            target = parsed.set(port=proxy.port).render_as_string(hide_password=False)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=folder / "data",
            database_url=target,
            public_base_url=public,
            twilio_account_sid=twilio.account_sid,
            twilio_auth_token=twilio.auth_token,
            twilio_from_number="+447700900000",
            twilio_api_base_url=twilio.url,
        )
        app = App.create(settings, clock=FakeClock(), random=SeededRandom())
        await upgrade(app.engine)
        if database == "sqlite":
            stack.enter_context(_sqlite_lock(str(make_url(url).database), seconds))
            fault = None
        elif outage == "lock":
            fault = asyncio.create_task(_postgres_lock(url, seconds))
        else:
            assert proxy is not None
            fault = asyncio.create_task(_postgres_down(proxy, seconds))
        answered: dict[str, float] = {}
        failed = 0

        async def send(client: httpx.AsyncClient, index: int) -> None:
            nonlocal failed
            params = {
                "MessageSid": new_sid("SM"),
                "AccountSid": twilio.account_sid,
                "From": NUMBERS[index % len(NUMBERS)],
                "To": "+447700900000",
                "Body": f"text {index}: my order 4471 never came",
                "NumMedia": "0",
            }
            signature = sign(public + PATH, params, twilio.auth_token)
            started = time.perf_counter()
            try:
                response = await client.post(
                    PATH,
                    content=urlencode(params),
                    headers={
                        "X-Twilio-Signature": signature,
                        "Content-Type": "application/x-www-form-urlencoded",
                    },
                )
            except httpx.TimeoutException:
                failed += 1
                return
            if response.status_code == 200:
                answered[params["Body"]] = time.perf_counter() - started
            else:
                failed += 1

        async with (
            _served(app, port),
            httpx.AsyncClient(base_url=public, timeout=TWILIO_TIMEOUT) as client,
        ):
            started = time.perf_counter()
            total = int((BEFORE + seconds + AFTER) * rate)
            posts = []
            for index in range(total):
                posts.append(asyncio.create_task(send(client, index)))
                await asyncio.sleep(max(0.0, started + (index + 1) / rate - time.perf_counter()))
            await asyncio.gather(*posts)
            if fault is not None:
                await fault
            sent_end = time.perf_counter()
            while await asyncio.to_thread(app.journal.waiting):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
            drained = time.perf_counter() - sent_end
        async with app.sessions() as session:
            bodies = set((await session.scalars(select(MessageIn.text))).all())
            stored = await session.scalar(select(func.count()).select_from(MessageIn))
        await app.close()
        if proxy is not None:
            await proxy.__aexit__(None, None, None)
    times = sorted(answered.values())
    return {
        "sent": total,
        "answered_200": len(answered),
        "refused_or_timed_out": failed,
        "stored": stored or 0,
        "lost": total - len(set(answered) & bodies),
        "answer_p50_ms": statistics.median(times) * 1000 if times else 0.0,
        "answer_p99_ms": times[int(len(times) * 0.99)] * 1000 if times else 0.0,
        "answer_max_ms": times[-1] * 1000 if times else 0.0,
        "backlog_drained_s": drained,
    }


def main() -> int:
    """Parse arguments, run the outage, print one line of numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--outage", choices=("lock", "down"), default="lock")
    parser.add_argument("--seconds", type=float, default=150.0)
    parser.add_argument("--rate", type=float, default=4.0, help="texts per second")
    args = parser.parse_args()
    if args.database == "sqlite" and args.outage == "down":
        parser.error("SQLite is a file in this process: it can be locked, not go down")
    with ExitStack() as stack:
        if args.database == "sqlite":
            folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            url = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        else:
            url = stack.enter_context(postgres_url_for_tests("bench"))
        result = asyncio.run(run(url, args.database, args.outage, args.seconds, args.rate))
    print(
        f"{args.database} {args.outage} {args.seconds:.0f} s: "
        + " ".join(
            f"{key} {value:.1f}" if isinstance(value, float) else f"{key} {value}"
            for key, value in result.items()
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
