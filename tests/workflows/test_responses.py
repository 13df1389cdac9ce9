"""Staff respond with a remedy; the customer accepts, rejects or says nothing (7.8, 7.9)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tests.workflows.chat import Chat, templates
from workflows.aftercare_settings import Aftercare
from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.conversation import Mode
from workflows.effects import (
    CancelTimers,
    ChangeStatus,
    MarkCase,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Refuse,
    Reply,
    ScheduleTimer,
)
from workflows.intake import IntakeSettings
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind, decide_staff_action
from workflows.timers import decide_timer
from workflows.vocabulary import Vocabulary

S = CaseStatus
OFFER = "We tested the kettle: the element failed. We will refund it in full."


def respond(
    case: CaseView, now: datetime, rules: Rules, remedy: str | None = "refund", **more: object
) -> list[object]:
    action = StaffAction(
        StaffActionKind.RESPOND,
        case.reference,
        "carol",
        text=str(more.get("text", OFFER)),
        remedy=remedy,
        amount=more.get("amount"),  # type: ignore[arg-type]
    )
    return list(decide_staff_action(case, action, now, rules).effects)


def proposed(chat: Chat, make_case: Callable[..., CaseView]) -> CaseView:
    """The customer's case, with a response awaiting their decision."""
    case = make_case(status=S.RESPONSE_PROPOSED, reference="CB-K7M3-XD9A")
    chat.cases = (case,)
    return case


def test_a_response_is_sent_with_its_remedy_and_asks_the_customer_to_decide(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.INVESTIGATING)
    effects = respond(case, now, rules, amount="£29.99")
    offer = {"text": OFFER, "remedy": "refund", "amount": "£29.99"}
    assert RecordEvent(case.reference, "response", offer) in effects
    assert ChangeStatus(case.reference, S.RESPONSE_PROPOSED, note="response sent") in effects
    reminder = ScheduleTimer(case.reference, "decision_reminder", now + timedelta(days=5))
    assert reminder in effects
    [reply] = [e for e in effects if isinstance(e, Reply)]
    assert reply.template == "customer/response"
    assert reply.context == {"reference": case.reference, **offer}
    assert [choice.value for choice in reply.choices] == ["accept", "reject"]


def test_staff_may_respond_straight_after_acknowledging(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    effects = respond(make_case(status=S.ACKNOWLEDGED), now, rules)
    assert any(isinstance(e, ChangeStatus) and e.status is S.RESPONSE_PROPOSED for e in effects)


@pytest.mark.parametrize("remedy", [None, "voucher", ""])
def test_a_response_without_a_known_remedy_is_refused(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules, remedy: str | None
) -> None:
    [refusal] = respond(make_case(status=S.INVESTIGATING), now, rules, remedy=remedy)
    assert isinstance(refusal, Refuse)
    assert refusal.template == "staff/remedy_unknown"


def test_a_response_on_a_closed_case_is_refused_with_the_allowed_moves(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    [refusal] = respond(make_case(status=S.CLOSED), now, rules)
    assert isinstance(refusal, Refuse)
    assert refusal.template == "staff/transition_not_allowed"


def test_a_second_response_restarts_the_wait_without_changing_status(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.RESPONSE_PROPOSED)
    effects = respond(case, now, rules, remedy="other", text="And £50 for your time.")
    assert not any(isinstance(e, ChangeStatus) for e in effects)
    assert CancelTimers(case.reference, ("decision_reminder", "decision_lapse")) in effects


@pytest.mark.parametrize(
    "answer", ["1", "accept", "Yes", "ok thanks, that's fair", "That's fine, thank you"]
)
def test_accepting_resolves_the_case_with_the_customers_agreement(
    chat: Chat, make_case: Callable[..., CaseView], answer: str
) -> None:
    case = proposed(chat, make_case)
    decision = chat.say(answer)
    assert MarkCase(case.reference, {"customer_decision": "accepted"}) in decision.effects
    changes = decision.of_type(ChangeStatus)
    assert changes == [ChangeStatus(case.reference, S.RESOLVED, note="the customer accepted")]
    assert templates(decision) == ["customer/response_accepted", "customer/satisfaction_question"]
    assert not decision.of_type(OpenCase)


@pytest.mark.parametrize(
    "answer",
    [
        "2",
        "reject",
        "no",
        "ok but that's not enough",
        "That's not enough, I lost a day's pay. I am not satisfied.",
        "I don't accept this, it's a joke",
    ],
)
def test_rejecting_sends_the_case_back_to_staff_and_tells_the_customer_their_recourse(
    chat: Chat, make_case: Callable[..., CaseView], answer: str
) -> None:
    case = proposed(chat, make_case)
    decision = chat.say(answer)
    assert MarkCase(case.reference, {"customer_decision": "rejected"}) in decision.effects
    assert [c.status for c in decision.of_type(ChangeStatus)] == [S.INVESTIGATING]
    [notice] = decision.of_type(NotifyStaff)
    assert notice.template == "staff/customer_decision"
    assert templates(decision) == ["customer/response_rejected"]
    assert not decision.of_type(OpenCase)


def test_a_bare_rejection_asks_why_once_and_the_answer_goes_to_staff(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = proposed(chat, make_case)
    decision = chat.say("2")
    assert decision.of_type(Reply)[0].context["asked_why"] is True
    assert chat.conversation.mode is Mode.EXPLAINING
    decision = chat.say("The refund doesn't cover the delivery charge I paid")
    why = "The refund doesn't cover the delivery charge I paid"
    assert RecordEvent(case.reference, "rejection_reason", {"text": why}) in decision.effects
    assert decision.of_type(NotifyStaff)[0].context["text"] == why
    assert templates(decision) == ["customer/reason_received"]
    assert chat.conversation.mode is Mode.IDLE


def test_a_rejection_that_says_why_is_not_asked_again(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    proposed(chat, make_case)
    text = "No, £20 is not enough, I lost a day's pay"
    decision = chat.say(text)
    assert decision.of_type(Reply)[0].context["asked_why"] is False
    assert decision.of_type(NotifyStaff)[0].context["reason"] == text
    assert chat.conversation.mode is Mode.IDLE


def test_the_operator_may_send_rejections_to_escalation(
    make_case: Callable[..., CaseView], intake_settings: IntakeSettings, now: datetime
) -> None:
    rules = replace(intake_settings.rules, aftercare=Aftercare(rejected_to=S.ESCALATED))
    chat = Chat(settings=replace(intake_settings, rules=rules), now=now, new_reference="CB-X")
    proposed(chat, make_case)
    decision = chat.say("I reject it")
    assert [c.status for c in decision.of_type(ChangeStatus)] == [S.ESCALATED]
    assert decision.of_type(NotifyStaff)[0].escalate


def test_a_question_about_the_response_goes_to_staff_and_the_choice_stays_open(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = proposed(chat, make_case)
    decision = chat.say("When will the money be back on my card?")
    assert not decision.of_type(ChangeStatus)
    assert decision.of_type(NotifyStaff)[0].template == "staff/customer_message"
    assert templates(decision) == ["customer/response_pending"]
    assert case.status is S.RESPONSE_PROPOSED


@pytest.mark.parametrize(
    ("language", "answer", "status"),
    [
        ("fr", "ça me va, merci", S.RESOLVED),
        ("fr", "Non, ce n'est pas suffisant", S.INVESTIGATING),
        ("de", "Passt, danke", S.RESOLVED),
        ("de", "Das reicht mir nicht", S.INVESTIGATING),
        ("es", "Vale, gracias", S.RESOLVED),
        ("es", "No estoy conforme con esto", S.INVESTIGATING),
    ],
)
def test_decisions_are_understood_in_the_customers_language(
    intake_settings: IntakeSettings,
    vocabularies: dict[str, Vocabulary],
    make_case: Callable[..., CaseView],
    now: datetime,
    language: str,
    answer: str,
    status: CaseStatus,
) -> None:
    settings = replace(intake_settings, vocab=vocabularies[language])
    chat = Chat(settings=settings, now=now, new_reference="CB-X")
    proposed(chat, make_case)
    assert [c.status for c in chat.say(answer).of_type(ChangeStatus)] == [status]


def test_no_answer_gets_one_reminder_then_resolves_as_no_reply(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.RESPONSE_PROPOSED)
    reminder = decide_timer(case, "decision_reminder", now, rules)
    assert templates(reminder) == ["customer/response_reminder"]
    lapse_at = now + timedelta(days=5)
    assert ScheduleTimer(case.reference, "decision_lapse", lapse_at) in reminder.effects
    lapsed = decide_timer(case, "decision_lapse", lapse_at, rules)
    note = "no reply from the customer"
    assert ChangeStatus(case.reference, S.RESOLVED, note=note) in lapsed.effects
    assert MarkCase(case.reference, {"customer_decision": "no_reply"}) in lapsed.effects
    # Someone who answered neither message is not sent a survey as well.
    assert templates(lapsed) == ["customer/response_lapsed"]


@pytest.mark.parametrize("status", [S.RESOLVED, S.INVESTIGATING, S.WITHDRAWN])
def test_reminders_do_nothing_once_the_customer_has_decided(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules, status: CaseStatus
) -> None:
    case = make_case(status=status)
    for kind in ("decision_reminder", "decision_lapse"):
        assert decide_timer(case, kind, now, rules).effects == ()
