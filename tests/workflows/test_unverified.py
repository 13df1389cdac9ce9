"""An email whose sender is not proven: it never changes a case, and a new one is marked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from workflows.cases import CaseView
from workflows.conversation import Conversation, Field, Mode
from workflows.effects import AttachMessage, Decision, OpenCase, RecordEvent, Reply
from workflows.intake import CustomerContext, CustomerMessage, IntakeSettings, decide_message
from workflows.lifecycle import CaseStatus
from workflows.sender_trust import (
    AuthResult,
    CheckedBy,
    DmarcPolicy,
    SenderAuthentication,
)
from workflows.unverified import SENDER_UNVERIFIED, UNVERIFIED_MESSAGE

FORGED = SenderAuthentication(
    spf=AuthResult.NONE,
    dkim=AuthResult.NONE,
    dmarc=AuthResult.FAIL,
    from_domain="customer.example",
    checked_by=CheckedBy.MX,
    policy=DmarcPolicy.REJECT,
)
UNPROVEN = SenderAuthentication(
    spf=AuthResult.NONE,
    dkim=AuthResult.NONE,
    dmarc=AuthResult.NONE,
    from_domain="small.example",
    checked_by=CheckedBy.MX,
)
PROVEN = SenderAuthentication(
    spf=AuthResult.PASS,
    dkim=AuthResult.PASS,
    dmarc=AuthResult.PASS,
    from_domain="customer.example",
    checked_by=CheckedBy.MX,
    aligned="dkim:customer.example",
)
COMPLAINT = (
    "My tablet, order 7713, arrived on Tuesday with a cracked screen. I want a replacement.\n"
    "Bea Jones"
)


def email(text: str, sender: SenderAuthentication, subject: str = "") -> CustomerMessage:
    return CustomerMessage(text=text, channel="email", batch=True, subject=subject, sender=sender)


def decide(
    intake_settings: IntakeSettings,
    now: datetime,
    message: CustomerMessage,
    cases: tuple[CaseView, ...] = (),
    conversation: Conversation | None = None,
    thread: str | None = None,
) -> Decision:
    context = CustomerContext(
        now=now, new_reference="CB-K7M3-XD94", cases=cases, thread_reference=thread
    )
    return decide_message(conversation or Conversation(), message, context, intake_settings)


@pytest.mark.parametrize(
    "text", ["Please withdraw my complaint.", "cancel", "status", "It was on 3 March, 1. refund"]
)
def test_an_unproven_reply_in_a_cases_thread_changes_nothing_and_shows_nothing(
    intake_settings: IntakeSettings,
    now: datetime,
    make_case: Callable[..., CaseView],
    text: str,
) -> None:
    case = make_case(reference="CB-AAAA-BBBB", channel="email")
    waiting = Conversation(mode=Mode.ENRICHING, case_reference=case.reference)
    decided = decide(
        intake_settings, now, email(text, FORGED), (case,), waiting, thread=case.reference
    )
    kinds = {type(effect) for effect in decided.effects}
    assert kinds == {AttachMessage, RecordEvent}, decided.effects
    [event] = decided.of_type(RecordEvent)
    assert event.kind == UNVERIFIED_MESSAGE
    assert "dmarc=fail" in event.data["note"]
    # No answer to the person the forged From names (p=reject says it is not theirs).
    assert not decided.of_type(Reply)
    assert decided.conversation == waiting  # the pending questions are still pending


def test_an_unproven_reply_from_a_domain_without_a_policy_gets_the_strangers_answer(
    intake_settings: IntakeSettings, now: datetime, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(reference="CB-AAAA-BBBB", channel="email")
    decided = decide(
        intake_settings, now, email("cancel", UNPROVEN), (case,), thread=case.reference
    )
    assert [r.template for r in decided.of_type(Reply)] == ["customer/reference_unknown"]
    assert decided.of_type(AttachMessage) == [AttachMessage(case.reference)]


def test_an_unproven_message_quoting_the_reference_is_kept_on_that_case(
    intake_settings: IntakeSettings, now: datetime, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(status=CaseStatus.RESOLVED, resolved_at=now, channel="email")
    decided = decide(
        intake_settings, now, email(f"Reopen {case.reference} please", UNPROVEN), (case,)
    )
    assert decided.of_type(AttachMessage) == [AttachMessage(case.reference)]
    assert not decided.of_type(OpenCase)


def test_an_unproven_new_complaint_is_registered_and_marked_for_staff(
    intake_settings: IntakeSettings, now: datetime
) -> None:
    decided = decide(intake_settings, now, email(COMPLAINT, UNPROVEN))
    [opened] = decided.of_type(OpenCase)
    marks = [e for e in decided.of_type(RecordEvent) if e.kind == SENDER_UNVERIFIED]
    assert [m.reference for m in marks] == [opened.reference]
    assert "customer/acknowledgement" in [r.template for r in decided.of_type(Reply)]


def test_a_new_complaint_the_domain_says_to_reject_gets_no_answer_and_no_case(
    intake_settings: IntakeSettings, now: datetime
) -> None:
    decided = decide(intake_settings, now, email(COMPLAINT, FORGED))
    assert decided.effects == ()
    assert decided.conversation == Conversation()


def test_a_proven_sender_is_handled_as_before(
    intake_settings: IntakeSettings, now: datetime, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(reference="CB-AAAA-BBBB", channel="email")
    decided = decide(intake_settings, now, email("cancel", PROVEN), (case,), thread=case.reference)
    assert not [e for e in decided.of_type(RecordEvent) if e.kind == UNVERIFIED_MESSAGE]
    assert "customer/reference_unknown" not in [r.template for r in decided.of_type(Reply)]


def test_the_result_survives_storage_as_json() -> None:
    assert SenderAuthentication.from_dict(FORGED.to_dict()) == FORGED
    assert FORGED.to_dict()["authenticated"] is False


def test_an_unproven_status_request_shows_no_case_even_a_long_closed_one(
    intake_settings: IntakeSettings,
    now: datetime,
    make_case: Callable[..., CaseView],
) -> None:
    old = make_case(
        status=CaseStatus.CLOSED,
        opened_at=now - timedelta(days=400),
        resolved_at=now - timedelta(days=390),
        channel="email",
    )
    decided = decide(intake_settings, now, email("status", UNPROVEN), (old,))
    assert [r.template for r in decided.of_type(Reply)] == ["customer/reference_unknown"]
    assert decided.of_type(AttachMessage) == [AttachMessage(old.reference)]
    assert not decided.of_type(OpenCase)


def test_an_unproven_message_to_an_intake_left_days_ago_is_not_reminded_of_it(
    intake_settings: IntakeSettings, now: datetime
) -> None:
    left = Conversation(
        mode=Mode.COLLECTING,
        answers={Field.DESCRIPTION: "My insulin pump stopped working at night"},
        last_at=now - timedelta(days=2),
    )
    decided = decide(intake_settings, now, email("hello, where were we?", UNPROVEN), (), left)
    # The reminder would read the customer's own words back to whoever wrote.
    assert [r.template for r in decided.of_type(Reply)] == ["customer/reference_unknown"]
    assert decided.conversation == left  # its clock is not moved either
    proven = decide(intake_settings, now, email("hello, where were we?", PROVEN), (), left)
    assert "customer/resume" in [r.template for r in proven.of_type(Reply)]


def test_an_unproven_auto_reply_in_a_cases_thread_is_kept_marked_unverified(
    intake_settings: IntakeSettings, now: datetime, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(reference="CB-AAAA-BBBB", channel="email")
    message = replace(email("I am out of the office until Monday.", FORGED), automated=True)
    decided = decide(intake_settings, now, message, (case,), thread=case.reference)
    assert decided.of_type(AttachMessage) == [AttachMessage(case.reference)]
    [event] = decided.of_type(RecordEvent)
    assert event.kind == UNVERIFIED_MESSAGE
    assert event.data["automated"] is True
    assert not decided.of_type(Reply)
