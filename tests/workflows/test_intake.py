"""Whole intake conversations, driven message by message through decide_message.

Each test plays a customer: it sends a message, keeps the conversation the core returns, and
sends the next one, with the real English vocabulary and the shipped routing rules.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from workflows.cases import CaseView
from workflows.conversation import Conversation, Field, Mode
from workflows.effects import (
    AttachMessage,
    ChangeStatus,
    Decision,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Reply,
    ScheduleTimer,
)
from workflows.intake import CustomerContext, CustomerMessage, IntakeSettings, decide_message
from workflows.lifecycle import CaseStatus
from workflows.references import ALPHABET

DESCRIPTION = "The kettle I bought stopped working after one use"
STANDARD_ANSWERS = {
    "customer/ask_description": DESCRIPTION,
    "customer/ask_product": "Kettle K200",
    "customer/ask_when": "14 March",
    "customer/ask_outcome": "1",
    "customer/ask_name": "Ana Silva",
    "customer/ask_contact": "ana@example.com",
    "customer/ask_consent": "yes",
}


@dataclass
class Chat:
    """One customer identity talking to the bot; keeps the conversation between messages."""

    settings: IntakeSettings
    now: datetime
    new_reference: str
    channel: str = "sms"
    lasting_address: bool = True
    display_name: str | None = None
    cases: tuple[CaseView, ...] = ()
    known_name: str | None = None
    known_contact: str | None = None
    consented_before: bool = False
    conversation: Conversation = field(default_factory=Conversation)

    def say(self, text: str, *, attachments: bool = False) -> Decision:
        """Send one message and keep the conversation the core hands back."""
        message = CustomerMessage(
            text=text,
            channel=self.channel,
            has_attachments=attachments,
            display_name=self.display_name,
            lasting_address=self.lasting_address,
        )
        context = CustomerContext(
            now=self.now,
            new_reference=self.new_reference,
            cases=self.cases,
            known_name=self.known_name,
            known_contact=self.known_contact,
            consented_before=self.consented_before,
        )
        decision = decide_message(self.conversation, message, context, self.settings)
        assert decision.conversation is not None, "a customer message always leaves a state"
        self.conversation = decision.conversation
        return decision


def templates(decision: Decision) -> list[str]:
    """The customer templates replied, in order."""
    return [reply.template for reply in decision.of_type(Reply)]


def question(decision: Decision) -> Reply | None:
    """The question this decision asks, if any (at most one may be asked)."""
    asked = [
        reply for reply in decision.of_type(Reply) if reply.template.startswith("customer/ask_")
    ]
    assert len(asked) <= 1, f"asked more than one question: {asked}"
    return asked[0] if asked else None


def asked(decision: Decision) -> str | None:
    found = question(decision)
    return found.template if found else None


def reply(decision: Decision, template: str) -> Reply:
    matching = [r for r in decision.of_type(Reply) if r.template == template]
    assert len(matching) == 1, f"expected one {template} in {templates(decision)}"
    return matching[0]


def summary(decision: Decision) -> dict[str, dict[str, object]]:
    """The summary's items by field name."""
    items = reply(decision, "customer/summary").context["items"]
    assert isinstance(items, list)
    return {str(item["field"]): item for item in items}


def opened(decision: Decision) -> OpenCase:
    cases = decision.of_type(OpenCase)
    assert len(cases) == 1, f"expected one case opened, effects: {decision.effects}"
    return cases[0]


def answer_until_summary(
    chat: Chat, decision: Decision, answers: dict[str, str] | None = None
) -> Decision:
    """Answer each question asked from ``answers`` until the summary is shown."""
    answers = {**STANDARD_ANSWERS, **(answers or {})}
    for _ in range(len(Field) + 1):
        pending = asked(decision)
        if pending is None:
            break
        decision = chat.say(answers[pending])
    assert templates(decision)[-1] == "customer/summary", templates(decision)
    return decision


def advance_to(chat: Chat, template: str) -> Decision:
    """Start a complaint and answer as a customer would until ``template`` is asked."""
    decision = chat.say("Hello")
    for _ in range(len(Field) + 1):
        pending = asked(decision)
        if pending == template:
            return decision
        assert pending is not None, f"{template} was never asked"
        decision = chat.say(STANDARD_ANSWERS[pending])
    raise AssertionError(f"{template} was never asked")


def reach_summary(chat: Chat, first: str = "Hello") -> Decision:
    return answer_until_summary(chat, chat.say(first))


def mistype(reference: str) -> str:
    """The reference with its first random symbol changed to another of the alphabet."""
    position = reference.index("-") + 1
    symbol = reference[position]
    other = ALPHABET[(ALPHABET.index(symbol) + 1) % len(ALPHABET)]
    return reference[:position] + other + reference[position + 1 :]


@pytest.fixture
def chat(intake_settings: IntakeSettings, now: datetime, new_reference: Callable[[], str]) -> Chat:
    """A new customer on SMS, with no cases yet."""
    return Chat(settings=intake_settings, now=now, new_reference=new_reference())


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


def test_a_name_is_never_taken_from_skip_however_often_it_is_said(chat: Chat) -> None:
    advance_to(chat, "customer/ask_name")
    for _ in range(3):
        assert asked(chat.say("skip")) == "customer/ask_name"
    assert not chat.conversation.answered(Field.NAME)
    assert asked(chat.say("Ana")) != "customer/ask_name"
    assert chat.conversation.answer(Field.NAME) == "Ana"


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
    assert [item["number"] for item in summary(decision).values()] == [1, 2, 3, 4, 5]


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


def test_a_name_known_from_before_wins_over_the_display_name(chat: Chat) -> None:
    chat.display_name = "ana_s_1987"
    chat.known_name = "Ana Silva"
    decision = reach_summary(chat)
    assert summary(decision)["name"]["value"] == "Ana Silva"
    assert opened(chat.say("yes")).details.customer_name == "Ana Silva"


def test_consent_no_explains_that_it_is_needed_and_asks_again(chat: Chat) -> None:
    advance_to(chat, "customer/ask_consent")
    for answer in ("no", "2", "No!"):
        decision = chat.say(answer)
        assert templates(decision) == ["customer/consent_needed", "customer/ask_consent"]
        assert chat.conversation.mode is Mode.COLLECTING
        assert chat.conversation.asking is Field.CONSENT
        assert not decision.of_type(OpenCase)


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


# The summary ------------------------------------------------------------------------------------


def test_the_summary_lists_the_answers_numbered_without_consent(chat: Chat) -> None:
    chat.lasting_address = False
    decision = reach_summary(chat)
    items = summary(decision)
    assert list(items) == ["description", "product", "when", "outcome", "name", "contact"]
    assert [item["number"] for item in items.values()] == [1, 2, 3, 4, 5, 6]
    assert items["description"]["value"] == DESCRIPTION
    assert items["product"]["value"] == "Kettle K200"
    assert items["when"]["value"] == "2026-03-14"
    assert (items["outcome"]["label"], items["outcome"]["value"]) == ("outcome.refund", None)
    assert items["name"]["value"] == "Ana Silva"
    assert items["contact"]["value"] == "ana@example.com"
    assert not reply(decision, "customer/summary").choices


def test_a_number_at_the_summary_corrects_that_answer_then_shows_the_summary_again(
    chat: Chat,
) -> None:
    reach_summary(chat)
    ask = question(chat.say("2"))
    assert ask is not None
    assert ask.template == "customer/ask_product"
    decision = chat.say("Toaster T1")
    assert templates(decision) == ["customer/summary"]
    items = summary(decision)
    assert items["product"]["value"] == "Toaster T1"
    assert items["description"]["value"] == DESCRIPTION
    assert items["when"]["value"] == "2026-03-14"
    assert opened(chat.say("yes")).details.product == "Toaster T1"


def test_correcting_the_date_accepts_a_new_date_and_returns_to_the_summary(chat: Chat) -> None:
    reach_summary(chat)
    assert asked(chat.say("3")) == "customer/ask_when"
    decision = chat.say("yesterday")
    assert summary(decision)["when"]["value"] == "2026-03-19"


@pytest.mark.parametrize("answer", ["no", "what?", "9", "0"])
def test_anything_else_at_the_summary_explains_and_shows_it_again(chat: Chat, answer: str) -> None:
    reach_summary(chat)
    decision = chat.say(answer)
    assert templates(decision) == ["customer/summary_help", "customer/summary"]
    assert chat.conversation.mode is Mode.CONFIRMING
    assert not decision.of_type(OpenCase)


# Registering ------------------------------------------------------------------------------------


def test_yes_at_the_summary_registers_acknowledges_routes_and_starts_the_clock(chat: Chat) -> None:
    chat.lasting_address = False
    reach_summary(chat)
    decision = chat.say("Yes")

    assert [type(effect).__name__ for effect in decision.effects] == [
        "OpenCase",
        "ChangeStatus",
        "Reply",
        "NotifyStaff",
        "ScheduleTimer",
        "ScheduleTimer",
    ]
    reference = chat.new_reference
    case = opened(decision)
    assert case.reference == reference
    assert case.details.description == DESCRIPTION
    assert case.details.product == "Kettle K200"
    assert case.details.occurred_on == date(2026, 3, 14)
    assert case.details.outcome == "refund"
    assert case.details.customer_name == "Ana Silva"
    assert case.details.contact == "ana@example.com"
    assert case.details.consent is True
    assert case.classification.category == "product"
    assert case.classification.severity == "normal"

    # A normal complaint: a response within 240 hours (10 days), a reminder 48 hours before.
    due = chat.now + timedelta(days=10)
    assert case.due_at == due
    assert decision.of_type(ChangeStatus) == [ChangeStatus(reference, CaseStatus.ACKNOWLEDGED)]
    acknowledgement = reply(decision, "customer/acknowledgement")
    assert acknowledgement.context["reference"] == reference
    assert acknowledgement.context["due_at"] == due
    [staff] = decision.of_type(NotifyStaff)
    assert (staff.queue, staff.template, staff.reference) == (
        "complaints",
        "staff/new_case",
        reference,
    )
    assert decision.of_type(ScheduleTimer) == [
        ScheduleTimer(reference, "sla_warning", due - timedelta(hours=48)),
        ScheduleTimer(reference, "sla_breach", due),
    ]
    assert chat.conversation == Conversation()


def test_a_dangerous_complaint_goes_to_the_urgent_queue_with_a_short_deadline(chat: Chat) -> None:
    first = "The heater caught fire and my son was injured"
    answer_until_summary(chat, chat.say(first), {"customer/ask_outcome": "explanation"})
    decision = chat.say("yes")
    case = opened(decision)
    assert case.classification.severity == "critical"
    due = chat.now + timedelta(hours=24)
    assert case.due_at == due
    assert reply(decision, "customer/acknowledgement").context["due_at"] == due
    assert [notify.queue for notify in decision.of_type(NotifyStaff)] == ["complaints-urgent"]
    warning, breach = decision.of_type(ScheduleTimer)
    assert (warning.kind, warning.due_at) == ("sla_warning", due - timedelta(hours=6))
    assert (breach.kind, breach.due_at) == ("sla_breach", due)
    assert warning.due_at < breach.due_at


def test_a_billing_complaint_goes_to_the_billing_queue(chat: Chat) -> None:
    answer_until_summary(chat, chat.say("You charged me twice for one order"))
    decision = chat.say("yes")
    assert [notify.queue for notify in decision.of_type(NotifyStaff)] == ["billing"]
    assert opened(decision).classification.category == "billing"


# Commands at any point ----------------------------------------------------------------------------


def test_help_during_intake_helps_then_asks_the_pending_question_again(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    before = chat.conversation
    decision = chat.say("Help!")
    assert templates(decision) == ["customer/help", "customer/ask_product"]
    assert reply(decision, "customer/help").context["collecting"] is True
    assert chat.conversation == before


def test_help_when_idle_just_helps(chat: Chat) -> None:
    decision = chat.say("help")
    assert templates(decision) == ["customer/help"]
    assert reply(decision, "customer/help").context["collecting"] is False
    assert chat.conversation == Conversation()


def test_status_without_a_reference_lists_the_customers_own_cases(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    first = make_case(status=CaseStatus.INVESTIGATING)
    second = make_case(status=CaseStatus.CLOSED)
    chat.cases = (first, second)
    decision = chat.say("status")
    assert templates(decision) == ["customer/status_list"]
    listed = reply(decision, "customer/status_list").context["cases"]
    assert isinstance(listed, list)
    assert [(item["reference"], item["status"]) for item in listed] == [
        (first.reference, "investigating"),
        (second.reference, "closed"),
    ]


@pytest.mark.parametrize("text", ["status of my complaint", "where is my complaint?", "track"])
def test_asking_for_status_in_words_lists_the_cases(
    chat: Chat, make_case: Callable[..., CaseView], text: str
) -> None:
    chat.cases = (make_case(status=CaseStatus.INVESTIGATING),)
    assert templates(chat.say(text)) == ["customer/status_list"]


def test_status_during_intake_answers_then_asks_the_pending_question_again(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    before = chat.conversation
    decision = chat.say("status")
    assert templates(decision) == ["customer/status_list", "customer/ask_product"]
    assert chat.conversation == before


@pytest.mark.parametrize(
    "typed",
    [
        lambda ref: f"status {ref}",
        lambda ref: f"STATUS {ref.lower().replace('-', '')}",
        lambda ref: f"status: {ref}",
        lambda ref: f"where is my complaint {ref.replace('-', ' ')}?",
    ],
    ids=["plain", "lower-case-no-dashes", "with-colon", "question-with-spaces"],
)
def test_status_with_an_own_reference_tells_that_case(
    chat: Chat, make_case: Callable[..., CaseView], typed: Callable[[str], str]
) -> None:
    due = chat.now + timedelta(days=3)
    case = make_case(status=CaseStatus.AWAITING_CUSTOMER, due_at=due)
    chat.cases = (make_case(), case)
    decision = chat.say(typed(case.reference))
    assert templates(decision) == ["customer/status"]
    context = reply(decision, "customer/status").context
    assert context["reference"] == case.reference
    assert context["status"] == "awaiting_customer"
    assert context["due_at"] == due


def test_status_with_a_mistyped_reference_says_it_is_mistyped(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case()
    chat.cases = (case,)
    decision = chat.say(f"status {mistype(case.reference)}")
    assert templates(decision) == ["customer/reference_mistyped"]


def test_status_of_someone_elses_reference_reveals_nothing(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    own = make_case()
    someone_elses = make_case(status=CaseStatus.INVESTIGATING)
    chat.cases = (own,)
    decision = chat.say(f"status {someone_elses.reference}")
    assert templates(decision) == ["customer/reference_unknown"]
    assert someone_elses.reference not in repr(decision)
    assert someone_elses.reference.replace("-", "") not in repr(decision)


def test_cancel_during_intake_drops_it_and_registers_nothing(chat: Chat) -> None:
    chat.say(DESCRIPTION)
    chat.say("Kettle K200")
    decision = chat.say("cancel")
    assert templates(decision) == ["customer/cancelled"]
    assert not decision.of_type(OpenCase)
    assert chat.conversation == Conversation()
    # The next message starts afresh: nothing of the cancelled complaint is kept.
    assert templates(chat.say("hi")) == ["customer/welcome", "customer/ask_description"]
    assert not chat.conversation.answered(Field.PRODUCT)


def test_cancel_at_the_summary_drops_the_complaint(chat: Chat) -> None:
    reach_summary(chat)
    decision = chat.say("stop complaint")
    assert templates(decision) == ["customer/cancelled"]
    assert chat.conversation == Conversation()
    assert not decision.of_type(OpenCase)


def test_cancel_with_an_open_case_asks_first_then_withdraws_it(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(status=CaseStatus.INVESTIGATING, queue="billing")
    chat.cases = (case,)
    ask = chat.say("cancel")
    confirm = reply(ask, "customer/confirm_withdraw")
    assert confirm.context["reference"] == case.reference
    assert [choice.value for choice in confirm.choices] == ["yes", "no"]
    assert not ask.of_type(ChangeStatus)
    assert chat.conversation.mode is Mode.CONFIRMING_WITHDRAWAL

    decision = chat.say("yes")
    assert decision.of_type(ChangeStatus) == [
        ChangeStatus(case.reference, CaseStatus.WITHDRAWN, note="withdrawn by the customer")
    ]
    assert templates(decision) == ["customer/withdrawn"]
    [staff] = decision.of_type(NotifyStaff)
    assert (staff.queue, staff.template, staff.reference) == (
        "billing",
        "staff/case_withdrawn",
        case.reference,
    )
    assert chat.conversation == Conversation()


def test_saying_no_to_withdrawing_keeps_the_case(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case()
    chat.cases = (case,)
    chat.say("withdraw")
    decision = chat.say("no")
    assert templates(decision) == ["customer/withdraw_kept"]
    assert not decision.of_type(ChangeStatus)
    assert chat.conversation == Conversation()


def test_cancel_with_nothing_open_says_there_is_nothing_to_cancel(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    chat.cases = (make_case(status=CaseStatus.CLOSED),)
    decision = chat.say("cancel")
    assert templates(decision) == ["customer/nothing_to_cancel"]
    assert not decision.of_type(ChangeStatus)


def test_new_restarts_the_complaint_from_the_first_question(chat: Chat) -> None:
    chat.display_name = "Ana"
    chat.say(DESCRIPTION)
    chat.say("Kettle K200")
    decision = chat.say("start again")
    assert templates(decision) == ["customer/new_complaint", "customer/ask_description"]
    assert not chat.conversation.answered(Field.DESCRIPTION)
    assert not chat.conversation.answered(Field.PRODUCT)
    assert chat.conversation.answer(Field.NAME) == "Ana"


def test_asking_for_a_person_tells_staff_and_keeps_the_conversation_going(chat: Chat) -> None:
    chat.display_name = "Ana"
    chat.say(DESCRIPTION)
    before = chat.conversation
    decision = chat.say("talk to a person")
    [staff] = decision.of_type(NotifyStaff)
    assert (staff.queue, staff.template, staff.reference) == (
        "complaints",
        "staff/person_requested",
        None,
    )
    assert staff.context["name"] == "Ana"
    assert templates(decision) == ["customer/person_requested", "customer/ask_product"]
    assert chat.conversation == before


def test_asking_for_a_person_about_an_open_case_goes_to_that_cases_queue(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(queue="data-protection")
    chat.cases = (case,)
    decision = chat.say("human")
    [staff] = decision.of_type(NotifyStaff)
    assert (staff.queue, staff.template, staff.reference) == (
        "data-protection",
        "staff/person_requested",
        case.reference,
    )
    assert [event.kind for event in decision.of_type(RecordEvent)] == ["person_requested"]
    assert reply(decision, "customer/person_requested").context["reference"] == case.reference


# Follow-ups on existing cases -----------------------------------------------------------------


def test_a_message_with_an_open_case_is_a_follow_up_on_it(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(status=CaseStatus.INVESTIGATING, queue="billing")
    chat.cases = (case,)
    text = "I also noticed a second charge on my statement"
    decision = chat.say(text)
    assert decision.of_type(AttachMessage) == [AttachMessage(case.reference)]
    [staff] = decision.of_type(NotifyStaff)
    assert (staff.queue, staff.template, staff.reference) == (
        "billing",
        "staff/customer_message",
        case.reference,
    )
    assert staff.context["text"] == text
    assert templates(decision) == ["customer/follow_up_received"]
    assert not decision.of_type(OpenCase)
    assert not decision.of_type(ChangeStatus)
    assert chat.conversation == Conversation()


def test_a_reply_on_a_case_awaiting_the_customer_moves_it_back_to_investigating(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(status=CaseStatus.AWAITING_CUSTOMER)
    chat.cases = (case,)
    decision = chat.say("Here is the photo you asked for")
    [change] = decision.of_type(ChangeStatus)
    assert (change.reference, change.status) == (case.reference, CaseStatus.INVESTIGATING)
    assert decision.of_type(AttachMessage) == [AttachMessage(case.reference)]


def test_a_follow_up_goes_to_the_newest_open_case(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    older = make_case(opened_at=chat.now - timedelta(days=20))
    newer = make_case(opened_at=chat.now - timedelta(days=2))
    finished = make_case(opened_at=chat.now - timedelta(hours=1), status=CaseStatus.RESOLVED)
    chat.cases = (older, finished, newer)
    decision = chat.say("any news?")
    assert decision.of_type(AttachMessage) == [AttachMessage(newer.reference)]


def test_quoting_an_own_reference_follows_up_on_that_case(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    older = make_case(opened_at=chat.now - timedelta(days=20))
    newer = make_case(opened_at=chat.now - timedelta(days=2))
    chat.cases = (older, newer)
    decision = chat.say(f"About {older.reference.lower()}: the courier came back")
    assert decision.of_type(AttachMessage) == [AttachMessage(older.reference)]


def test_quoting_an_own_closed_case_is_kept_on_it_and_says_it_is_closed(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(status=CaseStatus.CLOSED)
    chat.cases = (case,)
    decision = chat.say(f"{case.reference} the problem is back")
    assert decision.of_type(AttachMessage) == [AttachMessage(case.reference)]
    assert templates(decision) == ["customer/follow_up_closed"]


def test_with_only_finished_cases_a_message_starts_a_new_complaint(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    chat.cases = (make_case(status=CaseStatus.RESOLVED), make_case(status=CaseStatus.WITHDRAWN))
    decision = chat.say("My new blender arrived with a cracked jug")
    assert templates(decision)[0] == "customer/welcome_back"
    assert not decision.of_type(AttachMessage)
    assert chat.conversation.mode is Mode.COLLECTING


def test_quoting_someone_elses_reference_attaches_nothing_and_reveals_nothing(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    own = make_case(status=CaseStatus.INVESTIGATING)
    someone_elses = make_case(status=CaseStatus.INVESTIGATING)
    chat.cases = (own,)
    decision = chat.say(f"Please add this to {someone_elses.reference}, it is about my refund")
    assert templates(decision) == ["customer/reference_unknown"]
    assert not decision.of_type(AttachMessage)
    assert not decision.of_type(NotifyStaff)
    assert not decision.of_type(ChangeStatus)
    assert someone_elses.reference not in repr(decision)


def test_quoting_a_mistyped_reference_says_so_and_attaches_nothing(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case()
    chat.cases = (case,)
    decision = chat.say(f"about {mistype(case.reference)} please")
    assert templates(decision) == ["customer/reference_mistyped"]
    assert not decision.of_type(AttachMessage)


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
