"""After resolution: the satisfaction question, closing, reopening, and what a reply means."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tests.workflows.chat import Chat, answer_until_summary, asked, opened, templates
from workflows.aftercare import on_resolved
from workflows.aftercare_settings import Aftercare
from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.conversation import Mode
from workflows.effects import (
    ChangeStatus,
    MarkCase,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Reply,
    ScheduleTimer,
)
from workflows.intake import IntakeSettings
from workflows.lifecycle import CaseStatus
from workflows.timers import decide_timer

S = CaseStatus
REF = "CB-K7M3-XD9A"


def resolved(
    chat: Chat, make_case: Callable[..., CaseView], days_ago: float = 1, **more: object
) -> CaseView:
    """The customer's case, resolved ``days_ago`` and asked how satisfied they are."""
    fields: dict[str, object] = {"satisfaction_asked": True, **more}
    at = chat.now - timedelta(days=days_ago)
    case = make_case(status=S.RESOLVED, reference=REF, resolved_at=at, **fields)
    chat.cases = (case,)
    return case


def test_resolution_asks_once_for_a_score_and_sets_the_close_timer(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.INVESTIGATING)
    effects = on_resolved(case, now, rules, ask=True)
    [question] = [e for e in effects if isinstance(e, Reply)]
    assert question.template == "customer/satisfaction_question"
    assert [choice.value for choice in question.choices] == ["1", "2", "3", "4", "5"]
    assert MarkCase(case.reference, {"satisfaction_asked_at": now}) in effects
    assert ScheduleTimer(case.reference, "auto_close", now + timedelta(days=14)) in effects
    again = on_resolved(replace(case, satisfaction_asked=True), now, rules, ask=True)
    assert not [e for e in again if isinstance(e, Reply)], "the question is never repeated"


def test_an_operator_may_turn_the_question_off(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    quiet = replace(rules, aftercare=Aftercare(ask_satisfaction=False))
    effects = on_resolved(make_case(status=S.INVESTIGATING), now, quiet, ask=True)
    assert not [e for e in effects if isinstance(e, Reply)]


@pytest.mark.parametrize(
    ("answer", "score"), [("4", 4), ("5/5", 5), ("3 stars", 3), ("two", 2), ("⭐⭐⭐⭐", 4)]
)
def test_a_score_is_recorded_and_a_comment_invited(
    chat: Chat, make_case: Callable[..., CaseView], answer: str, score: int
) -> None:
    resolved(chat, make_case)
    decision = chat.say(answer)
    assert MarkCase(REF, {"satisfaction": score}) in decision.effects
    assert templates(decision) == ["customer/satisfaction_thanks"]
    assert chat.conversation.mode is Mode.COMMENTING
    decision = chat.say("The lady on the phone was lovely but it took too long")
    comment = {"text": "The lady on the phone was lovely but it took too long"}
    assert RecordEvent(REF, "satisfaction_comment", comment) in decision.effects
    assert templates(decision) == ["customer/comment_thanks"]
    assert chat.conversation.mode is Mode.IDLE


def test_a_comment_is_not_waited_for_forever(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    resolved(chat, make_case)
    chat.say("4")
    chat.now += timedelta(days=3)
    decision = chat.say("Different thing: my new order 66120 arrived smashed")
    assert not any(
        isinstance(e, RecordEvent) and e.kind == "satisfaction_comment" for e in decision.effects
    )


def test_a_score_is_only_read_when_the_question_was_asked_and_unanswered(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    resolved(chat, make_case, satisfaction=5)
    decision = chat.say("3")
    assert not decision.of_type(MarkCase)
    assert templates(decision) == ["customer/after_resolution"]


@pytest.mark.parametrize(
    "text",
    [
        "That's not enough, I lost a day's pay. I am not satisfied.",
        "reopen",
        "It happened again this morning",
        "still not working",
        "no",
    ],
)
def test_dissatisfaction_soon_after_resolution_reopens_the_case_with_a_new_target(
    chat: Chat, make_case: Callable[..., CaseView], rules: Rules, text: str
) -> None:
    resolved(chat, make_case, days_ago=3)
    decision = chat.say(text)
    assert [c.status for c in decision.of_type(ChangeStatus)] == [S.REOPENED]
    due = chat.now + rules.targets["normal"].respond_within
    assert ScheduleTimer(REF, "sla_breach", due) in decision.effects
    assert decision.of_type(NotifyStaff)[0].template == "staff/case_reopened"
    reply = decision.of_type(Reply)[0]
    assert (reply.template, reply.context["due_at"]) == ("customer/case_reopened", due)
    assert not decision.of_type(OpenCase), "never a brand-new complaint"


def test_anything_else_after_resolution_is_kept_on_the_case_and_the_choices_explained(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    resolved(chat, make_case)
    decision = chat.say("Got the refund today, cheers")
    assert decision.of_type(RecordEvent)[0].kind == "customer_message"
    assert templates(decision) == ["customer/after_resolution"]
    assert asked(decision) is None


def test_asking_for_a_new_complaint_after_resolution_starts_one(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    resolved(chat, make_case)
    decision = chat.say("new")
    assert not decision.of_type(ChangeStatus)
    assert chat.conversation.mode is Mode.COLLECTING


def test_after_the_reopening_window_a_reply_starts_a_new_complaint(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    resolved(chat, make_case, days_ago=31)
    decision = chat.say("My replacement kettle has stopped working too, it's not good enough")
    assert not decision.of_type(ChangeStatus)
    assert chat.conversation.mode is Mode.COLLECTING


def test_a_resolved_case_closes_after_the_quiet_period_and_not_before(
    make_case: Callable[..., CaseView], now: datetime, rules: Rules
) -> None:
    case = make_case(status=S.RESOLVED, resolved_at=now)
    early = decide_timer(case, "auto_close", now + timedelta(days=13), rules)
    assert early.effects == ()
    due = decide_timer(case, "auto_close", now + timedelta(days=14), rules)
    assert due.of_type(ChangeStatus) == [
        ChangeStatus(case.reference, S.CLOSED, note="closed after a quiet period")
    ]
    reopened = replace(case, status=S.REOPENED, resolved_at=None)
    assert decide_timer(reopened, "auto_close", now + timedelta(days=14), rules).effects == ()


def test_withdrawal_is_recorded_as_the_customers_decision(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    case = make_case(status=S.RESPONSE_PROPOSED, reference=REF)
    chat.cases = (case,)
    chat.say("cancel")
    decision = chat.say("yes")
    assert [c.status for c in decision.of_type(ChangeStatus)] == [S.WITHDRAWN]
    assert MarkCase(REF, {"customer_decision": "withdrawn"}) in decision.effects


def test_aftercare_settings_are_read_from_the_routing_file(
    intake_settings: IntakeSettings,
) -> None:
    read = Aftercare.from_mapping({"close_after_days": 7, "rejected_goes_to": "escalated"})
    assert read.close_after == timedelta(days=7)
    assert read.rejected_to is S.ESCALATED
    assert read.decision_reminder == timedelta(days=5)
    for wrong in ({"close_after_days": 0}, {"rejected_goes_to": "closed"}, {"reopen": 3}):
        with pytest.raises(ValueError, match="aftercare"):
            Aftercare.from_mapping(wrong)
    assert intake_settings.rules.aftercare == Aftercare()


def test_a_new_complaint_after_the_window_is_linked_to_the_case_it_follows(
    chat: Chat, make_case: Callable[..., CaseView]
) -> None:
    old = resolved(chat, make_case, days_ago=45)
    chat.cases = (replace(old, status=S.CLOSED),)
    chat.lasting_address = False
    decision = chat.say("My replacement kettle has stopped working too, it's not good enough")
    assert chat.conversation.follows == REF
    decision = answer_until_summary(chat, decision)
    registered = chat.say("yes")
    new = opened(registered).reference
    assert RecordEvent(new, "follows", {"reference": REF}) in registered.effects
    assert RecordEvent(REF, "followed_by", {"reference": new}) in registered.effects


def test_a_first_complaint_is_linked_to_nothing(chat: Chat) -> None:
    chat.lasting_address = False
    answer_until_summary(chat, chat.say("My kettle stopped working after one use"))
    assert chat.conversation.follows is None
    assert not [e for e in chat.say("yes").of_type(RecordEvent) if e.kind == "follows"]
