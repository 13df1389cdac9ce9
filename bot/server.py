"""`complaintbot serve`: the HTTP app, outbox dispatcher and scheduler on one event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import uvicorn

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.services.timers import fire_due_timers
from bot.storage.migrate import ensure_schema
from bot.web import create_web_app
from channels.base import ChannelAdapter
from channels.email.server import ComplaintsMailHandler
from channels.staff_feed import StaffFeedAdapter

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelState:
    """Whether a channel is live in this process, and why (shown at start)."""

    name: str
    live: bool
    reason: str  # a label key under channel_detail
    value: str = ""


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
    """The adapters this process sends with, and the state of every channel."""
    settings = app.settings
    feed = settings.staff_feed_path
    adapters: dict[str, ChannelAdapter] = {"staff-feed": StaffFeedAdapter(feed)}
    states = [
        ChannelState("console", True, "console"),
        ChannelState("staff-feed", True, "staff_feed", str(feed)),
    ]
    if settings.email_enabled:
        from bot.mail import email_adapter

        adapters["email"] = email_adapter(settings)
        where = f"{settings.smtp_host}:{settings.smtp_port}"
        to = ", ".join(settings.complaint_address_list)
        out = (
            f"relay {settings.relay_host}:{settings.relay_port}"
            if settings.relay_host
            else str(settings.mail_drop_path)
        )
        states.append(ChannelState("email", True, "email_live", f"{where} for {to}; out: {out}"))
    else:
        states.append(ChannelState("email", False, "email_off"))
    if settings.sms_problem is None:
        from bot.webhooks.twilio import INCOMING_PATH, STATUS_PATH
        from channels.sms.adapter import TwilioSmsAdapter

        assert settings.twilio_account_sid
        assert settings.twilio_auth_token
        adapters["sms"] = TwilioSmsAdapter(
            settings.twilio_account_sid,
            settings.twilio_auth_token.get_secret_value(),
            from_number=settings.twilio_from_number,
            messaging_service_sid=None
            if settings.twilio_from_number
            else settings.twilio_messaging_service_sid,
            status_callback=settings.public_url(STATUS_PATH),
            api_base_url=settings.twilio_api_base_url,
        )
        states.append(ChannelState("sms", True, "sms_live", settings.public_url(INCOMING_PATH)))
    else:
        states.append(ChannelState("sms", False, settings.sms_problem))
    states += [
        ChannelState("telegram", False, "not_built"),
        ChannelState("slack", False, "not_built"),
    ]
    return adapters, states


async def serve(app: App, write: Callable[[str], None], stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or ``stop``); finish in-flight work, then exit."""
    stop = stop or asyncio.Event()
    await ensure_schema(app.engine)
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
    try:
        smtp = await _start_smtp(app) if settings.email_enabled else None
    except CannotListen:
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
            },
            "cli",
        ).text
    )
    workers = [
        asyncio.create_task(Dispatcher(app, adapters).run_forever(stop), name="outbox"),
        asyncio.create_task(_scheduler(app, stop), name="scheduler"),
    ]
    await stop.wait()
    write(app.renderer.render("cli/serve_stopping", {}, "cli").text)
    server.should_exit = True
    if smtp is not None:
        from channels.email.server import stop_smtp_server

        server_, handler = smtp
        await stop_smtp_server(server_)
        await handler.drain()  # deliveries in progress finish (and commit) first
    # Workers finish the row they hold; anything unsent stays in the outbox for next time.
    await asyncio.gather(web, *workers)
    for adapter in adapters.values():
        close = getattr(adapter, "close", None)
        if close is not None:
            await close()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.remove_signal_handler(signum)


async def _start_smtp(app: App) -> tuple[asyncio.Server, ComplaintsMailHandler]:
    """The SMTP server on this event loop (aiosmtpd's protocol, no thread of its own)."""
    from functools import partial

    from bot.mail import Authenticator, deliver_mail, tls_context
    from channels.email.server import start_smtp_server

    settings = app.settings
    handler = ComplaintsMailHandler(settings.complaint_address_list, partial(deliver_mail, app))
    authenticator = None
    if settings.smtp_auth_username and settings.smtp_auth_password:
        authenticator = Authenticator(
            settings.smtp_auth_username, settings.smtp_auth_password.get_secret_value()
        )
    try:
        server = await start_smtp_server(
            handler,
            settings.smtp_host,
            settings.smtp_port,
            hostname=settings.mail_domain_name,
            data_size_limit=settings.max_mail_bytes,
            tls_context=tls_context(settings),
            require_starttls=settings.smtp_require_starttls,
            authenticator=authenticator,
            auth_required=authenticator is not None,
        )
    except OSError as error:
        raise CannotListen(settings.smtp_host, settings.smtp_port, error.strerror or "") from None
    return server, handler


async def _scheduler(app: App, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await fire_due_timers(app, stop)
        except Exception:
            log.exception("firing timers failed; will try again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=app.settings.poll_interval_seconds)
