"""The intake questions: what is asked, in which order, what answers are taken."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.workflows.chat import (
    DESCRIPTION,
    STANDARD_ANSWERS,
    Chat,
    advance_to,
    answer_until_summary,
    asked,
    opened,
    question,
    reach_summary,
    summary,
    templates,
)
from workflows.conversation import Field, Mode
from workflows.effects import (
    Reply,
)

# Starting -----------------------------------------------------------------------------------


@pytest.mark.parametrize("greeting", ["hi", "Hello!", "Good morning", "/start"])
def test_a_greeting_gets_the_welcome_and_the_description_question(
    chat: Chat, greeting: str
) -> None:
    decision = chat.say(greeting)
    assert templates(decision) == ["customer/welcome", "customer/ask_description"]
    assert chat.conversation.mode is Mode.COLLECTING
    assert chat.conversation.asking is Field.DESCRIPTION
    assert not chat.conversation.answered(Field.DESCRIPTION)
    assert chat.conversation.started_at == chat.now


def test_a_long_first_message_is_the_description_and_its_order_number_and_date_are_kept(
    chat: Chat,
) -> None:
    text = "My order #A12345 arrived broken on 14 March and nobody answers my emails"
    decision = chat.say(text)
    assert templates(decision) == ["customer/welcome_back", "customer/ask_outcome"]
    assert chat.conversation.answer(Field.DESCRIPTION) == text
    assert chat.conversation.answer(Field.PRODUCT) == "A12345"
    assert chat.conversation.answer(Field.WHEN) == "2026-03-14"

    answer_until_summary(chat, decision)
    details = opened(chat.say("yes")).details
    assert details.description == text
    assert details.product == "A12345"
    assert details.occurred_on == date(2026, 3, 14)


def test_a_short_first_message_is_not_taken_as_the_description(chat: Chat) -> None:
    decision = chat.say("It broke")
    assert templates(decision) == ["customer/welcome", "customer/ask_description"]
    assert not chat.conversation.answered(Field.DESCRIPTION)


def test_every_question_is_asked_in_order_when_nothing_is_known(chat: Chat) -> None:
    chat.lasting_address = False
    decision = chat.say("hi")
    seen = [asked(decision)]
    while (pending := asked(decision)) is not None:
        decision = chat.say(STANDARD_ANSWERS[pending])
        seen.append(asked(decision) or templates(decision)[-1])
    assert seen == [
        "customer/ask_description",
        "customer/ask_product",
        "customer/ask_when",
        "customer/ask_outcome",
        "customer/ask_name",
        "customer/ask_contact",
        "customer/ask_consent",
        "customer/summary",
    ]
    assert chat.conversation.mode is Mode.CONFIRMING


def test_the_questions_offer_their_choices_and_say_which_are_optional(chat: Chat) -> None:
    chat.lasting_address = False
    decision = chat.say("hi")
    shown: dict[str, Reply] = {}
    while (pending := question(decision)) is not None:
        shown[pending.template] = pending
        decision = chat.say(STANDARD_ANSWERS[pending.template])
    outcome = shown["customer/ask_outcome"]
    assert [choice.value for choice in outcome.choices] == [
        "refund",
        "replacement",
        "repair",
        "explanation",
        "apology",
        "other",
    ]
    assert all(choice.label == f"outcome.{choice.value}" for choice in outcome.choices)
    assert [choice.value for choice in shown["customer/ask_consent"].choices] == ["yes", "no"]
    optional = {name for name, ask in shown.items() if ask.context["optional"]}
    assert optional == {"customer/ask_product", "customer/ask_when"}
    assert not any(ask.context["retry"] for ask in shown.values())


# Optional and required questions ------------------------------------------------------------


def test_product_and_when_can_be_skipped(chat: Chat) -> None:
    chat.say("hi")
    chat.say(DESCRIPTION)
    assert asked(chat.say("skip")) == "customer/ask_when"
    assert asked(chat.say("Don't know")) == "customer/ask_outcome"
    decision = answer_until_summary(chat, chat.say("refund"))
    items = summary(decision)
    assert items["product"]["value"] is None
    assert items["when"]["value"] is None
    details = opened(chat.say("yes")).details
    assert details.product is None
    assert details.occurred_on is None
    assert details.occurred_text is None


def test_the_name_cannot_be_skipped(chat: Chat) -> None:
    advance_to(chat, "customer/ask_name")
    decision = chat.say("skip")
    ask = question(decision)
    assert ask is not None
    assert ask.template == "customer/ask_name"
    assert ask.context["retry"] is True
    assert ask.context["optional"] is False
    assert not chat.conversation.answered(Field.NAME)


def test_a_name_declined_twice_is_left_blank_and_the_intake_moves_on(chat: Chat) -> None:
    advance_to(chat, "customer/ask_name")
    assert asked(chat.say("n/a")) == "customer/ask_name"
    decision = chat.say("n/a")
    assert asked(decision) == "customer/ask_consent"
    assert chat.conversation.answer(Field.NAME) is None
    decision = answer_until_summary(chat, decision)
    assert summary(decision)["name"]["value"] is None
    assert opened(chat.say("yes")).details.customer_name is None


@pytest.mark.parametrize("question", ["customer/ask_contact", "customer/ask_outcome"])
def test_contact_and_outcome_declined_twice_are_left_blank(chat: Chat, question: str) -> None:
    chat.lasting_address = False
    advance_to(chat, question)
    assert asked(chat.say("don't know")) == question
    assert asked(chat.say("don't know")) != question


def test_the_complaint_itself_is_never_skipped(chat: Chat) -> None:
    chat.say("hi")
    for _ in range(3):
        assert asked(chat.say("skip")) == "customer/ask_description"


# Dates ----------------------------------------------------------------------------------------


def test_an_invalid_date_is_asked_again_once_then_kept_as_free_text(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("Kettle K200")
    again = question(chat.say("31/02/2026"))
    assert again is not None
    assert (again.template, again.context["retry"]) == ("customer/ask_when", True)
    assert not chat.conversation.answered(Field.WHEN)

    assert asked(chat.say("sometime in February")) == "customer/ask_outcome"
    answer_until_summary(chat, chat.say("refund"))
    details = opened(chat.say("yes")).details
    assert details.occurred_on is None
    assert details.occurred_text == "sometime in February"


def test_the_same_impossible_date_twice_is_kept_as_the_customer_wrote_it(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("Kettle K200")
    chat.say("31/02/2026")
    chat.say("31/02/2026")
    answer_until_summary(chat, chat.say("refund"))
    details = opened(chat.say("yes")).details
    assert (details.occurred_on, details.occurred_text) == (None, "31/02/2026")


def test_a_date_in_the_future_is_asked_again(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("Kettle K200")
    again = question(chat.say("25/12/2026"))
    assert again is not None
    assert (again.template, again.context["retry"]) == ("customer/ask_when", True)


def test_a_relative_date_is_stored_as_the_date_it_means(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("Kettle K200")
    chat.say("yesterday")
    assert chat.conversation.answer(Field.WHEN) == (chat.now.date() - timedelta(days=1)).isoformat()
    answer_until_summary(chat, chat.say("refund"))
    assert opened(chat.say("yes")).details.occurred_on == date(2026, 3, 19)


def test_a_first_message_naming_two_days_asks_which_rather_than_guessing(chat: Chat) -> None:
    decision = chat.say(
        "Your cleaner was due on Thursday the 12th and never came, and you still charged me "
        "on the 15th. Booking CLN-2291."
    )
    ask = question(decision)
    assert ask is not None
    assert (ask.template, ask.context["several_days"]) == ("customer/ask_when", True)
    chat.say("the 12th, when nobody came")
    assert chat.conversation.answer(Field.WHEN) == "2026-03-12"


@pytest.mark.parametrize(
    ("first", "answer", "day"),
    [
        # A day of buying beside the day it broke: read from the words around them, one such
        # day in nine was not the day meant, so the customer says which.
        ("Bought kettle #K200 on 2 March, it broke on the 10th", "the 10th", "2026-03-10"),
        # "Tuesday", asked which of the days named, is the Tuesday among them, not the latest.
        (
            "Order #4471, 3 olive trees bought Saturday 7 March, came Tuesday the 10th, 2 broken",
            "on the Tuesday, the delivery",
            "2026-03-10",
        ),
        # A weekday with its day's number is that day.
        (
            "Order #4471, 3 olive trees bought Saturday 7 March, came Tuesday the 10th, 2 broken",
            "sorry, Tuesday the 17th, the second delivery",
            "2026-03-17",
        ),
    ],
)
def test_a_complaint_naming_a_day_of_buying_and_another_asks_which_went_wrong(
    chat: Chat, first: str, answer: str, day: str
) -> None:
    ask = question(chat.say(first))
    assert ask is not None
    assert (ask.template, ask.context["several_days"]) == ("customer/ask_when", True)
    chat.say(answer)
    assert chat.conversation.answer(Field.WHEN) == day


def test_one_day_named_is_kept_and_a_weekday_alone_is_the_latest_such_day(chat: Chat) -> None:
    chat.say("The kettle I bought on 2 March arrived with a cracked lid and leaks everywhere")
    assert chat.conversation.answer(Field.WHEN) is None, "only the day of buying: asked"
    assert question(chat.say("Kettle K200")) is not None
    chat.say("on Monday")  # the complaint named no Monday: the latest one
    assert chat.conversation.answer(Field.WHEN) == "2026-03-16"


# The desired outcome --------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(1, 7))
def test_an_outcome_can_be_chosen_by_the_number_shown(chat: Chat, number: int) -> None:
    chat.say(DESCRIPTION)
    chat.say("skip")
    shown = question(chat.say("skip"))
    assert shown is not None
    assert shown.template == "customer/ask_outcome"
    chat.say(f"{number}.")
    assert chat.conversation.answer(Field.OUTCOME) == shown.choices[number - 1].value


def test_outcome_one_is_a_refund(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("skip")
    chat.say("skip")
    chat.say("1")
    answer_until_summary(chat, chat.say("Ana"))
    details = opened(chat.say("yes")).details
    assert (details.outcome, details.outcome_detail) == ("refund", None)


def test_an_outcome_can_be_named_in_the_customers_words(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("skip")
    chat.say("skip")
    decision = answer_until_summary(chat, chat.say("money back"))
    assert summary(decision)["outcome"]["label"] == "outcome.refund"
    details = opened(chat.say("yes")).details
    assert (details.outcome, details.outcome_detail) == ("refund", None)


def test_a_longer_outcome_keeps_the_customers_words_beside_the_choice(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("skip")
    chat.say("skip")
    answer_until_summary(chat, chat.say("I just want my money back"))
    details = opened(chat.say("yes")).details
    assert (details.outcome, details.outcome_detail) == ("refund", "I just want my money back")


def test_an_unknown_outcome_twice_is_other_with_the_words_kept(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("skip")
    chat.say("skip")
    again = question(chat.say("a pony"))
    assert again is not None
    assert (again.template, again.context["retry"]) == ("customer/ask_outcome", True)
    decision = answer_until_summary(chat, chat.say("a free pony for my daughter"))
    item = summary(decision)["outcome"]
    assert (item["label"], item["value"]) == ("outcome.other", "a free pony for my daughter")
    details = opened(chat.say("yes")).details
    assert (details.outcome, details.outcome_detail) == ("other", "a free pony for my daughter")


# Name, contact and consent ----------------------------------------------------------------------


def test_contact_is_asked_on_a_channel_without_a_lasting_address_and_asked_again_once(
    chat: Chat,
) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_contact")
    again = question(chat.say("tomorrow"))
    assert again is not None
    assert (again.template, again.context["retry"]) == ("customer/ask_contact", True)
    assert asked(chat.say("+44 (0)7700 900123")) == "customer/ask_consent"
    assert chat.conversation.answer(Field.CONTACT) == "+44 (0)7700 900123"


def test_a_contact_question_is_never_asked_a_third_time(chat: Chat) -> None:
    chat.lasting_address = False
    advance_to(chat, "customer/ask_contact")
    chat.say("tomorrow")
    assert asked(chat.say("ask my neighbour")) == "customer/ask_consent"


def test_contact_is_not_asked_when_the_channel_can_reach_the_customer_later(chat: Chat) -> None:
    chat.lasting_address = True
    decision = reach_summary(chat)
    assert "contact" not in summary(decision)
    assert [item["letter"] for item in summary(decision).values()] == ["A", "B", "C", "D", "E"]


def test_a_known_contact_is_not_asked_and_is_kept_on_the_case(chat: Chat) -> None:
    chat.lasting_address = False
    chat.known_contact = "ana@example.com"
    decision = reach_summary(chat)
    assert summary(decision)["contact"]["value"] == "ana@example.com"
    assert opened(chat.say("yes")).details.contact == "ana@example.com"


def test_the_name_the_channel_gives_is_not_asked(chat: Chat) -> None:
    chat.display_name = "Ana Silva"
    chat.say("hi")
    chat.say(DESCRIPTION)
    chat.say("skip")
    chat.say("skip")
    decision = chat.say("repair")
    assert asked(decision) == "customer/ask_consent"
    decision = chat.say("yes")
    assert summary(decision)["name"]["value"] == "Ana Silva"


@pytest.mark.parametrize("known", [None, "Priya S"])
def test_a_name_given_in_the_first_message_wins_over_what_we_knew(
    chat: Chat, known: str | None
) -> None:
    chat.display_name = "priya"  # the terminal chat's login
    chat.known_name = known
    chat.say("Hi, I'm Priya Shah. My parcel, order 88213, never arrived")
    assert chat.conversation.answer(Field.NAME) == "Priya Shah"


def test_a_name_known_from_before_wins_over_the_display_name(chat: Chat) -> None:
    chat.display_name = "ana_s_1987"
    chat.known_name = "Ana Silva"
    decision = reach_summary(chat)
    assert summary(decision)["name"]["value"] == "Ana Silva"
    assert opened(chat.say("yes")).details.customer_name == "Ana Silva"


@pytest.mark.parametrize(
    ("first", "day"),
    [
        # Saturday 7 March, in the stay; not Saturday 14 March, the latest Saturday.
        ("We stayed in your lodge from the 6th to the 8th of March and the heating died.", "07"),
        # No stay told of: the latest Saturday.
        ("The lamp I ordered from you on the 6th of March arrived broken.", "14"),
    ],
)
def test_a_weekday_answered_to_when_is_the_one_of_the_stay_the_complaint_told_of(
    chat: Chat, first: str, day: str
) -> None:
    answers = {"customer/ask_when": "The Saturday night, freezing"}
    decision = answer_until_summary(chat, chat.say(first), answers)
    assert summary(decision)["when"]["value"] == f"2026-03-{day}"
