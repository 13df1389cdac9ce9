"""The one place every channel plugs in: its name, whether it is on, its adapter, its routes,
its background service and its readiness check. ``serve``, ``/readyz`` and the dispatchers
read this registry; adding a channel never means editing branches in the shell.

Each factory imports its SDK lazily, so a channel that is off costs nothing at start.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.routing import BaseRoute

from bot.services.app import App
from channels.base import ChannelAdapter

if TYPE_CHECKING:
    from bot.settings import Settings

Service = Callable[[App], contextlib.AbstractAsyncContextManager[None]]
ReadyCheck = Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]


class ChannelUnavailable(Exception):
    """A live channel's service could not start (a refused token, a provider unreachable)."""

    def __init__(self, channel: str, reason: str) -> None:
        super().__init__(f"{channel}: {reason}")
        self.channel = channel
        self.reason = reason


@dataclass(frozen=True)
class ChannelState:
    """Whether a channel is live in this process, and why (shown at start)."""

    name: str
    live: bool
    reason: str  # a label key under channel_detail
    value: str = ""


@dataclass(frozen=True)
class Channel:
    """How one channel plugs into the shell."""

    name: str
    # None when the channel is on; else why not (a label key under channel_detail).
    problem: Callable[[Settings], str | None]
    # What ``serve`` says about it when it is on: a label key and a value.
    describe: Callable[[Settings], tuple[str, str]]
    adapter: Callable[[App], ChannelAdapter] | None = None
    routes: Callable[[App], list[BaseRoute]] | None = None
    # Started before ``serve`` says it is running, stopped (and drained) when it stops.
    service: Service | None = None
    # For /readyz: makes the channel's check, which answers (ready?, details).
    ready: Callable[[App], ReadyCheck] | None = None

    def state(self, settings: Settings) -> ChannelState:
        """This channel's state under ``settings``."""
        problem = self.problem(settings)
        if problem is not None:
            return ChannelState(self.name, False, problem)
        reason, value = self.describe(settings)
        return ChannelState(self.name, True, reason, value)


# -- the staff feed and the terminal chat ------------------------------------------------------


def _feed_adapter(app: App) -> ChannelAdapter:
    from channels.staff_feed import StaffFeedAdapter

    return StaffFeedAdapter(app.settings.staff_feed_path)


# -- email -----------------------------------------------------------------------------------


def _email_problem(settings: Settings) -> str | None:
    return None if settings.email_enabled else "email_off"


def _email_describe(settings: Settings) -> tuple[str, str]:
    where = f"{settings.smtp_host}:{settings.smtp_port}"
    to = ", ".join(settings.complaint_address_list)
    out = (
        f"relay {settings.relay_host}:{settings.relay_port}"
        if settings.relay_host
        else str(settings.mail_drop_path)
    )
    checks = {
        "mx": f"senders checked (SPF, DKIM, DMARC; trusted: {settings.email_trusted_networks})",
        "forwarded": f"senders as {settings.email_authserv_id} says",
        "off": "senders NOT checked",
    }[settings.email_sender_checks]
    signed = "; signed with DKIM" if settings.dkim_private_key_path else ""
    return "email_live", f"{where} for {to}; {checks}; out: {out}{signed}"


def _email_adapter(app: App) -> ChannelAdapter:
    from bot.mail import email_adapter

    return email_adapter(app.settings)


@contextlib.asynccontextmanager
async def _smtp_service(app: App) -> AsyncIterator[None]:
    from bot.mail import start_smtp
    from channels.email.server import stop_smtp_server

    server, handler = await start_smtp(app)
    try:
        yield
    finally:
        await stop_smtp_server(server)
        await handler.drain()  # deliveries in progress finish (and commit) first


# -- SMS (Twilio) ----------------------------------------------------------------------------


def _sms_describe(settings: Settings) -> tuple[str, str]:
    from bot.webhooks.twilio import INCOMING_PATH

    if settings.sms_pretend:
        return "sms_pretend", ""
    return "sms_live", settings.public_url(INCOMING_PATH)


def _sms_adapter(app: App) -> ChannelAdapter:
    from bot.webhooks.twilio import sms_adapter

    return sms_adapter(app.settings)


def _sms_routes(app: App) -> list[BaseRoute]:
    from bot.webhooks.twilio import twilio_routes

    return list(twilio_routes(app))


# -- Slack (the staff console) ---------------------------------------------------------------


def _slack_describe(settings: Settings) -> tuple[str, str]:
    from bot.slack.serving import EVENTS_PATH

    if settings.slack_mode == "socket":
        return "slack_socket", ""
    return "slack_http", settings.public_url(EVENTS_PATH)


def _slack_adapter(app: App) -> ChannelAdapter:
    from bot.slack.serving import slack_adapter

    return slack_adapter(app)


def _slack_routes(app: App) -> list[BaseRoute]:
    from bot.slack.serving import slack_routes

    return slack_routes(app) if app.settings.slack_mode == "http" else []


def _slack_service(app: App) -> contextlib.AbstractAsyncContextManager[None]:
    from bot.slack.serving import socket_mode

    return socket_mode(app)


def _slack_ready(app: App) -> ReadyCheck:
    from bot.slack.serving import slack_ready

    return slack_ready(app)


# -- Telegram --------------------------------------------------------------------------------


def _telegram_describe(settings: Settings) -> tuple[str, str]:
    if settings.telegram_pretend:
        return "telegram_pretend", ""
    if settings.telegram_mode == "polling":
        return "telegram_polling", ""
    return "telegram_webhook", settings.public_url(settings.telegram_webhook_path)


def _telegram_adapter(app: App) -> ChannelAdapter:
    from bot.telegram.serving import telegram_adapter

    return telegram_adapter(app)


def _telegram_routes(app: App) -> list[BaseRoute]:
    from bot.telegram.serving import telegram_routes

    return telegram_routes(app)


def _telegram_service(app: App) -> contextlib.AbstractAsyncContextManager[None]:
    from bot.telegram.serving import telegram_service

    return telegram_service(app)


def _telegram_ready(app: App) -> ReadyCheck:
    from bot.telegram.serving import telegram_ready

    return telegram_ready(app)


def _on(reason: str) -> Callable[[Settings], tuple[str, str]]:
    return lambda _settings: (reason, "")


CHANNELS: tuple[Channel, ...] = (
    Channel("console", lambda _s: None, _on("console")),
    Channel(
        "staff-feed",
        lambda _s: None,
        lambda settings: ("staff_feed", str(settings.staff_feed_path)),
        adapter=_feed_adapter,
    ),
    Channel(
        "email",
        _email_problem,
        _email_describe,
        adapter=_email_adapter,
        service=_smtp_service,
    ),
    Channel(
        "sms",
        lambda settings: settings.sms_problem,
        _sms_describe,
        adapter=_sms_adapter,
        routes=_sms_routes,
    ),
    Channel(
        "slack",
        lambda settings: settings.slack_problem,
        _slack_describe,
        adapter=_slack_adapter,
        routes=_slack_routes,
        service=_slack_service,
        ready=_slack_ready,
    ),
    Channel(
        "telegram",
        lambda settings: settings.telegram_problem,
        _telegram_describe,
        adapter=_telegram_adapter,
        routes=_telegram_routes,
        service=_telegram_service,
        ready=_telegram_ready,
    ),
)


def live_channels(settings: Settings) -> list[Channel]:
    """The channels switched on by these settings."""
    return [channel for channel in CHANNELS if channel.problem(settings) is None]
