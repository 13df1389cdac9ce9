"""Telegram in ``serve``: the webhook route, the polling loop, startup calls and /readyz."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route
from telegram.error import TelegramError

from bot.registry import ChannelUnavailable
from bot.services.app import App
from bot.telegram.cursor import Cursor, holder_name
from bot.telegram.handling import handle_update
from bot.webhooks import BodyTooLarge, read_body
from channels.telegram.adapter import TelegramAdapter, TelegramUnavailable
from channels.telegram.updates import MalformedUpdate

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)
# The menu customers see; descriptions are labels under [telegram_commands].
COMMANDS = ("start", "status", "new", "cancel", "help")
READY_CACHE_SECONDS = 30.0
READY_TIMEOUT_SECONDS = 5.0
_RETRY_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)


def telegram_adapter(app: App) -> TelegramAdapter:
    """An adapter for the configured bot (the outbox, the webhook and the poller each own one)."""
    assert app.settings.telegram_bot_token is not None
    return TelegramAdapter(
        app.settings.telegram_bot_token.get_secret_value(),
        api_base_url=app.settings.telegram_api_base_url,
        share_contact_label=app.renderer.label("telegram.share_contact"),
    )


def telegram_routes(app: App) -> list[BaseRoute]:
    """The webhook Telegram posts updates to (webhook mode only)."""
    settings = app.settings
    if settings.telegram_mode != "webhook":
        return []
    assert settings.telegram_webhook_secret is not None
    secret = settings.telegram_webhook_secret.get_secret_value().encode()
    adapter = telegram_adapter(app)
    app.on_close(adapter.close)

    async def webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            log.warning("refused a Telegram webhook with a missing or wrong secret token")
            return PlainTextResponse("invalid secret token", status_code=403)
        try:
            body = await read_body(request, settings.max_webhook_bytes)
        except BodyTooLarge:
            return PlainTextResponse("request too large", status_code=413)
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise MalformedUpdate("not an object")
            # Committed before Telegram hears 200: an update it retries is a duplicate.
            await handle_update(app, adapter, data, body)
        except (ValueError, MalformedUpdate) as error:
            return PlainTextResponse(f"malformed update: {error}"[:200], status_code=400)
        return Response(status_code=200)

    return [Route(settings.telegram_webhook_path, webhook, methods=["POST"])]


@contextlib.asynccontextmanager
async def telegram_service(app: App) -> AsyncIterator[None]:
    """Check the token, publish the command menu, then set the webhook or start polling."""
    settings = app.settings
    adapter = telegram_adapter(app)
    try:
        if settings.telegram_pretend:
            # The pretend app (scripts.telegram_chat) posts straight to the webhook and may
            # start after serve: nothing to set up, and nothing to fail on.
            yield
            return
        try:
            await adapter.start()
            # The menu in the default language for everyone, and in each other language for
            # users whose Telegram is set to it.
            for code in app.settings.language_codes:
                renderer = app.locales.renderer(code)
                await adapter.set_commands(
                    [(name, renderer.label(f"telegram_commands.{name}")) for name in COMMANDS],
                    "" if code == app.settings.locale else code,
                )
            if settings.telegram_mode == "webhook":
                assert settings.telegram_webhook_secret is not None
                await adapter.set_webhook(
                    settings.public_url(settings.telegram_webhook_path),
                    settings.telegram_webhook_secret.get_secret_value(),
                )
            else:
                await adapter.delete_webhook()
        except TelegramUnavailable as error:
            raise ChannelUnavailable("telegram", str(error)) from None
        except TelegramError as error:
            raise ChannelUnavailable("telegram", f"Telegram refused: {error.message}") from None
        if settings.telegram_mode != "polling":
            yield
            return
        stop = asyncio.Event()
        cursor = Cursor(app, f"telegram:{adapter.bot_id}", holder_name())
        poller = asyncio.create_task(_poll(app, adapter, cursor, stop), name="telegram-poller")
        try:
            yield
        finally:
            stop.set()
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
            await cursor.release()
    finally:
        await adapter.close()


async def _poll(app: App, adapter: TelegramAdapter, cursor: Cursor, stop: asyncio.Event) -> None:
    """Long-poll getUpdates while this instance holds the lease; hand each update on."""
    failures = 0
    wait = app.settings.telegram_poll_seconds
    while not stop.is_set():
        offset = await cursor.take()
        if offset is None:
            await _pause(stop, 10.0)  # another instance polls; take over if it stops
            continue
        try:
            updates = await adapter.updates(offset, wait)
        except TelegramError as error:
            delay = _RETRY_SECONDS[min(failures, len(_RETRY_SECONDS) - 1)]
            failures += 1
            log.warning("Telegram getUpdates failed (%s); again in %g s", error.message, delay)
            await _pause(stop, delay)
            continue
        failures = 0
        for number, data in updates:
            raw = json.dumps(data, ensure_ascii=False).encode()
            try:
                await handle_update(app, adapter, data, raw)
            except MalformedUpdate as error:
                log.warning("skipped a malformed Telegram update %s: %s", number, error)
            # Each update is committed before the offset moves past it: a crash here means
            # the update comes again, and is then a duplicate.
            if not await cursor.advance(number + 1):
                break


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def telegram_ready(app: App) -> Callable[[], Awaitable[tuple[bool, dict[str, Any]]]]:
    """A readiness check: the token accepted, the webhook as Telegram has it, updates waiting."""
    cache: list[tuple[float, tuple[bool, dict[str, Any]]]] = []
    adapter = telegram_adapter(app)
    app.on_close(adapter.close)
    settings = app.settings

    async def check() -> tuple[bool, dict[str, Any]]:
        if settings.telegram_pretend:
            return True, {"mode": "pretend"}
        if cache and cache[0][0] > time.monotonic():
            return cache[0][1]
        details: dict[str, Any] = {"mode": settings.telegram_mode}
        try:
            async with asyncio.timeout(READY_TIMEOUT_SECONDS):
                info = await adapter.info()
        except (TelegramUnavailable, TelegramError, TimeoutError) as error:
            details["auth"] = f"not accepted or not reachable ({type(error).__name__})"
            result: tuple[bool, dict[str, Any]] = (False, details)
        else:
            expected = (
                settings.public_url(settings.telegram_webhook_path)
                if settings.telegram_mode == "webhook"
                else ""
            )
            details |= {
                "auth": "accepted",
                "bot": info.username,
                "webhook_url": info.webhook_url,
                "pending_updates": info.pending_updates,
            }
            result = (info.webhook_url == expected, details)
        cache[:] = [(time.monotonic() + READY_CACHE_SECONDS, result)]
        return result

    return check
