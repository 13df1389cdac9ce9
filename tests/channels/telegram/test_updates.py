"""Reading Telegram updates: what is a customer's message, a button press, or neither."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from channels.telegram.updates import (
    Incoming,
    MalformedUpdate,
    Press,
    Unhandled,
    command,
    parse_update,
)
from fakes.telegram_api import FakeTelegram, SentMessage

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
BOT = 7000000001
fake = FakeTelegram()


def parse(update: dict[str, Any]) -> Incoming | Press | Unhandled:
    return parse_update(update, b"{}", NOW, BOT)


def test_a_private_message_is_the_customers_words_from_their_lasting_address() -> None:
    update = fake.message(4242, "my parcel never came", first_name="Aisha", language_code="ur")
    found = parse(update)
    assert isinstance(found, Incoming)
    message = found.message
    assert (message.channel, message.address, message.text) == (
        "telegram",
        "4242",
        "my parcel never came",
    )
    assert message.display_name == "Aisha"
    assert message.provider_id == f"{BOT}:{update['update_id']}"
    assert found.language == "ur"


def test_the_largest_photo_and_a_document_are_the_files_to_fetch() -> None:
    update = fake.message(
        4242,
        "see attached",
        photo=[
            {"file_id": "thumb", "file_unique_id": "a", "width": 90, "height": 90},
            {
                "file_id": "big",
                "file_unique_id": "b",
                "width": 1280,
                "height": 960,
                "file_size": 200_000,
            },
        ],
        document={
            "file_id": "doc",
            "file_unique_id": "c",
            "file_name": "receipt.pdf",
            "mime_type": "application/pdf",
        },
    )
    found = parse(update)
    assert isinstance(found, Incoming)
    assert found.message.text == "see attached"
    assert [(f.file_id, f.filename, f.content_type) for f in found.files] == [
        ("big", "photo.jpg", "image/jpeg"),
        ("doc", "receipt.pdf", "application/pdf"),
    ]


def test_a_shared_contact_is_its_phone_number_with_whose_it_is() -> None:
    contact = {"phone_number": "447700900123", "first_name": "Sam", "user_id": 4242}
    found = parse(fake.message(4242, None, contact=contact))
    assert isinstance(found, Incoming)
    assert (found.message.text, found.contact_user_id, found.sender_id) == (
        "+447700900123",
        4242,
        4242,
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"chat_type": "group"}, "group"),
        ({"chat_type": "supergroup"}, "group"),
    ],
)
def test_group_messages_are_not_complaints(change: dict[str, Any], reason: str) -> None:
    found = parse(fake.message(4242, "hello", **change))
    assert isinstance(found, Unhandled)
    assert found.reason == reason
    assert found.message is not None
    assert reason in found.message.flags


def test_another_bots_message_and_an_edit_and_a_channel_post_are_not_answers() -> None:
    from_bot = fake.message(4242, "beep")
    from_bot["message"]["from"]["is_bot"] = True
    edited = fake.message(4242, "edited words")
    edited["edited_message"] = edited.pop("message")
    post = fake.message(4242, "news")
    post["channel_post"] = post.pop("message")
    assert [parse(u).reason for u in (from_bot, edited, post)] == ["bot", "edited", "channel-post"]  # type: ignore[union-attr]


def test_a_button_press_names_the_question_and_the_choice() -> None:
    sent = SentMessage(4242, 77, "What would you like?", "HTML", None)
    found = parse(fake.press(4242, sent, "123:refund"))
    assert isinstance(found, Press)
    assert (found.outbox_id, found.value, found.message_id, found.chat_id) == (
        123,
        "refund",
        77,
        4242,
    )
    assert found.message.text == "refund"


@pytest.mark.parametrize("data", ["refund", "x:refund", "", "1:"])
def test_a_press_with_data_we_never_sent_is_answered_and_ignored(data: str) -> None:
    sent = SentMessage(4242, 77, "?", "HTML", None)
    found = parse(fake.press(4242, sent, data))
    assert isinstance(found, Unhandled)
    assert found.callback_id is not None


@pytest.mark.parametrize(
    "update",
    [{}, {"update_id": "1"}, {"update_id": 1, "message": {"text": "no chat"}}, {"update_id": -5}],
)
def test_an_update_missing_what_telegram_always_sends_is_malformed(update: dict[str, Any]) -> None:
    with pytest.raises(MalformedUpdate):
        parse(update)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", ("start", "")),
        ("/start CB-K7M3-XD9A", ("start", "CB-K7M3-XD9A")),
        ("/status@complaints_bot", ("status", "")),
        ("my order / your fault", None),
        ("hello", None),
    ],
)
def test_commands_are_read_with_or_without_the_bots_name(
    text: str, expected: tuple[str, str] | None
) -> None:
    assert command(text) == expected
