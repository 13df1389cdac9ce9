"""Grading after registration: hazards revealed later, staff re-grading, and what follows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest

from tests.workflows.chat import Chat, answer_until_summary, opened
from workflows.cases import CaseView
from workflows.classification import Rules, classify
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings
from workflows.conversation import Conversation, Field
from workflows.effects import CancelTimers, NotifyStaff, Regrade, Reply, ScheduleTimer
from workflows.grading import follow_up_graded
from workflows.registration import complaint_text
from workflows.staff import StaffAction, StaffActionKind, decide_staff_action

HOUR = timedelta(hours=1)


@pytest.fixture
def normal_case(make_case: Callable[..., CaseView], now: datetime) -> CaseView:
    """A delivery complaint three days old, graded normal with its ten-day target."""
    opened_at = now - 72 * HOUR
    return make_case(
        opened_at=opened_at,
        category="delivery",
        severity="normal",
        queue="complaints",
        due_at=opened_at + 240 * HOUR,
    )


def test_a_follow_up_revealing_a_hazard_raises_reroutes_and_moves_the_target(
    normal_case: CaseView, rules: Rules, now: datetime
) -> None:
    effects = follow_up_graded(normal_case, "and now my son has burns", "sms", rules, now)
    regrade = next(e for e in effects if isinstance(e, Regrade))
    assert (regrade.severity, regrade.category, regrade.queue) == (
        "critical",
        "delivery",
        "complaints-urgent",
    )
    # The new target counts from when we learnt of it: 24 hours from now.
    assert regrade.due_at == now + 24 * HOUR
    assert [r.words for r in regrade.reasons] == ["burns"]
    assert [e.kinds for e in effects if isinstance(e, CancelTimers)] == [
        ("sla_warning", "sla_breach")
    ]
    timers = {e.kind: e.due_at for e in effects if isinstance(e, ScheduleTimer)}
    assert timers == {"sla_warning": now + 18 * HOUR, "sla_breach": now + 24 * HOUR}
    # Both queues hear of it; the customer's message itself goes to the new queue.
    notices = [(e.queue, e.template) for e in effects if isinstance(e, NotifyStaff)]
    assert ("complaints-urgent", "staff/case_regraded") in notices
    assert ("complaints", "staff/case_regraded") in notices
    assert ("complaints-urgent", "staff/customer_message") in notices
    # Becoming critical calls the on-call people once (with the new queue's notice).
    escalations = [
        (e.queue, e.template) for e in effects if isinstance(e, NotifyStaff) and e.escalate
    ]
    assert escalations == [("complaints-urgent", "staff/case_regraded")]
    # The customer hears the new date, not the internal grade.
    answer = next(e for e in effects if isinstance(e, Reply))
    assert answer.template == "customer/follow_up_received"
    assert answer.context["due_at"] == now + 24 * HOUR
    assert "severity" not in answer.context


def test_a_follow_up_with_nothing_serious_changes_no_grade(
    normal_case: CaseView, rules: Rules, now: datetime
) -> None:
    effects = follow_up_graded(normal_case, "any news on my parcel?", "sms", rules, now)
    assert not [e for e in effects if isinstance(e, Regrade | CancelTimers)]
    assert "due_at" not in next(e for e in effects if isinstance(e, Reply)).context


def test_severity_never_falls_on_its_own(
    make_case: Callable[..., CaseView], rules: Rules, now: datetime
) -> None:
    critical = make_case(severity="critical", queue="complaints-urgent", due_at=now + HOUR)
    effects = follow_up_graded(critical, "it was only a small thing really", "sms", rules, now)
    assert not [e for e in effects if isinstance(e, Regrade)]


def test_a_target_already_sooner_is_kept_when_the_grade_rises(
    make_case: Callable[..., CaseView], rules: Rules, now: datetime
) -> None:
    # A high case due in 2 hours: becoming critical must not push its target out to 24 hours.
    high = make_case(severity="high", queue="complaints", due_at=now + 2 * HOUR)
    effects = follow_up_graded(high, "the charger melted", "sms", rules, now)
    regrade = next(e for e in effects if isinstance(e, Regrade))
    assert regrade.due_at == now + 2 * HOUR
    assert not [e for e in effects if isinstance(e, CancelTimers)]


def grade(
    case: CaseView,
    now: datetime,
    rules: Rules,
    *,
    severity: str | None = None,
    category: str | None = None,
    reason: str | None = "spoke to the customer",
) -> list[object]:
    action = StaffAction(
        StaffActionKind.GRADE,
        case.reference,
        actor="maria",
        text=reason,
        severity=severity,
        category=category,
    )
    return list(decide_staff_action(case, action, now, rules).effects)


def test_staff_lower_a_grade_with_a_reason_and_the_customer_hears_only_the_date(
    make_case: Callable[..., CaseView], rules: Rules, now: datetime
) -> None:
    opened_at = now - 2 * HOUR
    critical = make_case(
        opened_at=opened_at,
        severity="critical",
        category="product",
        queue="complaints-urgent",
        due_at=opened_at + 24 * HOUR,
    )
    effects = grade(critical, now, rules, severity="normal", reason="the smoke was steam")
    regrade = next(e for e in effects if isinstance(e, Regrade))
    assert (regrade.severity, regrade.queue, regrade.note) == (
        "normal",
        "complaints",
        "the smoke was steam",
    )
    # Less serious: counted from when the complaint arrived, never sooner than promised.
    assert regrade.due_at == opened_at + 240 * HOUR
    told = [e for e in effects if isinstance(e, Reply)]
    assert [r.template for r in told] == ["customer/target_changed"]
    assert told[0].context == {"reference": critical.reference, "due_at": regrade.due_at}


def test_a_category_change_alone_reroutes_without_telling_the_customer(
    normal_case: CaseView, rules: Rules, now: datetime
) -> None:
    effects = grade(normal_case, now, rules, category="billing")
    regrade = next(e for e in effects if isinstance(e, Regrade))
    assert (regrade.category, regrade.queue, regrade.due_at) == (
        "billing",
        "billing",
        normal_case.due_at,
    )
    assert not [e for e in effects if isinstance(e, Reply | CancelTimers)]
    queues = {e.queue for e in effects if isinstance(e, NotifyStaff)}
    assert queues == {"billing", "complaints"}


@pytest.mark.parametrize(
    ("severity", "category", "reason", "template"),
    [
        ("urgent", None, "x", "staff/grade_unknown"),
        (None, "biling", "x", "staff/grade_unknown"),
        ("normal", "delivery", "x", "staff/grade_unchanged"),
        ("high", None, "  ", "staff/text_required"),
        ("high", None, None, "staff/text_required"),
    ],
)
def test_a_grade_that_cannot_be_made_is_refused_and_changes_nothing(
    normal_case: CaseView,
    rules: Rules,
    now: datetime,
    severity: str | None,
    category: str | None,
    reason: str | None,
    template: str,
) -> None:
    effects = grade(normal_case, now, rules, severity=severity, category=category, reason=reason)
    assert [type(e).__name__ for e in effects] == ["Refuse"]
    assert effects[0].template == template  # type: ignore[attr-defined]


def test_registration_reads_the_answers_to_every_question(chat: Chat) -> None:
    answer_until_summary(
        chat,
        chat.say("Hello"),
        {
            "customer/ask_description": "My parcel came two days late and the box was damaged",
            # The hazard comes out while answering another question.
            "customer/ask_product": "the fan heater, and it sparked when I plugged it in",
        },
    )
    case = opened(chat.say("yes"))
    assert (case.classification.severity, case.classification.queue) == (
        "critical",
        "complaints-urgent",
    )
    assert "electrical hazard" in {r.rule for r in case.classification.reasons}


def test_triage_reads_messages_that_answered_no_question(
    intake_settings: IntakeSettings, now: datetime
) -> None:
    conversation = Conversation().with_answer(Field.DESCRIPTION, "The parcel was late")
    context = CustomerContext(
        now=now,
        new_reference="CB-X",
        earlier_messages=("hang on, my daughter just got a shock off the plug",),
    )
    text = complaint_text(conversation, CustomerMessage("yes", "sms"), context)
    assert "shock off the plug" in text
    assert classify(text, intake_settings.rules).severity == "critical"


def test_a_name_is_never_read_as_a_hazard(chat: Chat) -> None:
    answer_until_summary(chat, chat.say("Hello"), {"customer/ask_name": "Robert Burns"})
    case = opened(chat.say("yes"))
    assert case.details.customer_name == "Robert Burns"
    assert case.classification.severity == "normal"


def test_a_short_name_is_taken_out_only_as_a_whole_word(now: datetime) -> None:
    conversation = Conversation().with_answer(
        Field.DESCRIPTION, "The kettle lid flew open and scalded my hand badly"
    )
    message = CustomerMessage("yes", "email", display_name="Al")
    text = complaint_text(conversation, message, CustomerContext(now=now, new_reference="R"))
    assert "scalded" in text


def test_once_staff_set_the_grade_a_later_message_only_informs_them(
    make_case: Callable[..., CaseView], rules: Rules, now: datetime
) -> None:
    graded = make_case(severity="normal", due_at=now + 200 * HOUR, graded_by_staff=True)
    effects = follow_up_graded(
        graded, "like I said the phone charger caught fire and burnt my hand", "sms", rules, now
    )
    assert not [e for e in effects if isinstance(e, Regrade | CancelTimers)]
    notice = next(e for e in effects if isinstance(e, NotifyStaff))
    assert notice.context["kept"] is True
    assert {m["rule"] for m in notice.context["mentions"]} >= {"fire, smoke or overheating"}


def test_lowering_an_overdue_case_sets_no_past_date_and_no_timers(
    make_case: Callable[..., CaseView], rules: Rules, now: datetime
) -> None:
    opened_at = now - 120 * HOUR
    overdue = make_case(
        opened_at=opened_at,
        severity="critical",
        category="product",
        queue="complaints-urgent",
        due_at=opened_at + 24 * HOUR,
    )
    effects = grade(overdue, now, rules, severity="high", reason="no fire risk after all")
    regrade = next(e for e in effects if isinstance(e, Regrade))
    assert regrade.due_at == opened_at + 72 * HOUR
    assert regrade.decided_by == "maria"
    assert [type(e).__name__ for e in effects if isinstance(e, CancelTimers | ScheduleTimer)] == [
        "CancelTimers"
    ]
    assert not [e for e in effects if isinstance(e, Reply)]
