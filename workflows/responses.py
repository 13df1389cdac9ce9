"""Staff respond with a decision and a remedy; the customer accepts or rejects it (7.8, 7.9)."""

from __future__ import annotations

from datetime import datetime

from workflows.aftercare import on_resolved
from workflows.aftercare_settings import CustomerDecision, Remedy
from workflows.cases import CaseView, kept_on_case, staff_shown
from workflows.classification import Rules
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, decision
from workflows.conversation import Conversation, Mode
from workflows.decision_words import Verdict
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
    refusal,
)
from workflows.lifecycle import CaseStatus, allowed_targets, can_transition
from workflows.timer_kinds import DECISION_LAPSE, DECISION_REMINDER

# The answers a response is sent with: 1 accepts, 2 rejects, on every channel.
DECISION_CHOICES = (ChoiceSpec("accept", "answer.accept"), ChoiceSpec("reject", "answer.reject"))
MAX_AMOUNT = 32
# A rejection longer than this says why already: the customer is not asked again.
_REASON_WORDS = 4


def respond(
    case: CaseView, text: str, remedy: str | None, amount: str | None, now: datetime, rules: Rules
) -> Decision:
    """Send the customer the response and the remedy offered, and ask them to accept it."""
    if not text:
        return refusal("staff/text_required", action="respond")
    if remedy not in {item.value for item in Remedy}:
        return refusal("staff/remedy_unknown", remedy=remedy, remedies=[r.value for r in Remedy])
    amount = (amount or "").strip() or None
    if amount is not None and len(amount) > MAX_AMOUNT:
        return refusal("staff/text_too_long", limit=MAX_AMOUNT)
    proposed = CaseStatus.RESPONSE_PROPOSED
    if case.status is not proposed and not can_transition(case.status, proposed):
        return refusal(
            "staff/transition_not_allowed",
            reference=case.reference,
            current=case.status.value,
            target=proposed.value,
            allowed=[status.value for status in allowed_targets(case.status)],
        )
    offer = {"text": text, "remedy": remedy, "amount": amount}
    effects: list[Effect] = [
        RecordEvent(case.reference, "response", offer),
        MarkCase(
            case.reference, {"remedy": remedy, "remedy_amount": amount, "customer_decision": None}
        ),
    ]
    if case.status is not proposed:
        effects.append(ChangeStatus(case.reference, proposed, note="response sent"))
    effects += [
        # A second response (a correction, or after a rejection) starts the wait afresh.
        CancelTimers(case.reference, (DECISION_REMINDER, DECISION_LAPSE)),
        ScheduleTimer(case.reference, DECISION_REMINDER, now + rules.aftercare.decision_reminder),
        Reply("customer/response", {"reference": case.reference, **offer}, DECISION_CHOICES),
    ]
    return Decision(tuple(effects))


def answer_response(
    case: CaseView,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """The customer wrote while a response awaits their decision: accept, reject, or ask."""
    vocab = settings.vocab
    verdict = vocab.decisions.verdict(text, vocab.says_yes(text), vocab.says_no(text))
    seen = kept_on_case(case, message.channel)
    if verdict is Verdict.ACCEPT:
        return decision(Conversation(), *seen, *accepted(case, context.now, settings.rules))
    if verdict is Verdict.REJECT:
        said = text if len(text.split()) > _REASON_WORDS else None
        effects = rejected(case, said, message.channel, settings.rules)
        explaining = Conversation(
            mode=Mode.EXPLAINING, case_reference=case.reference, last_at=context.now
        )
        return decision(Conversation() if said else explaining, *seen, *effects)
    # A question about the response, or something else: staff see it; the choice stays open.
    return decision(
        Conversation(),
        *seen,
        staff_shown(case, text, message.channel),
        Reply("customer/response_pending", {"reference": case.reference}, DECISION_CHOICES),
    )


def accepted(case: CaseView, now: datetime, rules: Rules) -> list[Effect]:
    """The customer accepted the response: resolved with their agreement recorded."""
    facts = {"reference": case.reference, "decision": CustomerDecision.ACCEPTED.value}
    return [
        MarkCase(case.reference, {"customer_decision": CustomerDecision.ACCEPTED.value}),
        RecordEvent(case.reference, "customer_decision", {"decision": "accepted"}),
        CancelTimers(case.reference, (DECISION_REMINDER, DECISION_LAPSE)),
        ChangeStatus(case.reference, CaseStatus.RESOLVED, note="the customer accepted"),
        NotifyStaff(case.queue, "staff/customer_decision", facts, case.reference),
        Reply("customer/response_accepted", {"reference": case.reference}),
        *on_resolved(case, now, rules, ask=True),
    ]


def rejected(case: CaseView, reason: str | None, channel: str, rules: Rules) -> list[Effect]:
    """The customer rejected the response: back to staff, told what happens and their recourse."""
    back_to = rules.aftercare.rejected_to
    facts = {
        "reference": case.reference,
        "decision": CustomerDecision.REJECTED.value,
        "reason": reason,
        "channel": channel,
        "status": back_to.value,
    }
    escalated = back_to is CaseStatus.ESCALATED
    return [
        MarkCase(case.reference, {"customer_decision": CustomerDecision.REJECTED.value}),
        RecordEvent(
            case.reference, "customer_decision", {"decision": "rejected", "reason": reason}
        ),
        CancelTimers(case.reference, (DECISION_REMINDER, DECISION_LAPSE)),
        ChangeStatus(case.reference, back_to, note="the customer rejected the response"),
        NotifyStaff(case.queue, "staff/customer_decision", facts, case.reference, escalated),
        Reply(
            "customer/response_rejected",
            {"reference": case.reference, "asked_why": reason is None, "status": back_to.value},
        ),
    ]


def explain_rejection(
    case: CaseView,
    text: str,
    message: CustomerMessage,
) -> Decision:
    """The customer says why they rejected the response: staff read it on the case."""
    return decision(
        Conversation(),
        AttachMessage(case.reference),
        RecordEvent(case.reference, "rejection_reason", {"text": text}),
        staff_shown(case, text, message.channel),
        Reply("customer/reason_received", {"reference": case.reference}),
    )
