"""`complaintbot serve`: the HTTP app, outbox dispatcher and scheduler on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import uvicorn

from bot.outbox import Dispatcher
from bot.registry import CHANNELS, ChannelState, live_channels
from bot.services import audit
from bot.services.app import App
from bot.services.erasure import erase_expired
from bot.services.idle_intakes import sweep_idle_intakes
from bot.services.receiving import replay_forever
from bot.services.timers import fire_due_timers
from bot.services.weekly_review import send_weekly_review
from bot.storage.database import write_problem
from bot.storage.migrate import ensure_schema
from bot.web import create_web_app
from channels.base import ChannelAdapter

log = logging.getLogger(__name__)


class CannotListen(OSError):
    """The HTTP port could not be bound (in use, or not allowed)."""

    def __init__(self, host: str, port: int, reason: str) -> None:
        super().__init__(f"{host}:{port}: {reason}")
        self.host = host
        self.port = port
        self.reason = reason


class _Uvicorn(uvicorn.Server):
    # uvicorn installs its own signal handlers and re-raises the signal when it stops; this
    # process has one shutdown path for everything, so it keeps signals to itself.
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def live_adapters(app: App) -> tuple[dict[str, ChannelAdapter], list[ChannelState]]:
    """The adapters this process sends with, and the state of every channel (the registry)."""
    adapters: dict[str, ChannelAdapter] = {}
    states: list[ChannelState] = []
    for channel in CHANNELS:
        state = channel.state(app.settings)
        states.append(state)
        if state.live and channel.adapter is not None:
            adapters[channel.name] = channel.adapter(app)
    return adapters, states


def command_as_typed() -> str:
    """How to run this program from a fresh terminal in this folder (for the banner's hints).

    `make run` starts it from .venv/bin, which a new terminal does not have on its PATH.
    """
    running = Path(sys.argv[0])
    if running.name != "complaintbot":
        return "complaintbot"
    found = shutil.which("complaintbot")
    if found is not None and Path(found).resolve() == running.resolve():
        return "complaintbot"
    try:
        return str(running.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(running.resolve())


def python_as_typed() -> str:
    """How to run this installation's Python from a fresh terminal (for the pretend clients)."""
    command = command_as_typed()
    if "/" not in command:
        return "python"
    return str(Path(command).with_name("python"))


async def serve(app: App, write: Callable[[str], None], stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or ``stop``); finish in-flight work, then exit."""
    stop = stop or asyncio.Event()
    await ensure_schema(app.engine)
    problem = await write_problem(app.engine)
    if problem is not None:
        # Read-only files or a lock held elsewhere: say so plainly, and serve what can be.
        context = {"problem": problem}
        write(app.renderer.render("cli/serve_database_unwritable", context, "cli").text)
    adapters, states = live_adapters(app)
    settings = app.settings
    config = uvicorn.Config(
        create_web_app(app),
        host=settings.http_host,
        port=settings.http_port,
        log_level="warning",
        lifespan="off",
    )
    server = _Uvicorn(config)
    # Bind here rather than in uvicorn, which exits the process on a busy port.
    listener = socket.socket(socket.AF_INET6 if ":" in settings.http_host else socket.AF_INET)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((settings.http_host, settings.http_port))
    except OSError as error:
        listener.close()
        raise CannotListen(settings.http_host, settings.http_port, error.strerror or "") from None
    services = contextlib.AsyncExitStack()
    try:
        for channel in live_channels(settings):
            if channel.service is not None:
                await services.enter_async_context(channel.service(app))
    except BaseException:
        await services.aclose()
        listener.close()
        raise
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    web = asyncio.create_task(server.serve(sockets=[listener]), name="http")
    # uvicorn exposes only a flag for "listening", not an event to await.
    while not server.started and not web.done():  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    write(
        app.renderer.render(
            "cli/serve_banner",
            {
                "url": f"http://{settings.http_host}:{settings.http_port}",
                "database": app.engine.url.render_as_string(hide_password=True),
                "channels": [state.__dict__ for state in states],
                "command": command_as_typed(),
                "python": python_as_typed(),
            },
            "cli",
        ).text
    )
    # One dispatcher per channel: a slow or rate-limited provider never holds up the others.
    workers = [
        asyncio.create_task(
            Dispatcher(app, {name: adapter}).run_forever(stop), name=f"outbox-{name}"
        )
        for name, adapter in adapters.items()
    ]
    workers.append(asyncio.create_task(_scheduler(app, stop), name="scheduler"))
    workers.append(asyncio.create_task(replay_forever(app, stop), name="journal"))
    await stop.wait()
    write(app.renderer.render("cli/serve_stopping", {}, "cli").text)
    server.should_exit = True
    await services.aclose()  # the SMTP server stops taking mail and finishes what it has
    # Workers finish the row they hold; anything unsent stays in the outbox for next time.
    await asyncio.gather(web, *workers)
    for adapter in adapters.values():
        close = getattr(adapter, "close", None)
        if close is not None:
            await close()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(signum)


async def _scheduler(app: App, stop: asyncio.Event) -> None:
    next_anchor = app.clock()  # at start, then every audit_anchor_hours
    next_retention = app.clock()  # at start, then daily
    next_review = app.clock()  # at start, then hourly: sent once a week has ended
    while not stop.is_set():
        try:
            await fire_due_timers(app, stop)
            await sweep_idle_intakes(app)
            if app.clock() >= next_anchor:
                next_anchor = app.clock() + timedelta(hours=app.settings.audit_anchor_hours)
                await audit.anchor(app)
            if app.clock() >= next_review and app.settings.weekly_review:
                next_review = app.clock() + timedelta(hours=1)
                await send_weekly_review(app, app.clock())
            if app.clock() >= next_retention and app.settings.retention_days:
                next_retention = app.clock() + timedelta(days=1)
                retention = timedelta(days=app.settings.retention_days)
                await erase_expired(app, retention, app.clock())
        except Exception:
            log.exception("firing timers failed; will try again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=app.settings.poll_interval_seconds)
