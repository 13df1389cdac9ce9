"""Telegram's webhook: the secret token, bad input, duplicates, and what is not a complaint."""

from __future__ import annotations

import logging

import httpx
import pytest
from sqlalchemy import select

from bot.services.app import App
from bot.storage.models import Identity, MessageIn, Outbox
from fakes.telegram_api import FakeTelegram
from tests.bot.telegram.conftest import CHAT, Customer


async def stored(app: App) -> list[MessageIn]:
    async with app.sessions() as session:
        return list((await session.scalars(select(MessageIn).order_by(MessageIn.id))).all())


async def replies_waiting(app: App) -> list[Outbox]:
    async with app.sessions() as session:
        query = select(Outbox).where(Outbox.audience == "customer")
        return list((await session.scalars(query)).all())


@pytest.mark.parametrize("secret", [None, "", "wrong-secret-token-0000000"])
async def test_an_update_without_the_secret_token_is_refused_and_changes_nothing(
    customer: Customer, telegram: FakeTelegram, tg_app: App, secret: str | None
) -> None:
    response = await customer.post(telegram.message(CHAT, "hello"), secret=secret)
    assert response.status_code == 403
    assert await stored(tg_app) == []


async def test_an_oversized_update_is_refused(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    response = await customer.post(telegram.message(CHAT, "x" * 20_000))
    assert response.status_code == 413
    assert await stored(tg_app) == []


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"message": {"text": "hi"}}'])
async def test_a_malformed_update_is_a_bad_request(
    client: httpx.AsyncClient, tg_app: App, body: str
) -> None:
    response = await client.post(
        "/webhooks/telegram",
        content=body,
        headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token-for-webhooks_123"},
    )
    assert response.status_code == 400
    assert await stored(tg_app) == []


async def test_an_update_telegram_sends_again_is_handled_once(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    update = telegram.message(CHAT, "My order 5512 never arrived and nobody answers the phone")
    assert (await customer.post(update)).status_code == 200
    answered = len(await replies_waiting(tg_app))
    assert (await customer.post(update)).status_code == 200
    assert len(await stored(tg_app)) == 1
    assert len(await replies_waiting(tg_app)) == answered


@pytest.mark.parametrize("chat_type", ["group", "supergroup"])
async def test_a_group_message_is_stored_and_not_answered(
    customer: Customer, telegram: FakeTelegram, tg_app: App, chat_type: str
) -> None:
    update = telegram.message(CHAT, "your bot is rubbish", chat_type=chat_type)
    assert (await customer.post(update)).status_code == 200
    (message,) = await stored(tg_app)
    assert "group" in message.flags
    assert await replies_waiting(tg_app) == []


async def test_an_edited_message_is_kept_but_is_not_a_new_answer(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    await customer.says("/start")
    asked = len(await replies_waiting(tg_app))
    edit = telegram.message(CHAT, "my toaster caught fire")
    edit["edited_message"] = edit.pop("message")
    assert (await customer.post(edit)).status_code == 200
    assert "edited" in (await stored(tg_app))[-1].flags
    assert len(await replies_waiting(tg_app)) == asked


async def test_html_in_what_customers_write_is_shown_as_written(
    customer: Customer, telegram: FakeTelegram
) -> None:
    await customer.says("/start")
    await customer.says("The <b>bold</b> & </a> kettle <script>alert(1)</script> leaks")
    replies = await customer.says("skip")
    summary_or_question = "\n".join(reply.text for reply in telegram.sent_to(CHAT))
    assert all(reply.parse_mode == "HTML" for reply in replies)
    assert "<b>" not in summary_or_question
    assert "</a>" not in summary_or_question
    # Telegram shows the escapes as the characters the customer typed.
    assert all("&lt;" in r.text or "<" not in r.text for r in telegram.sent_to(CHAT))


async def test_the_language_telegram_reports_is_kept_on_the_identity(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    await customer.post(telegram.message(CHAT, "bonjour", language_code="fr"))
    async with tg_app.sessions() as session:
        identity = (await session.scalars(select(Identity))).one()
    assert (identity.channel, identity.address, identity.language) == ("telegram", "4242", "fr")


async def test_an_unknown_command_gets_the_help(customer: Customer) -> None:
    replies = await customer.says("/frobnicate")
    assert "/status" in replies[-1].text


async def test_a_deep_link_shows_a_case_only_to_its_own_customer(
    customer: Customer, telegram: FakeTelegram, tg_app: App, client: httpx.AsyncClient
) -> None:
    from tests.bot.telegram.test_journey import register

    reference = await register(customer, telegram)
    mine = await customer.says(f"/start {reference}")
    assert reference in mine[-1].text

    stranger = Customer(client, telegram, tg_app, chat=9999)
    theirs = await stranger.says(f"/start {reference}")
    assert theirs, "a stranger still gets an answer"
    assert all("investigat" not in r.text.lower() and "Brio" not in r.text for r in theirs)


async def test_someone_elses_contact_card_is_not_taken_as_a_way_to_reach_them(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    contact = {"phone_number": "447700900999", "first_name": "Other", "user_id": 1}
    update = telegram.message(CHAT, None, contact=contact)
    assert (await customer.post(update)).status_code == 200
    (message,) = await stored(tg_app)
    assert "contact-not-own" in message.flags
    assert await replies_waiting(tg_app) == []


async def test_the_bot_token_never_reaches_a_log_line(
    customer: Customer, telegram: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.logs import RedactSecrets

    caplog.handler.addFilter(RedactSecrets())
    with caplog.at_level(logging.DEBUG):
        await customer.says("/start")
        photo = telegram.add_file(b"\x89PNG" + b"0" * 50, "photos/file_9.png")
        await customer.says(
            "see", photo=[{"file_id": photo, "file_unique_id": "x", "width": 1, "height": 1}]
        )
    assert "HTTP Request" in caplog.text, "the HTTP client logged its requests"
    assert telegram.token not in caplog.text
    secret = telegram.token.split(":", 1)[1]
    leaks = [r.getMessage() for r in caplog.records if secret in r.getMessage()]
    assert leaks == [], leaks
