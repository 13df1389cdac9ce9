"""A customer back mid-complaint: after a greeting or a long pause, told where they were."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.workflows.chat import Chat, reach_summary, templates
from workflows.conversation import Field
from workflows.effects import OpenCase, Reply
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize("greeting", ["hi", "Hello!", "good morning"])
def test_a_greeting_mid_intake_says_where_we_were_and_is_never_an_answer(
    chat: Chat, greeting: str
) -> None:
    chat.say("My parcel never arrived and the courier says it was delivered")
    decision = chat.say(greeting)
    assert templates(decision) == ["customer/resume", "customer/ask_product"]
    resume = decision.of_type(Reply)[0]
    assert (
        resume.context["about"] == "My parcel never arrived and the courier says it was delivered"
    )
    assert not chat.conversation.answered(Field.PRODUCT)


@pytest.mark.parametrize("asking", ["can we do this in french please?", "in french please"])
def test_asking_for_another_language_mid_intake_is_never_an_answer(
    chat: Chat, vocabularies: dict[str, Vocabulary], asking: str
) -> None:
    # The shell answers in French from here; the workflow reads with French words.
    chat.settings = replace(chat.settings, vocab=vocabularies["fr"])
    chat.say("Ma bouilloire, commande 5512, a fait des étincelles hier")
    decision = chat.say(asking)
    assert templates(decision) == ["customer/resume", "customer/ask_outcome"]
    assert not chat.conversation.answered(Field.OUTCOME)


def test_a_greeting_at_the_summary_shows_the_summary_again(chat: Chat) -> None:
    reach_summary(chat)
    decision = chat.say("hello")
    assert templates(decision) == ["customer/resume", "customer/summary"]
    assert not decision.of_type(OpenCase)


def test_a_customer_back_after_hours_is_told_where_they_were_and_their_answer_taken(
    chat: Chat,
) -> None:
    chat.say("My parcel never arrived and the courier says it was delivered")
    chat.now += timedelta(days=2)
    decision = chat.say("Order 55123")
    assert templates(decision)[0] == "customer/resume"
    assert "55123" in (chat.conversation.answer(Field.PRODUCT) or "")
    assert templates(decision)[-1] == "customer/ask_when"


def test_a_quick_answer_gets_no_reminder(chat: Chat) -> None:
    chat.say("My parcel never arrived and the courier says it was delivered")
    chat.now += timedelta(minutes=20)
    assert "customer/resume" not in templates(chat.say("Order 55123"))
