"""Staff actions on a case and what the customer hears of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.workflows.conftest import shipped_rules
from workflows.cases import CaseView
from workflows.effects import (
    Assign,
    CancelTimers,
    ChangeStatus,
    Decision,
    MarkCase,
    NotifyStaff,
    RecordEvent,
    Refuse,
    Reply,
    ScheduleTimer,
)
from workflows.lifecycle import CUSTOMER_ANNOUNCED, CaseStatus, allowed_targets, can_transition
from workflows.staff import MAX_STAFF_TEXT, StaffAction, StaffActionKind, decide_staff_action

S = CaseStatus
K = StaffActionKind
CUSTOMER_TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "en" / "customer"


def act(
    kind: StaffActionKind,
    reference: str,
    *,
    text: str | None = None,
    status: CaseStatus | None = None,
    assignee: str | None = None,
    await_customer: bool = False,
) -> StaffAction:
    """A staff action by one member of staff."""
    return StaffAction(
        kind=kind,
        reference=reference,
        actor="maria",
        text=text,
        status=status,
        assignee=assignee,
        await_customer=await_customer,
    )


def decide(case: CaseView, action: StaffAction, now: datetime) -> Decision:
    """The staff workflow with the shipped rules."""
    return decide_staff_action(case, action, now, shipped_rules())


def decision_templates(decision: Decision) -> list[str]:
    """The customer templates a decision sends."""
    return [reply.template for reply in decision.of_type(Reply)]


def test_a_reply_is_recorded_and_sent_to_the_customer(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.INVESTIGATING)
    decision = decide(case, act(K.REPLY, case.reference, text=" We are on it. "), now)
    assert decision.effects == (
        RecordEvent(case.reference, "staff_reply", {"text": "We are on it."}),
        Reply(
            "customer/staff_reply",
            {"reference": case.reference, "text": "We are on it.", "awaiting": False},
        ),
    )


def test_a_reply_that_waits_for_the_customer_moves_the_case_to_awaiting_customer(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.INVESTIGATING)
    action = act(K.REPLY, case.reference, text="Please send a photo", await_customer=True)
    decision = decide(case, action, now)
    # ... and stops the response clock while the customer has the next move (test_clock.py).
    kinds = [type(effect) for effect in decision.effects]
    assert kinds == [RecordEvent, Reply, ChangeStatus, MarkCase, CancelTimers]
    assert decision.of_type(Reply)[0].context["awaiting"] is True
    assert decision.of_type(ChangeStatus) == [ChangeStatus(case.reference, S.AWAITING_CUSTOMER)]


def test_waiting_for_the_customer_where_the_lifecycle_forbids_it_is_refused_and_nothing_sent(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.RESOLVED)
    action = act(K.REPLY, case.reference, text="Please send a photo", await_customer=True)
    decision = decide(case, action, now)
    [refusal] = decision.effects
    assert isinstance(refusal, Refuse)
    assert refusal.template == "staff/transition_not_allowed"
    assert not decision.of_type(Reply)
    assert not decision.of_type(RecordEvent)


@pytest.mark.parametrize("text", [None, "", "   \n "])
def test_an_empty_reply_is_refused(
    make_case: Callable[..., CaseView], now: datetime, text: str | None
) -> None:
    case = make_case()
    decision = decide(case, act(K.REPLY, case.reference, text=text), now)
    assert decision.effects == (Refuse("staff/text_required", {"action": "reply"}),)


def test_a_reply_longer_than_the_limit_is_refused(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case()
    action = act(K.REPLY, case.reference, text="x" * (MAX_STAFF_TEXT + 1))
    decision = decide(case, action, now)
    assert decision.effects == (Refuse("staff/text_too_long", {"limit": MAX_STAFF_TEXT}),)
    at_limit = act(K.REPLY, case.reference, text="x" * MAX_STAFF_TEXT)
    assert decision_templates(decide(case, at_limit, now)) == ["customer/staff_reply"]


def test_an_allowed_status_change_is_made_and_announced(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.INVESTIGATING)
    action = act(K.STATUS, case.reference, status=S.RESOLVED, text="Refund issued")
    decision = decide(case, action, now)
    assert decision.effects[:2] == (
        ChangeStatus(case.reference, S.RESOLVED, note="Refund issued"),
        Reply(
            "customer/status_resolved",
            {"reference": case.reference, "status": "resolved", "message": "Refund issued"},
        ),
    )
    # Then (ISO 10002 8.3) the customer is asked once how satisfied they are, and the case
    # closes after the quiet period unless they write.
    assert decision_templates(decision)[-1] == "customer/satisfaction_question"
    assert ScheduleTimer(case.reference, "auto_close", now + timedelta(days=14)) in decision.effects


def test_moving_to_assessment_tells_the_customer_with_the_staff_message(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.ACKNOWLEDGED)
    action = act(K.STATUS, case.reference, status=S.ASSESSED, text="We are reviewing it.")
    decision = decide(case, action, now)
    assert decision.of_type(ChangeStatus) == [
        ChangeStatus(case.reference, S.ASSESSED, note="We are reviewing it.")
    ]
    (reply,) = decision.of_type(Reply)
    assert reply.template == "customer/status_assessed"
    assert reply.context["message"] == "We are reviewing it."


def test_a_forbidden_status_change_is_refused_with_the_allowed_moves(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.CLOSED)
    action = act(K.STATUS, case.reference, status=S.INVESTIGATING)
    decision = decide(case, action, now)
    assert decision.effects == (
        Refuse(
            "staff/transition_not_allowed",
            {
                "reference": case.reference,
                "current": "closed",
                "target": "investigating",
                "allowed": ["reopened"],
            },
        ),
    )


@pytest.mark.parametrize("current", list(CaseStatus), ids=lambda s: s.value)
def test_every_status_change_follows_the_lifecycle(
    make_case: Callable[..., CaseView], now: datetime, current: CaseStatus
) -> None:
    case = make_case(status=current)
    for target in CaseStatus:
        if target is current:
            continue
        decision = decide(case, act(K.STATUS, case.reference, status=target), now)
        if can_transition(current, target):
            assert decision.of_type(ChangeStatus) == [ChangeStatus(case.reference, target)]
            announced = [f"customer/status_{target.value}"] if target in CUSTOMER_ANNOUNCED else []
            if target is S.RESOLVED:
                announced.append("customer/satisfaction_question")
            assert decision_templates(decision) == announced
            assert not decision.of_type(Refuse)
        else:
            [refusal] = decision.effects
            assert isinstance(refusal, Refuse)
            assert refusal.context["allowed"] == [s.value for s in allowed_targets(current)]


def test_the_same_status_again_is_refused(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.INVESTIGATING)
    decision = decide(case, act(K.STATUS, case.reference, status=S.INVESTIGATING), now)
    assert decision.effects == (
        Refuse("staff/status_unchanged", {"reference": case.reference, "status": "investigating"}),
    )


def test_a_status_action_without_a_status_is_refused_with_the_choices(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.RECEIVED)
    decision = decide(case, act(K.STATUS, case.reference), now)
    assert decision.effects == (
        Refuse("staff/status_required", {"allowed": ["acknowledged", "withdrawn"]}),
    )


def test_a_note_is_recorded_and_never_sent_to_the_customer(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.INVESTIGATING)
    action = act(K.NOTE, case.reference, text="Customer sounds upset, call back")
    decision = decide(case, action, now)
    assert decision.effects == (
        RecordEvent(case.reference, "note", {"text": "Customer sounds upset, call back"}),
    )
    assert not decision.of_type(Reply)


def test_an_empty_note_is_refused(make_case: Callable[..., CaseView], now: datetime) -> None:
    case = make_case()
    decision = decide(case, act(K.NOTE, case.reference, text=" "), now)
    assert decision.effects == (Refuse("staff/text_required", {"action": "note"}),)


def test_assign_gives_the_case_to_someone_and_an_empty_name_unassigns(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case()
    decision = decide(case, act(K.ASSIGN, case.reference, assignee=" joao "), now)
    assert decision.effects == (Assign(case.reference, "joao"),)
    assigned = make_case(assignee="joao")
    decision = decide(assigned, act(K.ASSIGN, assigned.reference, assignee=""), now)
    assert decision.effects == (Assign(assigned.reference, None),)
    assert not decision.of_type(Reply)


@pytest.mark.parametrize("status", sorted(CUSTOMER_ANNOUNCED), ids=str)
def test_every_announced_status_has_a_customer_template(status: CaseStatus) -> None:
    assert (CUSTOMER_TEMPLATES / f"status_{status.value}.text.j2").is_file()


def test_asking_the_customer_again_while_waiting_for_them_is_allowed(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=CaseStatus.AWAITING_CUSTOMER)
    decision = decide(
        case,
        StaffAction(
            StaffActionKind.REPLY,
            case.reference,
            "carol",
            text="And the colour?",
            await_customer=True,
        ),
        now,
    )
    assert not decision.of_type(Refuse)
    assert not decision.of_type(ChangeStatus), "already waiting: no status change"
    assert [r.template for r in decision.of_type(Reply)] == ["customer/staff_reply"]


def test_escalating_calls_the_escalation_destination_with_who_did_it(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.INVESTIGATING, queue="complaints")
    decision = decide(case, act(K.STATUS, case.reference, status=S.ESCALATED, text="Burns"), now)
    [notice] = decision.of_type(NotifyStaff)
    assert notice.escalate
    assert notice.queue == "complaints"
    assert notice.template == "staff/case_escalated"
    assert notice.context["actor"] == "maria"
    assert notice.context["note"] == "Burns"


def test_other_status_changes_do_not_call_the_escalation_destination(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.ACKNOWLEDGED)
    decision = decide(case, act(K.STATUS, case.reference, status=S.INVESTIGATING), now)
    assert decision.of_type(NotifyStaff) == []


def test_resolving_records_the_root_cause_staff_chose(
    make_case: Callable[..., CaseView], now: datetime
) -> None:
    case = make_case(status=S.INVESTIGATING)
    action = replace(
        act(K.STATUS, case.reference, status=S.RESOLVED, text="Refunded"),
        root_cause="delivery",
    )
    decision = decide(case, action, now)
    assert RecordEvent(case.reference, "root_cause", {"cause": "delivery"}) in decision.effects
    assert decision.of_type(ChangeStatus) == [
        ChangeStatus(case.reference, S.RESOLVED, note="Refunded")
    ]


@pytest.mark.parametrize(
    ("status", "cause"), [(S.RESOLVED, "gremlins"), (S.INVESTIGATING, "delivery")]
)
def test_a_root_cause_is_only_an_operator_cause_on_resolving(
    make_case: Callable[..., CaseView], now: datetime, status: CaseStatus, cause: str
) -> None:
    case = make_case(status=S.ACKNOWLEDGED)
    action = replace(act(K.STATUS, case.reference, status=status), root_cause=cause)
    [refusal] = decide(case, action, now).effects
    assert isinstance(refusal, Refuse)
    assert refusal.template == "staff/root_cause_unknown"
    assert "delivery" in refusal.context["causes"]  # type: ignore[operator]


@pytest.mark.parametrize("assignee", ["bob", None])
def test_assigning_to_whoever_has_it_already_changes_nothing(
    make_case: Callable[..., CaseView], now: datetime, assignee: str | None
) -> None:
    case = make_case(status=S.INVESTIGATING, assignee=assignee)
    [refusal] = decide(case, act(K.ASSIGN, case.reference, assignee=assignee or ""), now).effects
    assert isinstance(refusal, Refuse)
    assert refusal.template == "staff/assign_unchanged"
