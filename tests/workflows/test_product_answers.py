"""Answers to "which product?": what they say besides the product, and what they do not."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from tests.workflows.chat import Chat, advance_to, asked
from workflows.conversation import Field
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Chambre 3.07, bail n° C-1186"),
        ("fr", "Le vélo de ma femme, facture n° 000457 du 24/12"),
        ("de", "Mietvertrag Nr. 2219, Cello 1/2"),
        ("de", "online apotheke, bestellung vom 02.03., nummer A-30918476"),
    ],
)
def test_numbers_in_the_product_answer_name_the_thing_and_when_is_still_asked(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_product")
    decision = chat.say(text)
    assert chat.conversation.answer(Field.PRODUCT) is not None
    assert chat.conversation.answer(Field.WHEN) is None
    assert asked(decision) == "customer/ask_when"


def test_a_day_said_in_words_with_the_product_is_when_it_happened(chat: Chat) -> None:
    advance_to(chat, "customer/ask_product")
    decision = chat.say("The chicken korma, dinner on Saturday")
    assert chat.conversation.answer(Field.WHEN) == "2026-03-14"
    assert asked(decision) != "customer/ask_when"


def test_an_answer_to_other_questions_fills_them_and_the_pending_one_is_asked_again(
    chat: Chat,
) -> None:
    advance_to(chat, "customer/ask_product")
    decision = chat.say("It was last Friday, and I'd like an apology")
    assert not chat.conversation.answered(Field.PRODUCT)
    assert chat.conversation.answer(Field.OUTCOME) is not None
    assert chat.conversation.answer(Field.OUTCOME).startswith("apology")  # type: ignore[union-attr]
    friday = chat.now.date() - timedelta(days=(chat.now.weekday() - 4) % 7 or 7)
    assert chat.conversation.answer(Field.WHEN) == friday.isoformat()
    assert asked(decision) == "customer/ask_product"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "i dont want another booking i want me money back"),
        ("fr", "je veux pas d'autre réservation je veux être remboursé"),
        ("fr", "Je voudrais être remboursée"),
        ("de", "Ich will keine neue Buchung, ich will mein Geld zurück"),
        ("es", "no quiero otra reserva quiero mi dinero"),
    ],
)
def test_a_wish_given_for_the_product_is_the_wish_and_the_product_is_asked_again(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_product")
    decision = chat.say(text)
    assert not chat.conversation.answered(Field.PRODUCT)
    assert (chat.conversation.answer(Field.OUTCOME) or "").startswith("refund")
    assert asked(decision) == "customer/ask_product"


@pytest.mark.parametrize(
    "text",
    ["Need for Speed game", "I don't know the model, it's the blue one", "Bitte: Kaffeemaschine"],
)
def test_a_product_that_opens_like_a_wish_is_still_the_product(chat: Chat, text: str) -> None:
    advance_to(chat, "customer/ask_product")
    chat.say(text)
    assert chat.conversation.answer(Field.PRODUCT) == text


@pytest.mark.parametrize(
    "product", ["The Breville kettle I bought last Friday", "Breville kettle, I want a refund"]
)
def test_a_product_answer_that_says_more_is_still_the_product(chat: Chat, product: str) -> None:
    advance_to(chat, "customer/ask_product")
    chat.say(product)
    assert chat.conversation.answer(Field.PRODUCT) == product


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "yesterday afternoon"),
        ("fr", "hier soir"),
        ("de", "Gestern Abend"),
        ("es", "ayer por la tarde"),
    ],
)
def test_a_day_given_for_the_product_is_the_day_and_the_product_is_asked_again(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_product")
    decision = chat.say(text)
    assert not chat.conversation.answered(Field.PRODUCT)
    yesterday = chat.now.date() - timedelta(days=1)
    assert chat.conversation.answer(Field.WHEN) == yesterday.isoformat()
    assert asked(decision) == "customer/ask_product"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "C'était vendredi dernier, et je voudrais des excuses"),
        ("de", "Das war letzten Freitag, und ich möchte eine Entschuldigung"),
        ("es", "Fue el viernes pasado y quiero una disculpa"),
    ],
)
def test_a_day_and_a_wish_given_for_the_product_fill_both_in_every_language(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_product")
    decision = chat.say(text)
    assert not chat.conversation.answered(Field.PRODUCT)
    assert (chat.conversation.answer(Field.OUTCOME) or "").startswith("apology")
    friday = chat.now.date() - timedelta(days=(chat.now.weekday() - 4) % 7 or 7)
    assert chat.conversation.answer(Field.WHEN) == friday.isoformat()
    assert asked(decision) == "customer/ask_product"


@pytest.mark.parametrize(
    "product",
    ["Sunday roast", "Last Friday at the Leeds store, the blue kettle", "facture du 24/12"],
)
def test_a_product_with_a_day_in_it_is_the_product(chat: Chat, product: str) -> None:
    advance_to(chat, "customer/ask_product")
    chat.say(product)
    assert chat.conversation.answer(Field.PRODUCT) == product
