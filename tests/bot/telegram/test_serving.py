"""Telegram in ``serve``: startup calls, polling with a lease and a saved offset, readiness."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.registry import ChannelUnavailable
from bot.services.app import App
from bot.settings import Settings
from bot.storage.migrate import upgrade
from bot.storage.models import ChannelCursor, MessageIn, Outbox
from bot.telegram.cursor import Cursor
from bot.telegram.serving import telegram_ready, telegram_service
from fakes import SeededRandom
from fakes.telegram_api import FakeTelegram, new_token
from tests.bot.telegram.conftest import PUBLIC, SECRET

CHAT = 5151


async def make_app(
    tmp_path: Path, database_url: str, telegram: FakeTelegram, **settings: object
) -> App:
    values: dict[str, object] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "public_base_url": PUBLIC,
        "telegram_bot_token": telegram.token,
        "telegram_webhook_secret": SECRET,
        "telegram_api_base_url": telegram.url,
        "telegram_poll_seconds": 1,
        **settings,
    }
    app = App.create(Settings(_env_file=None, **values), random=SeededRandom())  # type: ignore[call-arg, arg-type]
    await upgrade(app.engine)
    return app


@pytest.fixture
async def polling_app(
    tmp_path: Path, database_url: str, telegram: FakeTelegram
) -> AsyncIterator[App]:
    app = await make_app(tmp_path, database_url, telegram, telegram_mode="polling")
    yield app
    await app.close()


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait (up to ten seconds) until ``check`` says yes."""
    async with asyncio.timeout(10):
        while not await check():  # noqa: ASYNC110 (a database row, not an event)
            await asyncio.sleep(0.05)


async def test_webhook_mode_points_telegram_at_the_public_url_with_the_secret(
    tg_app: App, telegram: FakeTelegram
) -> None:
    async with telegram_service(tg_app):
        hook = telegram.webhook
    assert hook["url"] == f"{PUBLIC}/webhooks/telegram"
    assert hook["secret_token"] == SECRET
    assert set(hook["allowed_updates"]) == {"message", "edited_message", "callback_query"}
    assert hook["drop_pending_updates"] in (False, "false", "False")
    assert [c["command"] for c in telegram.commands] == ["start", "status", "new", "cancel", "help"]
    # The same commands, described in each customer language for users set to it.
    english = {c["command"]: c["description"] for c in telegram.commands}
    french = {c["command"]: c["description"] for c in telegram.commands_for("fr")}
    assert french.keys() == english.keys()
    assert french["help"] != english["help"]


async def test_polling_handles_updates_and_saves_the_offset_so_a_restart_repeats_nothing(
    polling_app: App, telegram: FakeTelegram
) -> None:
    first = telegram.message(CHAT, "My fridge stopped cooling and all the food went off, order 321")
    telegram.queue(first)
    async with telegram_service(polling_app):
        assert telegram.webhook == {}, "deleteWebhook comes first"

        async def handled() -> bool:
            async with polling_app.sessions() as session:
                return bool((await session.scalars(select(MessageIn))).all())

        await eventually(handled)
        await asyncio.sleep(0.2)
    async with polling_app.sessions() as session:
        cursor = (await session.scalars(select(ChannelCursor))).one()
        replies = (await session.scalars(select(Outbox))).all()
    assert cursor.position == first["update_id"] + 1
    assert cursor.holder is None, "the lease is given up on stopping"
    assert replies

    # Restarted: the same update offered again (as if never confirmed) changes nothing.
    telegram.queue(first)
    second = telegram.message(CHAT, "hello?")
    telegram.queue(second)
    async with telegram_service(polling_app):

        async def both() -> bool:
            async with polling_app.sessions() as session:
                return len((await session.scalars(select(MessageIn))).all()) >= 2

        await eventually(both)
        await asyncio.sleep(0.2)
    async with polling_app.sessions() as session:
        texts = (await session.scalars(select(MessageIn.text).order_by(MessageIn.id))).all()
    assert texts == [first["message"]["text"], "hello?"]


async def test_only_one_instance_polls_at_a_time(polling_app: App) -> None:
    one = Cursor(polling_app, "telegram:1", "instance-a")
    other = Cursor(polling_app, "telegram:1", "instance-b")
    assert await one.take() == 0
    assert await other.take() is None
    assert await one.advance(17)
    assert not await other.advance(99), "a poller without the lease cannot move the offset"
    await one.release()
    assert await other.take() == 17


async def test_a_refused_token_stops_serve_with_a_reason_and_no_token(
    tmp_path: Path, database_url: str, telegram: FakeTelegram
) -> None:
    wrong = new_token(telegram.bot_id)
    app = await make_app(tmp_path, database_url, telegram, telegram_bot_token=wrong)
    try:
        with pytest.raises(ChannelUnavailable) as raised:
            async with telegram_service(app):
                pass
    finally:
        await app.close()
    assert "refused" in raised.value.reason
    assert wrong.split(":")[1] not in str(raised.value)


async def test_readiness_reports_the_bot_and_its_webhook_without_the_token(
    tg_app: App, telegram: FakeTelegram
) -> None:
    check = telegram_ready(tg_app)
    ok, details = await check()
    assert not ok, "the webhook is not set yet"
    async with telegram_service(tg_app):
        ready = telegram_ready(tg_app)
        ok, details = await ready()
    assert ok
    assert details["bot"] == telegram.username
    assert details["webhook_url"] == f"{PUBLIC}/webhooks/telegram"
    assert telegram.token.split(":")[1] not in json.dumps(details)
