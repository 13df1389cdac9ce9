"""After a case is resolved: the satisfaction question (8.3), closing, and reopening."""

from __future__ import annotations

from datetime import datetime

from workflows.cases import CaseView, kept_on_case, staff_shown
from workflows.classification import Rules
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, decision
from workflows.conversation import Conversation, Mode
from workflows.effects import (
    AttachMessage,
    CancelTimers,
    ChangeStatus,
    ChoiceSpec,
    Decision,
    Effect,
    MarkCase,
    NotifyStaff,
    RecordEvent,
    Reply,
    ScheduleTimer,
)
from workflows.lifecycle import CaseStatus
from workflows.timer_kinds import AUTO_CLOSE, SLA_BREACH, SLA_WARNING

SCORES = tuple(ChoiceSpec(str(n), f"score.s{n}") for n in range(1, 6))
_AFTER = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})


def on_resolved(case: CaseView, now: datetime, rules: Rules, *, ask: bool) -> list[Effect]:
    """What follows a resolution: the close timer, and (once) the satisfaction question."""
    effects: list[Effect] = [
        CancelTimers(case.reference, (AUTO_CLOSE,)),
        ScheduleTimer(case.reference, AUTO_CLOSE, now + rules.aftercare.close_after),
    ]
    if ask and rules.aftercare.ask_satisfaction and not case.satisfaction_asked:
        effects += [
            MarkCase(case.reference, {"satisfaction_asked_at": now}),
            RecordEvent(case.reference, "satisfaction_asked", {}),
            Reply("customer/satisfaction_question", {"reference": case.reference}, SCORES),
        ]
    return effects


def recently_resolved(cases: tuple[CaseView, ...], now: datetime, rules: Rules) -> CaseView | None:
    """The customer's latest case resolved or closed within the reopening window, if any."""
    window = rules.aftercare.reopen_within
    recent = [
        case
        for case in cases
        if case.status in _AFTER and case.resolved_at and now - case.resolved_at <= window
    ]
    return max(recent, key=lambda case: case.resolved_at or now, default=None)


def after_resolution(
    case: CaseView,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """The customer wrote about a case already resolved: a score, a reopening, or a note.

    Nothing new is started unless the customer says so: they are told how to reopen it or to
    complain about something else.
    """
    words = settings.vocab.decisions
    score = words.score(text) if case.satisfaction_asked and case.satisfaction is None else None
    seen = kept_on_case(case, message.channel)
    if score is not None:
        commenting = Conversation(
            mode=Mode.COMMENTING, case_reference=case.reference, last_at=context.now
        )
        return decision(
            commenting,
            *seen,
            MarkCase(case.reference, {"satisfaction": score}),
            RecordEvent(case.reference, "satisfaction", {"score": score}),
            Reply("customer/satisfaction_thanks", {"reference": case.reference, "score": score}),
        )
    if words.asks_to_reopen(text) or settings.vocab.is_no(text):
        return decision(
            Conversation(), *seen, *reopen(case, text, message.channel, context.now, settings.rules)
        )
    return decision(
        Conversation(),
        *seen,
        staff_shown(case, text, message.channel),
        Reply("customer/after_resolution", {"reference": case.reference}),
    )


def reopen(case: CaseView, text: str, channel: str, now: datetime, rules: Rules) -> list[Effect]:
    """Reopen a resolved case the customer is not satisfied with, with a new response target."""
    due_at = rules.deadline(now, rules.targets[case.severity].respond_within)
    warn_at = max(now, due_at - rules.targets[case.severity].warn_before)
    facts = {"reference": case.reference, "text": text[:500], "channel": channel, "due_at": due_at}
    return [
        ChangeStatus(case.reference, CaseStatus.REOPENED, note="the customer asked to reopen"),
        MarkCase(case.reference, {"due_at": due_at, "customer_decision": "rejected"}),
        RecordEvent(case.reference, "customer_decision", {"decision": "reopened", "text": text}),
        CancelTimers(case.reference, (AUTO_CLOSE, SLA_WARNING, SLA_BREACH)),
        ScheduleTimer(case.reference, SLA_WARNING, warn_at),
        ScheduleTimer(case.reference, SLA_BREACH, due_at),
        NotifyStaff(case.queue, "staff/case_reopened", facts, case.reference),
        Reply("customer/case_reopened", {"reference": case.reference, "due_at": due_at}),
    ]


def comment(case: CaseView, text: str) -> Decision:
    """The customer's comment after their score: kept with it, for staff and the review."""
    return decision(
        Conversation(),
        AttachMessage(case.reference),
        RecordEvent(case.reference, "satisfaction_comment", {"text": text}),
        Reply("customer/comment_thanks", {"reference": case.reference}),
    )
