"""Answers to "which product?": what they say besides the product, and what they do not."""

from __future__ import annotations

from dataclasses import replace

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
