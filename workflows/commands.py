"""Commands a customer can give at any point: help, status, new, cancel, a person."""

from __future__ import annotations

from workflows.cases import CaseView, open_cases
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, decision
from workflows.conversation import Conversation, Mode
from workflows.effects import (
    ChoiceSpec,
    Decision,
    Effect,
    NotifyStaff,
    RecordEvent,
    Reply,
)
from workflows.questions import prefill, reask
from workflows.references import ReferenceCheck, parse_reference
from workflows.summary import next_question
from workflows.vocabulary import Command


def status_reply(
    argument: str, context: CustomerContext, settings: IntakeSettings, *, drafting: bool = False
) -> Reply:
    """The reply to "status" with or without a reference.

    ``drafting``: a complaint is being told and not yet registered ("where is my complaint?"
    halfway through the questions): the list says so rather than "you have no complaints".
    """
    if not argument:
        cases = [case_facts(case) for case in context.cases[:5]]
        return Reply("customer/status_list", {"cases": cases, "drafting": drafting})
    parsed = parse_reference(argument, settings.reference_prefix)
    if parsed.check is ReferenceCheck.NOT_A_REFERENCE and not any(c.isdigit() for c in argument):
        # "status of my complaint": words, not a reference; show their cases.
        return status_reply("", context, settings, drafting=drafting)
    if parsed.check is not ReferenceCheck.VALID:
        return Reply("customer/reference_mistyped")
    case = next((c for c in context.cases if c.reference == parsed.canonical), None)
    if case is None:
        return Reply("customer/reference_unknown")
    return Reply("customer/status", case_facts(case))


def case_facts(case: CaseView) -> dict[str, object]:
    """What a customer may be told about their own case."""
    return {
        "reference": case.reference,
        "status": case.status.value,
        "opened_at": case.opened_at,
        "due_at": case.due_at,
    }


def cancel(conversation: Conversation, context: CustomerContext) -> Decision:
    """Cancel a complaint in progress, or offer to withdraw an open one."""
    if conversation.mode in (Mode.COLLECTING, Mode.CONFIRMING):
        return decision(Conversation(), Reply("customer/cancelled"))
    current = open_cases(context.cases)
    if not current:
        return decision(Conversation(), Reply("customer/nothing_to_cancel"))
    asking = Conversation(mode=Mode.CONFIRMING_WITHDRAWAL, case_reference=current[0].reference)
    choices = (ChoiceSpec("yes", "answer.yes"), ChoiceSpec("no", "answer.no"))
    return decision(
        asking, Reply("customer/confirm_withdraw", {"reference": current[0].reference}, choices)
    )


def person(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """Ask staff to contact the customer."""
    current = open_cases(context.cases)
    case = current[0] if current else None
    queue = case.queue if case else settings.rules.default_queue
    reference = case.reference if case else None
    facts = {"reference": reference, "channel": message.channel, "name": message.display_name}
    effects: list[Effect] = [NotifyStaff(queue, "staff/person_requested", facts, reference)]
    if reference is not None:
        effects.append(RecordEvent(reference, "person_requested", {"channel": message.channel}))
    effects.append(Reply("customer/person_requested", {"reference": reference}))
    return decision(conversation, *effects, *reask(conversation, settings))


def run_command(
    conversation: Conversation,
    command: Command,
    argument: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """Carry out a command the customer gave (help, status, new, cancel, a person)."""
    collecting = conversation.mode is not Mode.IDLE
    if command is Command.HELP:
        help_reply = Reply("customer/help", {"collecting": collecting})
        return decision(conversation, help_reply, *reask(conversation, settings))
    if command is Command.STATUS:
        drafting = conversation.mode in (Mode.COLLECTING, Mode.CONFIRMING)
        status = status_reply(argument, context, settings, drafting=drafting)
        return decision(conversation, status, *reask(conversation, settings))
    if command is Command.NEW and message.batch:
        # Email is not a chat: the new complaint comes as a new email, registered on its own.
        return decision(conversation, Reply("customer/new_complaint_email"))
    if command is Command.NEW:
        fresh = prefill(
            Conversation(mode=Mode.COLLECTING, started_at=context.now), message, context
        )
        return next_question(fresh, message, context, settings, Reply("customer/new_complaint"))
    if command is Command.CANCEL:
        return cancel(conversation, context)
    return person(conversation, message, context, settings)
