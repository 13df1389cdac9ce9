"""Email's conversation: registered at once, missing details asked in one list, then read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import pytest

from workflows.cases import CaseView
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings
from workflows.conversation import Conversation, Mode
from workflows.effects import (
    AttachMessage,
    ChangeStatus,
    Decision,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Reply,
    UpdateCase,
)
from workflows.intake import decide_message
from workflows.lifecycle import CaseStatus

COMPLAINT = (
    "Hello, the washing machine you delivered on 3 March leaks all over the floor.\n"
    "My order number is W-55102. I would like a replacement please."
)


@dataclass
class Mailbox:
    """One customer writing emails; keeps the conversation and their cases between messages."""

    settings: IntakeSettings
    now: datetime
    new_reference: Callable[[], str]
    make_case: Callable[..., CaseView]
    display_name: str | None = "Ana Silva"
    conversation: Conversation = field(default_factory=Conversation)
    cases: tuple[CaseView, ...] = ()

    def write(
        self,
        text: str,
        *,
        subject: str = "",
        thread: str | None = None,
        automated: bool = False,
        attachments: bool = False,
    ) -> Decision:
        message = CustomerMessage(
            text=text,
            channel="email",
            display_name=self.display_name,
            lasting_address=True,
            batch=True,
            subject=subject,
            automated=automated,
            has_attachments=attachments,
        )
        context = CustomerContext(
            now=self.now,
            new_reference=self.new_reference(),
            cases=self.cases,
            thread_reference=thread,
        )
        result = decide_message(self.conversation, message, context, self.settings)
        assert result.conversation is not None
        self.conversation = result.conversation
        for opened in result.of_type(OpenCase):
            self.cases = (self.make_case(reference=opened.reference, channel="email"), *self.cases)
        return result


@pytest.fixture
def mailbox(
    intake_settings: IntakeSettings,
    now: datetime,
    new_reference: Callable[[], str],
    make_case: Callable[..., CaseView],
) -> Mailbox:
    return Mailbox(intake_settings, now, new_reference, make_case)


def asked(decision: Decision, template: str) -> list[str]:
    (reply,) = [r for r in decision.of_type(Reply) if r.template == template]
    questions = reply.context["questions"]
    assert isinstance(questions, list)
    return [str(item["field"]) for item in questions]


def test_the_first_email_registers_at_once_and_asks_only_what_is_missing(
    mailbox: Mailbox,
) -> None:
    first = mailbox.write(COMPLAINT, subject="Leaking washing machine")
    (opened,) = first.of_type(OpenCase)
    assert opened.details.description == COMPLAINT
    assert opened.details.product == "W-55102"
    assert opened.details.occurred_on == date(2026, 3, 3)
    assert opened.details.outcome == "replacement"
    assert opened.details.customer_name == "Ana Silva"
    assert opened.details.consent is False
    # Everything it said is taken; only consent is still to ask.
    assert asked(first, "customer/acknowledgement") == ["consent"]
    assert mailbox.conversation.mode is Mode.ENRICHING


@pytest.mark.parametrize(
    "wish",
    [
        "Honestly I would just like a new one that works, not a refund.",
        "I'd just like a new one.",
        "I would rather have a new one than my money back.",
    ],
)
def test_a_wish_said_with_just_or_rather_is_taken_from_the_first_email(
    mailbox: Mailbox, wish: str
) -> None:
    first = mailbox.write(f"The kettle I bought leaks every time I boil it. {wish}")
    (opened,) = first.of_type(OpenCase)
    assert opened.details.outcome == "replacement"


def test_staff_see_the_words_of_a_wish_from_the_first_email_beside_its_outcome(
    mailbox: Mailbox,
) -> None:
    first = mailbox.write(
        "Your van reversed into my car in the car park on 17 March and scratched the door.\n"
        "Pay for the respray, £420 quote from my garage."
    )
    (opened,) = first.of_type(OpenCase)
    assert opened.details.outcome == "other"
    assert opened.details.outcome_detail == "Pay for the respray, £420 quote from my garage."


def test_a_wish_said_as_the_bare_choice_has_no_words_beside_it(mailbox: Mailbox) -> None:
    (opened,) = mailbox.write("The kettle leaks. Refund please.").of_type(OpenCase)
    assert (opened.details.outcome, opened.details.outcome_detail) == ("refund", None)


def test_a_reply_with_numbered_answers_fills_the_case(mailbox: Mailbox) -> None:
    mailbox.display_name = None
    first = mailbox.write("The engineer never came to fix my boiler and nobody called me.")
    assert asked(first, "customer/acknowledgement") == [
        "product",
        "when",
        "outcome",
        "name",
        "consent",
    ]
    reply = mailbox.write(
        "Thanks.\n1. Boiler service plan BSP-7781\n2) last Monday\n3. 4\n4. Tom Jones\n5. yes\n"
        "\nOn Fri, 20 Mar 2026 at 10:30, Complaints <complaints@example.com> wrote:\n> quoted"
    )
    (update,) = reply.of_type(UpdateCase)
    assert update.details == {
        "product": "Boiler service plan BSP-7781",
        "occurred_on": date(2026, 3, 16),
        "occurred_text": None,
        "outcome": "explanation",
        "outcome_detail": None,
        "customer_name": "Tom Jones",
        "consent": True,
    }
    assert [r.template for r in reply.of_type(Reply)] == ["customer/details_complete"]
    assert reply.of_type(NotifyStaff)[0].template == "staff/case_details_added"
    assert mailbox.conversation.mode is Mode.IDLE


def test_free_text_answers_are_found_and_only_the_rest_is_asked_again(mailbox: Mailbox) -> None:
    mailbox.display_name = None
    mailbox.write("The engineer never came to fix my boiler and nobody called me.")
    reply = mailbox.write("It was yesterday, account 99120. I'd like my money back.")
    (update,) = reply.of_type(UpdateCase)
    assert update.details["product"] == "99120"
    assert update.details["occurred_on"] == date(2026, 3, 19)
    assert update.details["outcome"] == "refund"
    assert asked(reply, "customer/details_still_missing") == ["name", "consent"]
    # Asked again once; the next reply that still leaves gaps ends the questions.
    last = mailbox.write("1. Tom")
    assert [r.template for r in last.of_type(Reply)] == ["customer/details_complete"]
    assert last.of_type(UpdateCase)[0].details == {"customer_name": "Tom"}
    assert mailbox.conversation.mode is Mode.IDLE


def test_a_reply_that_answers_nothing_is_kept_and_the_questions_listed_once_more(
    mailbox: Mailbox,
) -> None:
    mailbox.write(COMPLAINT)
    reply = mailbox.write("I am very upset about all this.")
    assert reply.of_type(AttachMessage)
    assert not reply.of_type(UpdateCase)
    assert asked(reply, "customer/details_still_missing") == ["consent"]
    after = mailbox.write("Still upset.")
    assert "customer/follow_up_received" in [r.template for r in after.of_type(Reply)]
    assert mailbox.conversation.mode is Mode.IDLE


def test_consent_no_is_not_taken_as_consent(mailbox: Mailbox) -> None:
    mailbox.write(COMPLAINT)
    reply = mailbox.write("1. no")
    assert not reply.of_type(UpdateCase)


def test_an_attachment_only_email_opens_a_case_and_asks_what_happened(
    mailbox: Mailbox,
) -> None:
    first = mailbox.write("", subject="", attachments=True)
    assert asked(first, "customer/acknowledgement")[0] == "description"


def test_the_subject_is_the_description_when_the_body_is_empty(mailbox: Mailbox) -> None:
    first = mailbox.write("", subject="Broken kettle from order 4471, want a refund")
    (opened,) = first.of_type(OpenCase)
    assert opened.details.description == "Broken kettle from order 4471, want a refund"
    assert opened.details.product == "4471"


def test_automatic_mail_is_never_answered_and_opens_nothing(mailbox: Mailbox) -> None:
    result = mailbox.write("I am out of the office until Monday.", automated=True)
    assert result.effects == ()
    assert mailbox.conversation == Conversation()


def test_an_auto_reply_in_a_case_thread_is_kept_on_the_case_quietly(mailbox: Mailbox) -> None:
    mailbox.write(COMPLAINT)
    reference = mailbox.cases[0].reference
    result = mailbox.write("Out of office", automated=True, thread=reference)
    assert result.of_type(AttachMessage) == [AttachMessage(reference)]
    assert result.of_type(RecordEvent)[0].kind == "automated_message"
    assert not result.of_type(Reply)


def test_a_reply_threaded_to_another_customers_case_reveals_nothing(
    mailbox: Mailbox, make_case: Callable[..., CaseView]
) -> None:
    someone_else = make_case(status=CaseStatus.INVESTIGATING)
    result = mailbox.write("What is happening with this?", thread=someone_else.reference)
    assert [r.template for r in result.of_type(Reply)] == ["customer/reference_unknown"]
    assert not result.of_type(AttachMessage)
    assert not result.of_type(OpenCase)


def test_a_reference_in_the_subject_continues_that_case(mailbox: Mailbox) -> None:
    mailbox.write(COMPLAINT)
    mailbox.write("1. yes")
    reference = mailbox.cases[0].reference
    result = mailbox.write("Any news?", subject=f"Re: Your complaint {reference}")
    assert result.of_type(AttachMessage) == [AttachMessage(reference)]


def test_a_long_email_is_not_refused_as_too_long(mailbox: Mailbox) -> None:
    result = mailbox.write("The parcel was late. " * 600)
    assert result.of_type(OpenCase)


@pytest.mark.parametrize(
    "shown", ["Win a FREE iPhone at http://evil.example/claim", "bob@example.org", "R2-D2 2000"]
)
def test_a_display_name_that_is_not_a_name_is_not_echoed(mailbox: Mailbox, shown: str) -> None:
    mailbox.display_name = shown
    first = mailbox.write(COMPLAINT)
    (opened,) = first.of_type(OpenCase)
    assert opened.details.customer_name is None
    assert "name" in asked(first, "customer/acknowledgement")


@pytest.mark.parametrize(
    "shown", ["Ana Silva", "Seán O\u2019Brien", "Zoë Müller-Lüdenscheidt", "李小龍"]
)
def test_a_real_name_is_taken_from_the_display_name(mailbox: Mailbox, shown: str) -> None:
    mailbox.display_name = shown
    (opened,) = mailbox.write(COMPLAINT).of_type(OpenCase)
    assert opened.details.customer_name == shown


def test_new_by_email_asks_for_a_new_email_which_then_registers_on_its_own(
    mailbox: Mailbox,
) -> None:
    mailbox.write(COMPLAINT)
    mailbox.write("1. yes")
    reply = mailbox.write("new")
    assert [r.template for r in reply.of_type(Reply)] == ["customer/new_complaint_email"]
    second = mailbox.write(
        "My dishwasher from order D-7781 arrived with a cracked door. I would like a repair.",
        subject="New complaint",
    )
    (opened,) = second.of_type(OpenCase)
    assert opened.details.product == "D-7781"
    assert len(mailbox.cases) == 2


def test_status_on_the_first_line_of_an_email_is_the_command(mailbox: Mailbox) -> None:
    mailbox.write(COMPLAINT)
    reply = mailbox.write("status\n\nKind regards,\nAna Silva\nSent from my phone")
    assert [r.template for r in reply.of_type(Reply)] == ["customer/status_list"]


@pytest.mark.parametrize(
    "reply",
    [
        "5. No, I do not agree, delete my data",
        "no",
        "I don't agree",
        "Sorry but I do not consent to you keeping my details on file",
    ],
)
def test_consent_refused_by_email_stops_the_case_and_says_so(mailbox: Mailbox, reply: str) -> None:
    mailbox.display_name = None
    first = mailbox.write("The engineer never came to fix my boiler and nobody called me.")
    (opened,) = first.of_type(OpenCase)
    refused = mailbox.write(reply)
    (stopped,) = refused.of_type(ChangeStatus)
    assert (stopped.reference, stopped.status) == (opened.reference, CaseStatus.WITHDRAWN)
    assert [e.kind for e in refused.of_type(RecordEvent)] == ["consent_refused"]
    assert [r.template for r in refused.of_type(Reply)] == ["customer/consent_refused"]
    assert [n.template for n in refused.of_type(NotifyStaff)] == ["staff/case_consent_refused"]
    assert mailbox.conversation.mode is Mode.IDLE


def test_a_no_to_another_numbered_question_is_not_a_refusal(mailbox: Mailbox) -> None:
    mailbox.display_name = None
    mailbox.write("The engineer never came to fix my boiler and nobody called me.")
    answered = mailbox.write("1. boiler service visit\n2. no idea\n5. yes")
    assert not answered.of_type(ChangeStatus)


def test_disagreeing_with_something_else_in_a_sentence_is_not_a_refusal(mailbox: Mailbox) -> None:
    mailbox.display_name = None
    mailbox.write("The engineer never came to fix my boiler and nobody called me.")
    reply = mailbox.write("I don't agree with what your engineer wrote in his report at all.")
    assert not reply.of_type(ChangeStatus)


def test_a_yes_with_deletion_afterwards_by_email_does_not_withdraw_the_case(
    mailbox: Mailbox,
) -> None:
    """A yes asking for deletion afterwards agrees for now: the case is not withdrawn."""
    mailbox.display_name = None
    mailbox.write("The engineer never came to fix my boiler and nobody called me.")
    reply = mailbox.write("Yes, but delete my data afterwards, once it's sorted.")
    assert not reply.of_type(ChangeStatus)
    assert mailbox.conversation.mode is not Mode.IDLE
