"""Email whose sender is not proven to be who its From says (issue 11's policy).

- About a case of theirs (its thread, its reference, a case still open, an intake under way):
  the message is kept on the case, marked, for staff to read; nothing about the case changes
  (no withdrawal, no answers, no reopening) and nothing about it is shown back: the sender
  gets the answer a stranger gets (none at all where the From domain's DMARC policy says
  the message is not theirs: the answer would reach the person it names).
- From an address with no case at all, it is a new complaint: registered as usual and
  marked "sender not verified" for staff; but when the From domain's DMARC policy says reject
  or quarantine and the check failed, nothing is sent or registered automatically: the
  message waits in the inbox.
"""

from __future__ import annotations

from collections.abc import Callable

from workflows.case_messages import latest_resolved, own_case
from workflows.cases import CaseView, open_cases
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, decision
from workflows.conversation import Conversation, Mode
from workflows.effects import AttachMessage, Decision, OpenCase, RecordEvent, Reply
from workflows.references import ReferenceCheck, find_references
from workflows.sender_trust import SenderAuthentication

# The event on a case that keeps a message its sender could not be proven to have written.
UNVERIFIED_MESSAGE = "unverified_message"
# The event on a case opened by a message whose sender could not be proven.
SENDER_UNVERIFIED = "sender_unverified"


def from_unverified_sender(
    conversation: Conversation,
    message: CustomerMessage,
    sender: SenderAuthentication,
    context: CustomerContext,
    settings: IntakeSettings,
    as_new: Callable[[], Decision],
) -> Decision:
    """What an unproven sender's message may do; ``as_new`` decides it as a new complaint."""
    detail = {"note": f"sender not verified: {sender.summary()}", "sender": sender.to_dict()}
    if message.automated:
        # An auto-reply or a list: kept on the case it answers, marked unverified, unanswered.
        thread = own_case(context, context.thread_reference)
        if thread is None:
            return decision(conversation)
        marked = {**detail, "automated": True}
        return decision(
            conversation,
            AttachMessage(thread.reference),
            RecordEvent(thread.reference, UNVERIFIED_MESSAGE, marked),
        )
    concerned = _case_concerned(conversation, message, context, settings)
    # Where the domain says the message is not theirs, an answer would go to the person the
    # From names, who may never have written: say nothing.
    neutral = () if sender.domain_rejects else (Reply("customer/reference_unknown"),)
    if concerned is not None:
        return decision(
            conversation,
            AttachMessage(concerned.reference),
            RecordEvent(concerned.reference, UNVERIFIED_MESSAGE, detail),
            *neutral,
        )
    if conversation.mode is not Mode.IDLE:
        # An intake under way is changed only by its proven sender.
        return decision(conversation, *neutral)
    if sender.domain_rejects:
        # The domain asks for mail like this to be refused: no acknowledgement goes to
        # someone who may never have written; staff find it in `cases inbox`.
        return decision(conversation)
    decided = as_new()
    opened = [effect.reference for effect in decided.of_type(OpenCase)]
    marks = tuple(RecordEvent(reference, SENDER_UNVERIFIED, detail) for reference in opened)
    return Decision((*decided.effects, *marks), decided.conversation)


def _case_concerned(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> CaseView | None:
    """The sender's own case the message is about, by thread, reference or what is open."""
    said = f"{message.subject}\n{message.text}"
    quoted = [
        found.canonical
        for found in find_references(said, settings.reference_prefix)
        if found.check is ReferenceCheck.VALID
    ]
    for reference in (context.thread_reference, *quoted, conversation.case_reference):
        if (case := own_case(context, reference)) is not None:
            return case
    current = open_cases(context.cases)
    if current:
        return current[0]
    # Even a case long closed: a new complaint would answer this address's commands ("status"
    # lists its cases) to whoever wrote; staff read it on the latest case instead.
    return latest_resolved(context, settings) or next(iter(context.cases), None)
