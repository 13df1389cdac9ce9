"""Every message is read for everything it says, and a fact only goes where it fits (issue 14)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pytest

from tests.workflows.chat import Chat, advance_to, answer_until_summary, asked, opened, templates
from workflows.cases import CaseView
from workflows.conversation import Field
from workflows.harvest import contact_in
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("I already told you, bea.jones@example.net", "bea.jones@example.net"),
        ("ring me on 07700 900123 after 5", "07700 900123"),
        ("+44 7700 900 123 please", "+44 7700 900 123"),
        ("yes", None),
        ("can I speak to someone please", None),
        ("order 7713, arrived on 12.03.2026", None),
    ],
)
def test_a_contact_is_an_email_address_or_a_phone_number_found_anywhere(
    text: str, found: str | None
) -> None:
    assert contact_in(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("01423 566 120 in the day, or m.oyelaran@gmail.com", "01423 566 120"),
        ("0476/23.45.61, sinon par mail marc.dupont@telenet.be", "0476/23.45.61"),
        ("m.oyelaran@gmail.com or 01423 566 120 in the day", "m.oyelaran@gmail.com"),
        ("(030) 812 34 56, ich habe kein E-Mail", "(030) 812 34 56"),
    ],
)
def test_of_two_contacts_the_one_said_first_is_taken(text: str, found: str) -> None:
    assert contact_in(text) == found


def test_a_contact_given_in_a_sentence_is_taken(chat: Chat) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_contact")
    decision = chat.say("I already told you, bea.jones@example.net")
    assert chat.conversation.answer(Field.CONTACT) == "bea.jones@example.net"
    assert asked(decision) == "customer/ask_consent"


def test_what_is_not_a_contact_is_never_saved_as_one(chat: Chat) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_contact")
    assert asked(chat.say("yes")) == "customer/ask_contact"  # asked once more
    decision = chat.say("yes")
    assert chat.conversation.answer(Field.CONTACT) is None
    assert asked(decision) == "customer/ask_consent"
    answer_until_summary(chat, decision)
    assert opened(chat.say("yes")).details.contact is None


@pytest.mark.parametrize(
    ("language", "text"),
    [("de", "Ja, geht in Ordnung"), ("fr", "oui, ça nous va"), ("en", "yes"), ("es", "no")],
)
def test_a_yes_or_no_is_never_saved_as_the_outcome_wanted(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    advance_to(chat, "customer/ask_outcome")
    assert asked(chat.say(text)) == "customer/ask_outcome"  # asked once more
    decision = chat.say(text)
    assert chat.conversation.answer(Field.OUTCOME) is None
    assert asked(decision) != "customer/ask_outcome"
    answer_until_summary(chat, decision)
    assert opened(chat.say("yes")).details.outcome is None


def test_a_day_guessed_after_i_dont_know_is_kept_in_words_and_no_day_is_filed(
    chat: Chat, vocabularies: dict[str, Vocabulary]
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies["de"])
    advance_to(chat, "customer/ask_when")
    decision = chat.say("keine ahnung, vor paar tagen halt")
    assert asked(decision) == "customer/ask_outcome"
    answer_until_summary(chat, decision)
    details = opened(chat.say("ja")).details
    # A guess the customer did not stand by is no date; staff still read it.
    assert details.occurred_on is None
    assert details.occurred_text == "keine ahnung, vor paar tagen halt"


@pytest.mark.parametrize("contact", ["sam.jones@example.com", "+44 7700 900123"])
def test_a_contact_sent_alone_where_something_else_was_asked_is_kept(
    chat: Chat, contact: str
) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_product")
    decision = chat.say(contact)
    assert chat.conversation.answer(Field.CONTACT) == contact
    assert asked(decision) == "customer/ask_product"  # the question still open, once more
    answer_until_summary(chat, decision)
    assert opened(chat.say("yes")).details.contact == contact


def test_a_first_message_that_says_everything_is_taken_whole(chat: Chat) -> None:
    chat.lasting_address = False
    text = (
        "Hi, my name is Bea Jones. Order 88123 arrived on 3 March with the screen cracked. "
        "I want a replacement. Email me at bea@example.net or call 07700 900123."
    )
    decision = chat.say(text)
    answers = chat.conversation.answers
    assert answers[Field.PRODUCT] == "88123"
    assert answers[Field.WHEN].endswith("-03-03")
    # The wish's own words go beside the outcome, as an answer's do.
    assert answers[Field.OUTCOME] == "replacement: I want a replacement"
    assert answers[Field.NAME] == "Bea Jones"
    assert answers[Field.CONTACT] == "bea@example.net"
    assert asked(decision) == "customer/ask_consent"


@pytest.mark.parametrize(
    ("language", "text", "name", "contact"),
    [
        (
            "fr",
            "Bonjour, je m'appelle Marie Dupont. Commande n° 44521 arrivée cassée le 3 mars, "
            "je veux un remboursement. Mon mail : marie@example.fr",
            "Marie Dupont",
            "marie@example.fr",
        ),
        (
            "de",
            "Guten Tag, ich heiße Jonas Weber. Bestellung 88123 kam am 3. März kaputt an, ich "
            "möchte eine Erstattung. Meine Handynummer ist 0151 23456789",
            "Jonas Weber",
            "0151 23456789",
        ),
        (
            "es",
            "Hola, me llamo Elena Castro. El pedido 7781 llegó roto el 3 de marzo, quiero un "
            "reembolso. Mi correo es elena@example.es",
            "Elena Castro",
            "elena@example.es",
        ),
    ],
)
def test_a_first_message_that_says_everything_is_taken_whole_in_every_language(
    chat: Chat,
    vocabularies: dict[str, Vocabulary],
    language: str,
    text: str,
    name: str,
    contact: str,
) -> None:
    chat.lasting_address = False
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    decision = chat.say(text)
    answers = chat.conversation.answers
    assert answers[Field.WHEN].endswith("-03-03")
    assert answers[Field.OUTCOME].startswith("refund")
    assert answers[Field.NAME] == name
    assert answers[Field.CONTACT] == contact
    assert asked(decision) == "customer/ask_consent"


@pytest.mark.parametrize(
    "text",
    ["I want to talk to a human", "can I speak to someone please", "Could you ring me back?"],
)
def test_asking_for_a_person_in_a_sentence_is_understood(chat: Chat, text: str) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_contact")
    # Read inside a sentence mid-intake: confirmed first, never taken as an answer.
    assert templates(chat.say(text)) == ["customer/confirm_request"]
    assert not chat.conversation.answered(Field.CONTACT), "a request is never a contact"
    decision = chat.say("1")
    assert "customer/person_requested" in templates(decision)
    assert asked(decision) == "customer/ask_contact"


@pytest.mark.parametrize(
    "text", ["where is my complaint? It's been ages", "any news?", "Any updates on this??"]
)
def test_asking_where_a_complaint_is_in_a_sentence_gets_its_status(chat: Chat, text: str) -> None:
    assert templates(chat.say(text)) == ["customer/status_list"]


def test_the_status_of_a_quoted_reference_is_given(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case()
    chat.cases = (case,)
    decision = chat.say(f"what is the status of {case.reference.lower()}?")
    assert templates(decision) == ["customer/status"]


def test_a_complaint_that_mentions_waiting_is_still_a_complaint(chat: Chat) -> None:
    text = "Any news on when my parcel will come? It was due a week ago, order 5512, I am fed up"
    decision = chat.say(text)
    assert "customer/status_list" not in templates(decision)
    assert chat.conversation.answer(Field.DESCRIPTION) == text


def test_an_outcome_in_the_customers_own_words_is_taken_as_written(chat: Chat) -> None:
    advance_to(chat, "customer/ask_outcome")
    decision = chat.say("I want them to retrain the staff")
    assert asked(decision) != "customer/ask_outcome", "not refused"
    answer_until_summary(chat, decision)
    details = opened(chat.say("yes")).details
    assert (details.outcome, details.outcome_detail) == (
        "other",
        "I want them to retrain the staff",
    )


def test_the_nearest_outcome_keeps_the_customers_words_beside_it(chat: Chat) -> None:
    advance_to(chat, "customer/ask_outcome")
    answer_until_summary(chat, chat.say("compensation for the day off work"))
    decision = chat.say("yes")
    details = opened(decision).details
    assert details.outcome == "other"  # compensation is not a refund of what was paid
    assert details.outcome_detail == "compensation for the day off work"
    [staff] = [n for n in decision.effects if getattr(n, "template", "") == "staff/new_case"]
    assert staff.context["outcome_detail"] == "compensation for the day off work"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "text",
    [
        "My order 1234567890 never arrived and the driver says it was left in a safe place",
        "The parcel never came, tracking JD0002 1234 5678 90, the website just says in transit",
        "I rang your helpline on 0800 123 4567 three times about the broken washing machine",
        "My neighbour emailed you at complaints@shop.example.com about the broken fence too",
    ],
)
def test_numbers_and_addresses_that_are_not_the_customers_are_not_their_contact(
    chat: Chat, text: str
) -> None:
    chat.say(text)
    assert not chat.conversation.answered(Field.CONTACT)


@pytest.mark.parametrize(
    "text",
    [
        "Gas leak from the new hob, can I speak to someone please",
        "Any news? the cooker is sparking again and smoking",
    ],
)
def test_a_complaint_that_also_asks_for_something_is_a_complaint(chat: Chat, text: str) -> None:
    decision = chat.say(text)
    assert "customer/status_list" not in templates(decision)
    assert "customer/person_requested" not in templates(decision)
    assert chat.conversation.answer(Field.DESCRIPTION) == text


def test_an_outcome_the_customer_refuses_is_not_what_they_want(chat: Chat) -> None:
    chat.say("I don't want an apology, I want the heater to work again, it has been broken a week")
    assert chat.conversation.answer(Field.OUTCOME) != "apology"
    assert not (chat.conversation.answer(Field.OUTCOME) or "").startswith("apology")


def test_what_is_the_status_is_a_status_request(chat: Chat) -> None:
    assert templates(chat.say("what is the status")) == ["customer/status_list"]
