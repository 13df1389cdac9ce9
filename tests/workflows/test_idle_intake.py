"""A customer who goes quiet mid-complaint: reminded once, then registered or set aside."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.workflows.chat import Chat, advance_to, templates
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings
from workflows.conversation import Field, Mode
from workflows.effects import Decision, NotifyStaff, OpenCase, RecordEvent, Reply
from workflows.idle_intake import decide_idle_intake, next_look


def look(chat: Chat, after: timedelta, *, lasting: bool = True) -> Decision | None:
    """What the idle-intake check decides ``after`` the customer's last message."""
    context = CustomerContext(now=chat.now + after, new_reference="CB-K7M3-XD9A")
    channel = CustomerMessage(text="", channel=chat.channel, lasting_address=lasting)
    return decide_idle_intake(chat.conversation, channel, context, chat.settings)


def test_a_quiet_customer_is_reminded_once_with_the_question_again(chat: Chat) -> None:
    advance_to(chat, "customer/ask_outcome")
    assert look(chat, timedelta(hours=23)) is None
    decision = look(chat, timedelta(hours=24))
    assert decision is not None
    assert templates(decision) == ["customer/intake_reminder", "customer/ask_outcome"]
    assert "kettle" in str(decision.of_type(Reply)[0].context["about"]).lower()
    assert decision.conversation is not None
    chat.conversation = decision.conversation
    assert chat.conversation.reminded
    assert look(chat, timedelta(hours=30)) is None, "never a second reminder"


def test_still_quiet_the_complaint_is_registered_with_what_is_known_and_what_is_missing(
    chat: Chat,
) -> None:
    advance_to(chat, "customer/ask_outcome")
    decision = look(chat, timedelta(hours=72))
    assert decision is not None
    [case] = decision.of_type(OpenCase)
    assert case.details.description.startswith("The kettle")
    missing = ["outcome", "name", "consent"]
    assert RecordEvent(case.reference, "registered_incomplete", {"missing": missing}) in (
        decision.effects
    )
    assert templates(decision) == ["customer/registered_incomplete"]
    [notice] = decision.of_type(NotifyStaff)
    assert notice.context["missing"] == missing
    assert decision.conversation is not None
    assert decision.conversation.mode is Mode.IDLE


def test_with_nothing_to_go_on_or_no_way_to_reach_them_the_draft_is_set_aside(
    chat: Chat,
) -> None:
    advance_to(chat, "customer/ask_product")
    no_address = look(chat, timedelta(days=3), lasting=False)
    assert no_address is not None
    assert not no_address.of_type(OpenCase)
    assert templates(no_address) == ["customer/draft_set_aside"]
    fresh = replace(chat.conversation, answers={}, asking=Field.DESCRIPTION)
    chat.conversation = fresh
    decision = look(chat, timedelta(days=3))
    assert decision is not None
    assert templates(decision) == ["customer/draft_set_aside"]


def test_an_intake_not_under_way_is_never_looked_at(
    chat: Chat, intake_settings: IntakeSettings
) -> None:
    assert next_look(chat.conversation, intake_settings) is None
    assert look(chat, timedelta(days=30)) is None
    advance_to(chat, "customer/ask_when")
    assert next_look(chat.conversation, intake_settings) == chat.now + timedelta(hours=24)
