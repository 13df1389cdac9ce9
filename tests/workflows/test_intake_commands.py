"""Commands at any point, and messages about existing cases."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from tests.workflows.chat import (
    DESCRIPTION,
    Chat,
    mistype,
    reach_summary,
    reply,
    templates,
)
from workflows.cases import CaseView
from workflows.conversation import Conversation, Field, Mode
from workflows.effects import (
    AttachMessage,
    ChangeStatus,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Reply,
)
from workflows.lifecycle import CaseStatus

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


def test_asking_after_a_complaint_not_yet_registered_is_told_it_is_still_being_taken(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    chat.say(DESCRIPTION)
    decision = chat.say("where is my complaint? it's been ages")
    assert templates(decision) == ["customer/status_list", "customer/ask_product"]
    assert reply(decision, "customer/status_list").context == {"cases": [], "drafting": True}
    chat.cases = (make_case(status=CaseStatus.INVESTIGATING),)
    listed = reply(chat.say("status"), "customer/status_list").context
    assert listed["drafting"] is True
    assert isinstance(listed["cases"], list)
    assert len(listed["cases"]) == 1


def test_asking_with_no_complaint_under_way_is_not_told_of_one(chat: Chat) -> None:
    decision = chat.say("any news?")
    assert reply(decision, "customer/status_list").context == {"cases": [], "drafting": False}


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
    decision = chat.say("The courier came back today and took the parcel away again")
    assert decision.of_type(AttachMessage) == [AttachMessage(newer.reference)]
    # Asking for news is a question to answer, not something to add to the case (issue 14).
    assert templates(chat.say("any news?")) == ["customer/status_list"]


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


def test_a_request_inside_a_sentence_mid_intake_is_confirmed_before_acting(chat: Chat) -> None:
    chat.say("My parcel never arrived and the courier says it was delivered")
    decision = chat.say("hmm can I speak to someone please")
    assert templates(decision) == ["customer/confirm_request"]
    (question,) = decision.of_type(Reply)
    assert [c.value for c in question.choices] == ["yes", "no"]
    carry_on = chat.say("2")
    assert templates(carry_on) == ["customer/ask_product"]
    assert not carry_on.of_type(NotifyStaff)
    assert not chat.conversation.answered(Field.PRODUCT)


def test_yes_to_the_confirmation_does_what_was_asked(chat: Chat) -> None:
    chat.say("My parcel never arrived and the courier says it was delivered")
    chat.say("can I speak to someone please")
    assert chat.say("yes").of_type(NotifyStaff)


def test_a_plain_command_needs_no_confirmation(chat: Chat) -> None:
    chat.say("My parcel never arrived and the courier says it was delivered")
    assert chat.say("person").of_type(NotifyStaff)


def test_an_answer_instead_of_yes_or_no_is_taken_as_an_answer(chat: Chat) -> None:
    chat.say("My parcel never arrived and the courier says it was delivered")
    chat.say("I want to talk to a human")
    chat.say("order 44521")
    assert "44521" in (chat.conversation.answer(Field.PRODUCT) or "")
