"""The summary and registering a complaint: reference, acknowledgement, routing, clocks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.workflows.chat import (
    DESCRIPTION,
    Chat,
    answer_until_summary,
    asked,
    opened,
    question,
    reach_summary,
    reply,
    summary,
    templates,
)
from workflows.conversation import Conversation, Mode
from workflows.effects import (
    ChangeStatus,
    NotifyStaff,
    OpenCase,
    ScheduleTimer,
)
from workflows.lifecycle import CaseStatus

# The summary ------------------------------------------------------------------------------------


def test_the_summary_lists_the_answers_lettered_without_consent(chat: Chat) -> None:
    chat.lasting_address = False
    decision = reach_summary(chat)
    items = summary(decision)
    assert list(items) == ["description", "product", "when", "outcome", "name", "contact"]
    assert [item["letter"] for item in items.values()] == ["A", "B", "C", "D", "E", "F"]
    assert items["description"]["value"] == DESCRIPTION
    assert items["product"]["value"] == "Kettle K200"
    assert items["when"]["value"] == "2026-03-14"
    assert (items["outcome"]["label"], items["outcome"]["value"]) == ("outcome.refund", None)
    assert items["name"]["value"] == "Ana Silva"
    assert items["contact"]["value"] == "ana@example.com"
    # The menu means what menus mean everywhere: 1 is yes.
    choices = reply(decision, "customer/summary").choices
    assert [(c.value, c.label) for c in choices] == [
        ("yes", "answer.register"),
        ("change", "answer.change"),
    ]


@pytest.mark.parametrize("answer", ["1", "yes", "Yes"])
def test_one_or_yes_at_the_summary_registers_as_one_means_yes_everywhere(
    chat: Chat, answer: str
) -> None:
    reach_summary(chat)
    assert chat.say(answer).of_type(OpenCase)


def test_a_letter_at_the_summary_corrects_that_answer_then_shows_the_summary_again(
    chat: Chat,
) -> None:
    reach_summary(chat)
    ask = question(chat.say("b"))
    assert ask is not None
    assert ask.template == "customer/ask_product"
    decision = chat.say("Toaster T1")
    assert templates(decision) == ["customer/summary"]
    items = summary(decision)
    assert items["product"]["value"] == "Toaster T1"
    assert items["description"]["value"] == DESCRIPTION
    assert items["when"]["value"] == "2026-03-14"
    assert opened(chat.say("yes")).details.product == "Toaster T1"


@pytest.mark.parametrize("answer", ["2", "change", "Change something"])
def test_asking_to_change_something_asks_which(chat: Chat, answer: str) -> None:
    reach_summary(chat)
    decision = chat.say(answer)
    assert templates(decision) == ["customer/summary_which"]
    assert reply(decision, "customer/summary_which").context == {"first": "A", "last": "E"}
    assert asked(chat.say("C")) == "customer/ask_when"


def test_correcting_the_date_accepts_a_new_date_and_returns_to_the_summary(chat: Chat) -> None:
    reach_summary(chat)
    assert asked(chat.say("C")) == "customer/ask_when"
    decision = chat.say("yesterday")
    assert summary(decision)["when"]["value"] == "2026-03-19"


@pytest.mark.parametrize(
    ("said", "field", "value"),
    [
        ("actually it was the 12th not yesterday", "when", "2026-03-12"),
        ("sorry my email is jo.smith@example.org", "contact", "jo.smith@example.org"),
        ("the order number is 5521, not the one above", "product", "5521"),
        ("oh and my name is Bea Jones", "name", "Bea Jones"),
    ],
)
def test_a_correction_in_words_at_the_summary_changes_that_answer(
    chat: Chat, said: str, field: str, value: str
) -> None:
    chat.lasting_address = False
    reach_summary(chat)
    decision = chat.say(said)
    assert templates(decision) == ["customer/summary_corrected", "customer/summary"]
    assert summary(decision)[field]["value"] == value
    assert chat.conversation.mode is Mode.CONFIRMING
    assert not decision.of_type(OpenCase)


@pytest.mark.parametrize("answer", ["no", "what?", "9", "Z", "0"])
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
    assert not staff.escalate
    assert decision.of_type(ScheduleTimer) == [
        ScheduleTimer(reference, "sla_warning", due - timedelta(hours=48)),
        ScheduleTimer(reference, "sla_breach", due),
        ScheduleTimer(reference, "progress_update", chat.now + timedelta(days=5)),
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
    # A critical case calls the on-call people at once, not only its queue.
    assert [notify.escalate for notify in decision.of_type(NotifyStaff)] == [True]
    warning, breach, progress = decision.of_type(ScheduleTimer)
    # A day without news, and the customer is told where it stands.
    assert (progress.kind, progress.due_at) == ("progress_update", chat.now + timedelta(days=1))
    assert (warning.kind, warning.due_at) == ("sla_warning", due - timedelta(hours=6))
    assert (breach.kind, breach.due_at) == ("sla_breach", due)
    assert warning.due_at < breach.due_at


def test_a_billing_complaint_goes_to_the_billing_queue(chat: Chat) -> None:
    answer_until_summary(chat, chat.say("You charged me twice for one order"))
    decision = chat.say("yes")
    assert [notify.queue for notify in decision.of_type(NotifyStaff)] == ["billing"]
    assert opened(decision).classification.category == "billing"


@pytest.mark.parametrize(
    ("first", "wish", "category", "queue", "severity"),
    [
        # The refund wanted names no billing complaint: the wardrobe's makers should see it.
        (
            "The wardrobe door came off its hinges",
            "I want my money back",
            "product",
            "complaints",
            "normal",
        ),
        # A hazard told only in the wish still counts.
        (
            "The wardrobe door came off",
            "A refund. It nearly hit my child, it could have killed her",
            "product",
            "complaints-urgent",
            "critical",
        ),
        # A complaint that names no category takes the one the wish names ("job 4471" none).
        ("I am not happy with you", "a refund of the call-out fee", "billing", "billing", "normal"),
    ],
)
def test_what_the_customer_wants_done_does_not_move_the_complaint_to_another_team(
    chat: Chat, first: str, wish: str, category: str, queue: str, severity: str
) -> None:
    answers = {"customer/ask_outcome": wish, "customer/ask_product": "job 4471"}
    answer_until_summary(chat, chat.say(first), answers)
    decision = chat.say("yes")
    case = opened(decision)
    assert (case.classification.category, case.classification.severity) == (category, severity)
    assert [notify.queue for notify in decision.of_type(NotifyStaff)] == [queue]
