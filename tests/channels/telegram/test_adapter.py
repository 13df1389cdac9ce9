"""The Telegram adapter: the real python-telegram-bot Bot against the local fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from channels.base import Choice, DeliveryError, OutboundMessage
from channels.telegram.adapter import ASK_CONTACT, TelegramAdapter, TelegramUnavailable
from fakes.telegram_api import FakeTelegram, new_token

CHAT = 4242


@pytest.fixture
def telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def adapter(telegram: FakeTelegram) -> AsyncIterator[TelegramAdapter]:
    sender = TelegramAdapter(telegram.token, api_base_url=telegram.url, per_chat_interval=0)
    yield sender
    await sender.close()


def outbound(text: str, outbox_id: int = 1, **extra: object) -> OutboundMessage:
    return OutboundMessage(
        channel="telegram", address=str(CHAT), text=text, outbox_id=outbox_id, **extra
    )  # type: ignore[arg-type]


async def test_choices_become_buttons_that_name_the_question(
    adapter: TelegramAdapter, telegram: FakeTelegram
) -> None:
    message = outbound("Do you agree?", 31, choices=(Choice("yes", "Yes"), Choice("no", "No")))
    result = await adapter.send(message)
    (sent,) = telegram.sent_to(CHAT)
    assert result.provider_id == str(sent.message_id)
    assert sent.parse_mode == "HTML"
    assert sent.buttons() == [("Yes", "31:yes"), ("No", "31:no")]


async def test_the_contact_question_offers_to_share_the_phone_number(
    adapter: TelegramAdapter, telegram: FakeTelegram
) -> None:
    await adapter.send(outbound("How can we reach you?", purpose=ASK_CONTACT))
    assert telegram.sent_to(CHAT)[0].asks_for_contact()


async def test_a_long_message_arrives_in_parts_with_the_buttons_on_the_last(
    adapter: TelegramAdapter, telegram: FakeTelegram
) -> None:
    text = "\n\n".join(f"Paragraph {n}. " + "More words here. " * 20 for n in range(30))
    await adapter.send(outbound(text, choices=(Choice("yes", "Yes"),)))
    parts = telegram.sent_to(CHAT)
    assert len(parts) > 1
    assert all(len(p.text) <= 4096 for p in parts)
    assert [bool(p.buttons()) for p in parts] == [False] * (len(parts) - 1) + [True]


async def test_one_message_a_second_per_chat_hands_the_row_back_instead_of_waiting(
    telegram: FakeTelegram,
) -> None:
    paced = TelegramAdapter(telegram.token, api_base_url=telegram.url)
    try:
        await paced.send(outbound("first"))
        with pytest.raises(DeliveryError) as raised:
            await paced.send(outbound("second"))
        other = OutboundMessage(channel="telegram", address="5555", text="hi", outbox_id=3)
        await paced.send(other)  # another chat is not held up
    finally:
        await paced.close()
    assert raised.value.retry_after is not None
    assert 0 < raised.value.retry_after <= 1
    assert [m.text for m in telegram.sent_to(CHAT)] == ["first"]


async def test_flood_control_is_a_wait_not_a_failure(
    adapter: TelegramAdapter, telegram: FakeTelegram
) -> None:
    telegram.flood(1, retry_after=7)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(outbound("hello"))
    assert raised.value.retry_after == 7
    assert not raised.value.permanent


async def test_a_user_who_blocked_the_bot_is_unreachable_for_good(
    adapter: TelegramAdapter, telegram: FakeTelegram
) -> None:
    telegram.block(CHAT)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(outbound("hello"))
    assert raised.value.permanent
    assert raised.value.unreachable
    assert "blocked" in raised.value.reason


async def test_a_chat_that_does_not_exist_is_a_permanent_failure(adapter: TelegramAdapter) -> None:
    message = OutboundMessage(channel="telegram", address="-100", text="hi", outbox_id=1)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(message)
    assert raised.value.permanent
    assert not raised.value.unreachable


async def test_files_are_fetched_up_to_the_limit(
    adapter: TelegramAdapter, telegram: FakeTelegram
) -> None:
    small = telegram.add_file(b"x" * 100, "documents/a.pdf")
    large = telegram.add_file(b"y" * 5000, "documents/b.pdf")
    assert await adapter.download(small, 1000) == b"x" * 100
    assert await adapter.download(large, 1000) is None


async def test_a_refused_token_is_said_without_the_token(telegram: FakeTelegram) -> None:
    wrong = new_token(telegram.bot_id)
    refused = TelegramAdapter(wrong, api_base_url=telegram.url)
    try:
        with pytest.raises(TelegramUnavailable) as raised:
            await refused.start()
    finally:
        await refused.close()
    assert wrong.split(":")[1] not in str(raised.value)
    assert "refused" in str(raised.value)


async def test_a_provider_that_cannot_be_reached_is_retried_later() -> None:
    unreachable = TelegramAdapter(new_token(), api_base_url="http://127.0.0.1:9", timeout=2)
    try:
        with pytest.raises(TelegramUnavailable):
            await unreachable.send(outbound("hello"))
    finally:
        await unreachable.close()
