"""A Telegram-enabled app on the fake Bot API, and helpers to talk to it as a customer."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.settings import Settings
from channels.telegram.adapter import TelegramAdapter
from fakes import FakeClock
from fakes.telegram_api import FakeTelegram, SentMessage
from tests.support.apps import migrated_app, web_client

PUBLIC = "https://complaints.example.com"
SECRET = "s3cret-token-for-webhooks_123"
CHAT = 4242


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def tg_app(
    tmp_path: Path, database_url: str, clock: FakeClock, telegram: FakeTelegram
) -> AsyncIterator[App]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        public_base_url=PUBLIC,
        telegram_bot_token=telegram.token,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.url,
        max_webhook_bytes=16_384,
        max_attachment_bytes=64 * 1024,
    )
    async with migrated_app(settings, clock) as application:
        yield application


@pytest.fixture
async def client(tg_app: App) -> AsyncIterator[httpx.AsyncClient]:
    async with web_client(tg_app, PUBLIC) as http:
        yield http


class Customer:
    """A Telegram user writing to the bot through the webhook; replies come via the outbox."""

    def __init__(
        self, client: httpx.AsyncClient, telegram: FakeTelegram, app: App, chat: int = CHAT
    ) -> None:
        self.client, self.telegram, self.app, self.chat = client, telegram, app, chat

    async def post(self, update: dict[str, Any], secret: str | None = SECRET) -> httpx.Response:
        """Post one update to the webhook as Telegram would."""
        clock = self.app.clock
        if isinstance(clock, FakeClock):
            clock.advance(seconds=5)  # a person takes a moment to answer
        headers = {"Content-Type": "application/json"}
        if secret is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        return await self.client.post(
            "/webhooks/telegram", content=json.dumps(update), headers=headers
        )

    async def deliver(self) -> list[SentMessage]:
        """Send what the outbox holds; everything the chat has received so far."""
        # The one-message-a-second pacing has tests of its own; here it would only be slow.
        adapter = TelegramAdapter(
            self.telegram.token, api_base_url=self.telegram.url, per_chat_interval=0.0
        )
        try:
            await Dispatcher(self.app, {"telegram": adapter}).run_once()
        finally:
            await adapter.close()
        return self.telegram.sent_to(self.chat)

    async def says(self, text: str, **extra: Any) -> list[SentMessage]:
        """Write ``text``; returns the messages that came back for it."""
        before = len(self.telegram.sent_to(self.chat))
        response = await self.post(self.telegram.message(self.chat, text, **extra))
        assert response.status_code == 200, response.text
        return (await self.deliver())[before:]

    async def presses(self, sent: SentMessage, label: str) -> list[SentMessage]:
        """Press the button labelled ``label`` on ``sent``; returns what came back."""
        (data,) = [data for text, data in sent.buttons() if text == label]
        before = len(self.telegram.sent_to(self.chat))
        response = await self.post(self.telegram.press(self.chat, sent, data))
        assert response.status_code == 200, response.text
        return (await self.deliver())[before:]


@pytest.fixture
def customer(client: httpx.AsyncClient, telegram: FakeTelegram, tg_app: App) -> Customer:
    return Customer(client, telegram, tg_app)
