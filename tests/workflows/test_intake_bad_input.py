"""Bad input in a conversation: empty, huge, hostile, odd."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from tests.workflows.chat import (
    DESCRIPTION,
    Chat,
    asked,
    question,
    reply,
    templates,
)
from workflows.cases import CaseView
from workflows.conversation import Conversation, Field
from workflows.effects import (
    AttachMessage,
    ChangeStatus,
    NotifyStaff,
)
from workflows.intake import IntakeSettings
from workflows.lifecycle import CaseStatus

# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x07\x1b"])
def test_an_empty_message_is_answered_as_empty(chat: Chat, text: str) -> None:
    decision = chat.say(text)
    assert templates(decision) == ["customer/empty_message"]
    assert chat.conversation == Conversation()


def test_an_empty_message_during_intake_asks_the_question_again(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    before = chat.conversation
    decision = chat.say("  ")
    assert templates(decision) == ["customer/empty_message", "customer/ask_product"]
    assert chat.conversation == before


def test_an_attachment_alone_during_intake_is_noted_and_the_question_asked_again(
    chat: Chat,
) -> None:
    chat.say(DESCRIPTION)
    decision = chat.say("", attachments=True)
    assert templates(decision) == ["customer/attachment_noted", "customer/ask_product"]
    assert chat.conversation.asking is Field.PRODUCT


@pytest.mark.parametrize("mode", ["idle", "collecting"])
def test_a_huge_message_is_refused_as_too_long_and_changes_nothing(chat: Chat, mode: str) -> None:
    if mode == "collecting":
        chat.say(DESCRIPTION)
    before = chat.conversation
    decision = chat.say("x " * 50_000)
    # Refused, and where a question was pending, it is asked again.
    pending = [f"customer/ask_{before.asking.value}"] if before.asking else []
    assert templates(decision) == ["customer/too_long", *pending]
    context = reply(decision, "customer/too_long").context
    assert context["limit"] == chat.settings.max_message_length
    assert context["length"] == len(("x " * 50_000).strip())
    assert chat.conversation == before


def test_a_message_at_the_limit_is_accepted(chat: Chat) -> None:
    text = ("word " * chat.settings.max_message_length)[: chat.settings.max_message_length]
    decision = chat.say(text)
    assert "customer/too_long" not in templates(decision)
    assert chat.conversation.answer(Field.DESCRIPTION) == text.strip()


def test_control_characters_are_removed_from_what_is_kept(chat: Chat) -> None:
    chat.say("My\x00 parcel\x07 never\x1b arrived at all\r\nplease help")
    assert (
        chat.conversation.answer(Field.DESCRIPTION) == "My parcel never arrived at all\nplease help"
    )


@pytest.mark.parametrize(
    "text",
    ["החבילה שלי לא הגיעה בכלל 📦😡", "لم يصل الطرد أبدا إلى منزلي", "📦 never came 😡😡 at all"],
)
def test_emoji_and_right_to_left_text_are_accepted_as_a_description(chat: Chat, text: str) -> None:
    decision = chat.say(text)
    assert templates(decision) == ["customer/welcome_back", "customer/ask_product"]
    assert chat.conversation.answer(Field.DESCRIPTION) == text


@pytest.mark.parametrize(
    "text",
    [
        "help me, my order is late",
        "Track my parcel please, it never arrived and nobody answers",
        "Cancel my subscription? I asked you three times already",
    ],
)
def test_a_complaint_starting_with_a_command_word_is_a_complaint(chat: Chat, text: str) -> None:
    decision = chat.say(text)
    assert templates(decision)[0] == "customer/welcome_back"
    assert "customer/help" not in templates(decision)
    assert chat.conversation.answer(Field.DESCRIPTION) == text


def test_a_short_description_is_asked_for_again_once_then_accepted(chat: Chat) -> None:
    chat.say("hi")
    again = question(chat.say("It broke"))
    assert again is not None
    assert (again.template, again.context["retry"]) == ("customer/ask_description", True)
    assert asked(chat.say("It broke")) == "customer/ask_product"
    assert chat.conversation.answer(Field.DESCRIPTION) == "It broke"


def test_a_long_follow_up_reaches_staff_as_a_marked_preview(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case()
    chat.cases = (case,)
    text = "word " * 300
    [staff] = chat.say(text).of_type(NotifyStaff)
    assert staff.context["truncated"] is True
    preview = staff.context["text"]
    assert isinstance(preview, str)
    assert text.strip().startswith(preview)
    assert 0 < len(preview) < len(text.strip())


def test_dates_are_read_in_the_organisations_timezone(
    intake_settings: IntakeSettings, new_reference: Callable[[], str]
) -> None:
    from dataclasses import replace as copy_with
    from zoneinfo import ZoneInfo

    # 00:30 on 21 June in London is still 20 June in UTC.
    london = copy_with(intake_settings, timezone=ZoneInfo("Europe/London"))
    chat = Chat(london, datetime(2026, 6, 20, 23, 30, tzinfo=UTC), new_reference())
    chat.say("My parcel never arrived yesterday, order number 5512")
    assert chat.conversation.answer(Field.WHEN) == "2026-06-20"


def test_a_complaint_written_without_spaces_is_a_description(chat: Chat) -> None:
    chat.say("注文した洗濯機が届いてから一週間で壊れて水漏れしています")
    assert chat.conversation.answer(Field.DESCRIPTION) is not None


def test_words_at_the_withdrawal_question_reach_staff(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(status=CaseStatus.INVESTIGATING)
    chat.cases = (case,)
    chat.say("cancel")
    decision = chat.say("Actually the engineer just called, they are coming Monday")
    assert decision.of_type(AttachMessage) == [AttachMessage(case.reference)]
    assert decision.of_type(NotifyStaff)[0].template == "staff/customer_message"
    assert templates(decision) == ["customer/withdraw_kept"]
    assert not decision.of_type(ChangeStatus)
