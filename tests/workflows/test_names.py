"""Names: taken where the customer gives one, in so many words, never from another answer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workflows.chat import Chat, advance_to, answer_until_summary, asked, opened
from tests.workflows.conftest import NOW
from workflows.conversation import Field
from workflows.harvest import name_in
from workflows.intake import IntakeSettings
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text", "name"),
    [
        ("en", "Hi, I'm Priya Shah. Order 88213 arrived with a cracked jug.", "Priya Shah"),
        ("en", "my name is Bea and I want a refund", "Bea"),
        ("fr", "Bonjour, je suis Marie Dupont et ma commande n'est jamais arrivée", "Marie Dupont"),
        ("es", "soy María de la Cruz y quiero un reembolso", "María de la Cruz"),
        # After "I'm", one word, shouting, Title Case writing, a title or a course is no name.
        ("en", "I'm Priya, order 88213 arrived broken", None),
        ("es", "SOY UNA CLIENTA MUY ENFADADA", None),
        ("en", "I'm Very Disappointed With Your Service", None),
        ("fr", "Bonjour je suis Mme Perrin j'ai 79 ans", None),
        ("en", "I am MSc Data Science student, ID 2291874", None),
        ("en", "I'm fed up, Tesco did it again", None),
    ],
)
def test_a_name_given_in_so_many_words_is_the_capitalised_words_after_them(
    vocabularies: dict[str, Vocabulary], language: str, text: str, name: str | None
) -> None:
    vocab = vocabularies[language]
    assert name_in(text, vocab.name_intros, vocab.self_intros) == name


def test_a_name_said_again_never_keeps_a_question_asked_forever(chat: Chat) -> None:
    advance_to(chat, "customer/ask_when")
    for _ in range(3):
        decision = chat.say("I don't remember, my name is Bea Jones")
    assert asked(decision) != "customer/ask_when", "asked once more, then it moved on"


def test_my_name_is_answers_the_name_question_with_the_name(chat: Chat) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_name")
    chat.say("My name is Zoë Ørsted")
    assert chat.conversation.answer(Field.NAME) == "Zoë Ørsted"


def test_a_name_given_where_the_contact_was_asked_is_the_name(chat: Chat) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_contact")
    decision = chat.say("Lucía Gómez")
    assert chat.conversation.answer(Field.NAME) == "Lucía Gómez"
    assert asked(decision) == "customer/ask_contact"  # asked again, as the question it was
    chat.say("Yes Please")  # not a name, nor a contact
    assert chat.conversation.answer(Field.NAME) == "Lucía Gómez"


# "Jake Turner": the wish model hears "return" in "Turner"; a name is still no wish.
@pytest.mark.parametrize("name", ["Bea Jones", "Jake Turner"])
@pytest.mark.parametrize("question", ["customer/ask_when", "customer/ask_outcome"])
def test_a_name_given_where_a_date_or_an_outcome_was_asked_is_the_name(
    chat: Chat, question: str, name: str
) -> None:
    advance_to(chat, question)
    decision = chat.say(name)
    assert chat.conversation.answer(Field.NAME) == name
    assert chat.conversation.answer(Field.OUTCOME) is None
    assert asked(decision) == question  # asked again, as the question it was
    answer_until_summary(chat, decision)
    assert opened(chat.say("yes")).details.customer_name == name


@pytest.mark.parametrize(
    ("said", "outcome"), [("Full Refund", "refund"), ("New One", "replacement")]
)
def test_capitalised_words_that_name_a_wish_answer_what_would_you_like(
    chat: Chat, said: str, outcome: str
) -> None:
    advance_to(chat, "customer/ask_outcome")
    chat.say(said)
    assert chat.conversation.answer(Field.OUTCOME) == outcome
    assert chat.conversation.answer(Field.NAME) is None


@pytest.mark.parametrize(
    ("language", "first", "not_a_name", "name"),
    [
        (
            "es",
            "me cobraron dos veces el pedido 55821 el martes, quiero que me devuelvan la plata",
            "ya te dije el martes",
            "Domingo Pérez",  # a name that is also a weekday
        ),
        ("en", "charged twice for order 55821 on tuesday, refund please", "told u, tuesday", "Al"),
        ("fr", "Commande 44521 livrée cassée hier, je veux un échange", "dit: hier", "Mardi"),
    ],
)
def test_a_day_said_where_the_name_was_asked_is_not_taken_as_the_name(
    intake_settings: IntakeSettings,
    vocabularies: dict[str, Vocabulary],
    language: str,
    first: str,
    not_a_name: str,
    name: str,
) -> None:
    settings = replace(intake_settings, vocab=vocabularies[language])
    chat = Chat(settings=settings, now=NOW, new_reference="CB-K7M3-XD9A")
    chat.lasting_address = False
    chat.say(first)
    assert asked(chat.say(not_a_name)) == "customer/ask_name"  # asked again
    assert not chat.conversation.answered(Field.NAME)
    chat.say(name)
    assert chat.conversation.answer(Field.NAME) == name
