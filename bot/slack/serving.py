"""Connecting the console to Slack: HTTP webhooks on ``serve``'s app, or Socket Mode."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.adapter.starlette.async_handler import to_async_bolt_request, to_starlette_response
from slack_sdk.errors import SlackApiError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from bot.registry import ChannelUnavailable
from bot.services.app import App
from bot.slack.console import Console, web_client
from bot.webhooks import BodyTooLarge, read_body
from channels.slack.adapter import SlackAdapter

log = logging.getLogger(__name__)
EVENTS_PATH = "/webhooks/slack/events"
INTERACTIVITY_PATH = "/webhooks/slack/interactivity"
COMMANDS_PATH = "/webhooks/slack/commands"
# /readyz may be probed every few seconds; Slack is asked at most this often.
READY_CACHE_SECONDS = 30.0
CONNECT_SECONDS = 30.0
# A readiness probe waits this long for Slack at most.
READY_TIMEOUT_SECONDS = 5.0


def slack_adapter(app: App) -> SlackAdapter:
    """The adapter the outbox posts staff cards and notices with."""
    assert app.settings.slack_bot_token is not None
    return SlackAdapter(
        app.settings.slack_bot_token.get_secret_value(),
        base_url=app.settings.slack_api_base_url,
    )


def slack_routes(app: App) -> list[BaseRoute]:
    """Events, interactivity and the slash command, through bolt, behind the body-size cap."""
    console = Console(app)
    limit = app.settings.max_webhook_bytes

    async def endpoint(request: Request) -> Response:
        try:
            body = await read_body(request, limit)
        except BodyTooLarge:
            return PlainTextResponse("request too large", status_code=413)
        # bolt verifies the signature and the timestamp (401 when either is wrong).
        answer = await console.bolt.async_dispatch(to_async_bolt_request(request, body))
        return to_starlette_response(answer)

    return [
        Route(path, endpoint, methods=["POST"])
        for path in (EVENTS_PATH, INTERACTIVITY_PATH, COMMANDS_PATH)
    ]


@contextlib.asynccontextmanager
async def socket_mode(app: App) -> AsyncIterator[None]:
    """In Socket Mode, keep a connection to Slack open while ``serve`` runs."""
    if app.settings.slack_mode != "socket":
        yield
        return
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    assert app.settings.slack_app_token is not None
    token = app.settings.slack_app_token.get_secret_value()
    console = Console(app)
    # slack_sdk retries a refused connection forever: ask once first, and fail with a reason.
    try:
        await console.client.apps_connections_open(app_token=token)
    except SlackApiError as error:
        raise ChannelUnavailable(
            "slack", f"Slack refused the app-level token ({error.response.get('error')})"
        ) from None
    except (aiohttp.ClientError, OSError) as error:
        raise ChannelUnavailable("slack", f"Slack could not be reached ({error})") from None
    handler = AsyncSocketModeHandler(console.bolt, token)
    try:
        async with asyncio.timeout(CONNECT_SECONDS):
            await handler.connect_async()  # type: ignore[no-untyped-call]
        yield
    except TimeoutError:
        raise ChannelUnavailable("slack", "Socket Mode did not connect in time") from None
    finally:
        await handler.close_async()  # type: ignore[no-untyped-call]


def slack_ready(app: App) -> Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]:
    """A readiness check: does Slack accept the token, which mapped channels is the app not in.

    Probes may come every few seconds; Slack is asked at most every READY_CACHE_SECONDS.
    """
    cache: list[tuple[float, tuple[bool, dict[str, Any]]]] = []

    async def check() -> tuple[bool, dict[str, Any]]:
        if cache and cache[0][0] > time.monotonic():
            return cache[0][1]
        result = await _ask_slack(app)
        cache[:] = [(time.monotonic() + READY_CACHE_SECONDS, result)]
        return result

    return check


async def _ask_slack(app: App) -> tuple[bool, dict[str, Any]]:
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            return await _ask_slack_now(app)
    except (TimeoutError, aiohttp.ClientError, OSError) as error:
        return False, {"auth": f"Slack could not be reached ({type(error).__name__})"}


async def _ask_slack_now(app: App) -> tuple[bool, dict[str, Any]]:
    client = web_client(app)
    details: dict[str, Any] = {}
    try:
        answer = await client.auth_test()
        details["auth"] = "accepted"
        details["team"] = answer.get("team_id")
        ok = answer.get("team_id") == app.settings.slack_team_id
        if not ok:
            details["auth"] = "for another workspace"
    except SlackApiError as error:
        details["auth"] = f"refused: {error.response.get('error')}"
        ok = False
    if ok:
        missing = []
        for channel in app.staff.slack_channels():
            try:
                info = await client.conversations_info(channel=channel)
                member = bool((info.get("channel") or {}).get("is_member"))
            except SlackApiError:
                member = False
            if not member:
                missing.append(channel)
        details["not_in_channels"] = missing
    return ok, details
