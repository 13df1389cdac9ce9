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


# Days back from the chat's today (a Friday) of the day a customer names.
_DAYS_BACK = {"yesterday": 1, "last friday": 7}


@pytest.mark.parametrize(
    ("language", "text", "outcome", "day"),
    [
        ("en", "It was last Friday, and I'd like an apology", "apology", "last friday"),
        ("fr", "C'était vendredi dernier, et je voudrais des excuses", "apology", "last friday"),
        (
            "de",
            "Das war letzten Freitag, und ich möchte eine Entschuldigung",
            "apology",
            "last friday",
        ),
        ("es", "Fue el viernes pasado y quiero una disculpa", "apology", "last friday"),
        ("en", "i dont want another booking i want me money back", "refund", None),
        ("fr", "je veux pas d'autre réservation je veux être remboursé", "refund", None),
        ("fr", "Je voudrais être remboursée", "refund", None),
        ("de", "Ich will keine neue Buchung, ich will mein Geld zurück", "refund", None),
        ("es", "no quiero otra reserva quiero mi dinero", "refund", None),
        ("en", "yesterday afternoon", None, "yesterday"),
        ("fr", "hier soir", None, "yesterday"),
        ("de", "Gestern Abend", None, "yesterday"),
        ("es", "ayer por la tarde", None, "yesterday"),
    ],
)
def test_an_answer_to_other_questions_fills_them_and_the_product_is_asked_again(
    chat: Chat,
    vocabularies: dict[str, Vocabulary],
    language: str,
    text: str,
    outcome: str | None,
    day: str | None,
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_product")
    decision = chat.say(text)
    assert not chat.conversation.answered(Field.PRODUCT)
    if outcome is not None:
        assert (chat.conversation.answer(Field.OUTCOME) or "").startswith(outcome)
    if day is not None:
        named = chat.now.date() - timedelta(days=_DAYS_BACK[day])
        assert chat.conversation.answer(Field.WHEN) == named.isoformat()
    assert asked(decision) == "customer/ask_product"


@pytest.mark.parametrize(
    "product",
    [
        "The Breville kettle I bought last Friday",
        "Breville kettle, I want a refund",
        # It opens like a wish, or with a day, and names the thing.
        "Need for Speed game",
        "I don't know the model, it's the blue one",
        "Bitte: Kaffeemaschine",
        "Sunday roast",
        "Last Friday at the Leeds store, the blue kettle",
        "facture du 24/12",
    ],
)
def test_a_product_answer_that_says_more_is_still_the_product(chat: Chat, product: str) -> None:
    advance_to(chat, "customer/ask_product")
    chat.say(product)
    assert chat.conversation.answer(Field.PRODUCT) == product
