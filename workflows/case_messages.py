"""A customer's message about a case already registered: a follow-up, a decision, a score."""

from __future__ import annotations

from dataclasses import replace

from workflows.aftercare import after_resolution, comment, recently_resolved
from workflows.aftercare_settings import CustomerDecision
from workflows.cases import CaseView
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, decision
from workflows.conversation import Conversation, Mode
from workflows.effects import (
    AttachMessage,
    ChangeStatus,
    Decision,
    MarkCase,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Reply,
)
from workflows.grading import follow_up_graded
from workflows.lifecycle import CaseStatus
from workflows.registration import linked
from workflows.responses import answer_response, explain_rejection

# Modes that wait for one more message about a case (why a response was rejected, a comment
# on the score); after ``resume_after`` without it, the customer's next message is read afresh.
AFTERCARE_MODES = frozenset({Mode.EXPLAINING, Mode.COMMENTING})


def about_case(
    case: CaseView,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """What the customer's message does to their case, by where the case stands."""
    if case.status is CaseStatus.RESPONSE_PROPOSED:
        return answer_response(case, text, message, context, settings)
    if recently_resolved((case,), context.now, settings.rules) is not None:
        return after_resolution(case, text, message, context, settings)
    return decision(
        Conversation(),
        *follow_up_graded(case, text, message.channel, settings.rules, context.now),
    )


def following(decision: Decision, context: CustomerContext) -> Decision:
    """A new complaint from a customer whose latest case is finished: linked to that case.

    (Within its reopening window a reply is about that case; after it, it is a new complaint
    that follows it, and staff see both ways.)
    """
    finished = [case for case in context.cases if case.status in _FINISHED_BEFORE]
    if not finished:
        return decision
    previous = max(finished, key=lambda case: case.opened_at)
    if decision.of_type(OpenCase):  # registered at once (email)
        [opened] = decision.of_type(OpenCase)
        return replace(
            decision, effects=(*decision.effects, *linked(opened.reference, previous.reference))
        )
    if decision.conversation is None or decision.conversation.mode is Mode.IDLE:
        return decision
    return replace(
        decision, conversation=replace(decision.conversation, follows=previous.reference)
    )


_FINISHED_BEFORE = frozenset({CaseStatus.RESOLVED, CaseStatus.CLOSED})


def latest_resolved(context: CustomerContext, settings: IntakeSettings) -> CaseView | None:
    """The case a customer with nothing open is most likely writing about (recently resolved)."""
    return recently_resolved(context.cases, context.now, settings.rules)


def continuing(
    conversation: Conversation,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision | None:
    """The one message an aftercare mode waits for; None when it no longer waits."""
    case = next((c for c in context.cases if c.reference == conversation.case_reference), None)
    last = conversation.last_at
    if case is None or last is None or context.now - last > settings.resume_after:
        return None
    if conversation.mode is Mode.EXPLAINING:
        return explain_rejection(case, text, message)
    return comment(case, text)


def confirm_withdrawal(
    conversation: Conversation,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """The customer answered "withdraw your complaint?"; yes withdraws it, as their decision."""
    reference = conversation.case_reference
    case = next((c for c in context.cases if c.reference == reference), None)
    kept = Reply("customer/withdraw_kept", {"reference": reference})
    if case is None or settings.vocab.is_no(text):
        return decision(Conversation(), kept)
    if not settings.vocab.is_yes(text):
        # Neither yes nor no: whatever they wrote is about the case, so staff get it.
        following = follow_up_graded(case, text, message.channel, settings.rules, context.now)
        others = [e for e in following if not isinstance(e, Reply)]
        return decision(Conversation(), *others, kept)
    facts = {"reference": case.reference}
    withdrawn = CustomerDecision.WITHDRAWN.value
    return decision(
        Conversation(),
        ChangeStatus(case.reference, CaseStatus.WITHDRAWN, note="withdrawn by the customer"),
        MarkCase(case.reference, {"customer_decision": withdrawn}),
        RecordEvent(case.reference, "customer_decision", {"decision": withdrawn}),
        Reply("customer/withdrawn", facts),
        NotifyStaff(case.queue, "staff/case_withdrawn", facts, case.reference),
    )


def own_case(context: CustomerContext, reference: str | None) -> CaseView | None:
    """The customer's own case with this reference (never anyone else's)."""
    return next((case for case in context.cases if case.reference == reference), None)


def automated(conversation: Conversation, context: CustomerContext) -> Decision:
    """A machine wrote (an auto-reply, a list): keep it on the case it answers, say nothing."""
    case = own_case(context, context.thread_reference)
    if case is None:
        return decision(conversation)
    return decision(
        conversation,
        AttachMessage(case.reference),
        RecordEvent(case.reference, "automated_message", {}),
    )
