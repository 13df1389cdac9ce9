"""Consent, and answers the intake cannot take: refusals, symbols, unknown commands."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workflows.chat import (
    DESCRIPTION,
    Chat,
    advance_to,
    asked,
    opened,
    reply,
    templates,
)
from workflows.conversation import Field, Mode
from workflows.effects import OpenCase, Reply
from workflows.vocabulary import Vocabulary

# Consent --------------------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["no", "2", "No!"])
def test_consent_no_explains_once_why_it_is_needed_then_stops(chat: Chat, first: str) -> None:
    advance_to(chat, "customer/ask_consent")
    decision = chat.say(first)
    assert templates(decision) == ["customer/consent_needed", "customer/ask_consent"]
    assert chat.conversation.asking is Field.CONSENT
    decision = chat.say("no")
    assert templates(decision) == ["customer/consent_refused"]
    assert chat.conversation.mode is Mode.IDLE
    assert not decision.of_type(OpenCase)


@pytest.mark.parametrize(
    "answer", ["No, I do not agree, delete my data", "i dont agree to that", "no thanks"]
)
def test_consent_refused_in_so_many_words_stops_at_once(chat: Chat, answer: str) -> None:
    advance_to(chat, "customer/ask_consent")
    decision = chat.say(answer)
    assert templates(decision) == ["customer/consent_refused"]
    # Nothing registered, so no reference: the message says nothing was kept.
    assert [reply.context for reply in decision.of_type(Reply)] == [{"reference": None}]
    assert chat.conversation.mode is Mode.IDLE
    assert not decision.of_type(OpenCase)


@pytest.mark.parametrize(
    "answer", ["yes, but delete it all afterwards", "ok but delete my data once it's sorted"]
)
def test_consent_with_deletion_afterwards_is_asked_again_not_refused(
    chat: Chat, answer: str
) -> None:
    """ "Ok, but delete me afterwards" agrees for now: the complaint is not set aside."""
    advance_to(chat, "customer/ask_consent")
    decision = chat.say(answer)
    assert templates(decision) == ["customer/ask_consent"]
    assert chat.conversation.mode is not Mode.IDLE
    assert templates(chat.say("yes")) == ["customer/summary"]


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        ("en", "Only if you delete them afterwards?"),
        ("en", "delete it all?"),
        ("es", "Depende pa qué los queráis, no quiero que me llamen vendiendo cosas"),
        ("es", "No, no quiero publicidad"),
    ],
)
def test_a_question_back_or_a_no_to_marketing_is_asked_again_not_a_refusal(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, answer: str
) -> None:
    """A refusal sets the complaint aside: one that is a question, or a no to sales calls
    only, is asked again instead, and a yes then registers it."""
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_consent")
    decision = chat.say(answer)
    assert "customer/consent_refused" not in templates(decision)
    assert chat.conversation.asking is Field.CONSENT
    assert templates(chat.say("yes" if language == "en" else "sí")) == ["customer/summary"]


@pytest.mark.parametrize("answer", ["Yes, you can keep them.", "yes I'm fine with that"])
def test_consent_given_in_a_sentence_is_consent(chat: Chat, answer: str) -> None:
    advance_to(chat, "customer/ask_consent")
    assert templates(chat.say(answer)) == ["customer/summary"]
    assert chat.conversation.answer(Field.CONSENT) == "yes"


def test_consent_is_never_assumed_from_an_unclear_answer(chat: Chat) -> None:
    advance_to(chat, "customer/ask_consent")
    first = chat.say("maybe")
    assert templates(first) == ["customer/ask_consent"]
    for _ in range(3):
        decision = chat.say("maybe")
        assert templates(decision) == ["customer/consent_needed", "customer/ask_consent"]
        assert chat.conversation.asking is Field.CONSENT
    assert templates(chat.say("1")) == ["customer/summary"]


@pytest.mark.parametrize("answer", ["👍", "!!!", "..."])
def test_an_answer_of_symbols_is_an_unclear_answer_not_a_help_request(
    chat: Chat, answer: str
) -> None:
    advance_to(chat, "customer/ask_consent")
    assert templates(chat.say(answer)) == ["customer/ask_consent"]
    assert chat.conversation.asking is Field.CONSENT


def test_a_question_mark_alone_asks_for_help(chat: Chat) -> None:
    advance_to(chat, "customer/ask_consent")
    assert templates(chat.say("?")) == ["customer/help", "customer/ask_consent"]


@pytest.mark.parametrize("command", ["/foo", "/refundnow"])
def test_an_unknown_command_gets_a_helpful_reply_and_the_question_again(
    chat: Chat, command: str
) -> None:
    advance_to(chat, "customer/ask_product")
    decision = chat.say(command)
    assert templates(decision) == ["customer/unknown_command", "customer/ask_product"]
    assert reply(decision, "customer/unknown_command").context["command"] == command
    assert not chat.conversation.answered(Field.PRODUCT)


def test_a_path_or_a_fraction_is_not_a_command(chat: Chat) -> None:
    advance_to(chat, "customer/ask_product")
    chat.say("/dev/null")
    assert chat.conversation.answered(Field.PRODUCT)


def test_consent_given_before_is_not_asked_again(chat: Chat) -> None:
    chat.consented_before = True
    chat.display_name = "Ana"
    chat.say(DESCRIPTION)
    chat.say("skip")
    chat.say("skip")
    assert templates(chat.say("apology")) == ["customer/summary"]
    assert opened(chat.say("yes")).details.consent is True


@pytest.mark.parametrize(
    "answer",
    ["yes ok", "no", "yeah fine", "1", "2", "07700 900123", "Yes, that is quite all right."],
)
def test_a_yes_a_no_or_a_number_is_never_saved_as_a_name(chat: Chat, answer: str) -> None:
    advance_to(chat, "customer/ask_name")
    decision = chat.say(answer)
    assert Field.NAME not in chat.conversation.answers
    assert asked(decision) == "customer/ask_name"
    # Said again, the name is left blank rather than kept as "1".
    chat.say(answer)
    assert chat.conversation.answer(Field.NAME) is None


def test_an_email_address_given_for_the_name_is_the_contact_not_the_name(chat: Chat) -> None:
    # Found trying `make run`: "franz.hofer@example.at" was shown as the customer's name.
    chat.lasting_address = False
    advance_to(chat, "customer/ask_name")
    decision = chat.say("franz.hofer@example.at")
    assert Field.NAME not in chat.conversation.answers
    assert chat.conversation.answer(Field.CONTACT) == "franz.hofer@example.at"
    assert asked(decision) == "customer/ask_name"


@pytest.mark.parametrize(
    ("language", "answer", "name"),
    [("es", "Vale Contreras", "Vale Contreras"), ("en", "Sure Patel", "Sure Patel")],
)
def test_a_name_that_begins_with_a_yes_is_a_name(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, answer: str, name: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_name")
    chat.say(answer)
    assert chat.conversation.answer(Field.NAME) == name


@pytest.mark.parametrize(("language", "answer"), [("es", "Vale Gracias"), ("en", "Yes Please")])
def test_a_yes_in_capitals_is_still_no_name(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, answer: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_name")
    assert asked(chat.say(answer)) == "customer/ask_name"
