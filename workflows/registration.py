"""Registering a complaint: the case, the acknowledgement, routing and SLA clocks."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from workflows.classification import classify
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings
from workflows.conversation import Conversation, Field
from workflows.effects import (
    CaseDetails,
    ChangeStatus,
    Decision,
    Effect,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Reply,
    ScheduleTimer,
)
from workflows.lexicon import CRITICAL
from workflows.lifecycle import CaseStatus
from workflows.timer_kinds import PROGRESS_UPDATE


def register(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
    questions: Sequence[Mapping[str, object]] = (),
) -> Decision:
    """Register the complaint: open, acknowledge, route, start the clock.

    ``questions`` are asked in the acknowledgement itself (email: everything still missing).
    """
    reference = context.new_reference
    details = details_from(conversation)
    description, product = details.description, details.product
    found = classify(
        complaint_text(conversation, message, context, wishes=False),
        settings.rules,
        wishes=complaint_text(conversation, message, context, facts=False),
    )
    targets = settings.rules.targets[found.severity]
    due_at = settings.rules.deadline(context.now, targets.respond_within)
    facts = {
        "reference": reference,
        "due_at": due_at,
        "category": found.category,
        "severity": found.severity,
        "channel": message.channel,
        "customer_name": details.customer_name,
        "description": description,
        "product": product,
        "outcome": details.outcome,
        "outcome_detail": details.outcome_detail,
        "reasons": found.reasons_data(),
        "questions": list(questions),
    }
    effects: list[Effect] = [
        OpenCase(reference, details, found, due_at),
        ChangeStatus(reference, CaseStatus.ACKNOWLEDGED),
        Reply("customer/acknowledgement", facts),
        NotifyStaff(
            found.queue,
            "staff/new_case",
            facts,
            reference,
            escalate=found.severity == CRITICAL,
        ),
        ScheduleTimer(reference, "sla_warning", due_at - targets.warn_before),
        ScheduleTimer(reference, "sla_breach", due_at),
        ScheduleTimer(reference, PROGRESS_UPDATE, context.now + targets.update_every),
        *linked(reference, conversation.follows),
    ]
    return Decision(tuple(effects), Conversation())


def linked(reference: str, follows: str | None) -> list[Effect]:
    """The two events that link a new complaint to the earlier case it follows, if any."""
    if follows is None:
        return []
    return [
        RecordEvent(reference, "follows", {"reference": follows}),
        RecordEvent(follows, "followed_by", {"reference": reference}),
    ]


def complaint_text(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    *,
    facts: bool = True,
    wishes: bool = True,
) -> str:
    """Everything the customer said about the complaint in this intake, for triage.

    A hazard mentioned while answering any question counts; the customer's name and contact
    details do not (a Mr Burns has not been burnt). ``facts``: what they told, every message
    and answer but the one to "what would you like us to do"; ``wishes``: that answer.
    """
    told = [message.subject, *context.earlier_messages, message.text] if facts else []
    if not wishes:
        # The message that answered "what would you like us to do" is a wish, not a fact: as
        # kept ("refund: I want my money back"), as chosen, or in the customer's words.
        wish = conversation.answer(Field.OUTCOME) or ""
        said = {text.strip().casefold() for text in (wish, *wish.partition(": ")[::2])} - {""}
        told = [part for part in told if (part or "").strip().casefold() not in said]
    asked = [q for q in _TRIAGED if (wishes if q is Field.OUTCOME else facts)]
    parts = [*told, *(conversation.answer(question) for question in asked)]
    personal = [
        value
        for value in (
            conversation.answer(Field.NAME),
            conversation.answer(Field.CONTACT),
            context.known_name,
            message.display_name,
        )
        if value and value.strip()
    ]
    kept: dict[str, None] = {}
    for part in filter(None, parts):
        for value in personal:
            part = _without(part, value)
        if part.strip():
            kept[part.strip()] = None
    return "\n".join(kept)


def _without(text: str, value: str) -> str:
    """``text`` without the whole words of ``value`` (a name "Al" leaves "scalded" alone)."""
    value = value.strip()
    if len(value) < _SHORTEST_NAME:
        return text
    return re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text, flags=re.IGNORECASE)


def details_from(conversation: Conversation) -> CaseDetails:
    """The case's details from the answers so far."""
    when = conversation.answer(Field.WHEN)
    occurred_on = _iso_date(when)
    choice, _, detail = (conversation.answer(Field.OUTCOME) or "").partition(": ")
    return CaseDetails(
        description=conversation.answer(Field.DESCRIPTION) or "",
        product=conversation.answer(Field.PRODUCT),
        occurred_on=occurred_on,
        occurred_text=when if when and occurred_on is None else None,
        outcome=choice or None,
        outcome_detail=detail or None,
        customer_name=conversation.answer(Field.NAME),
        contact=conversation.answer(Field.CONTACT),
        consent=conversation.answer(Field.CONSENT) == "yes",
    )


# A one-letter "name" is an initial, not something to take out of the complaint's words.
_SHORTEST_NAME = 2
# The answers that describe the complaint itself (triage reads these, not name or contact).
_TRIAGED = (Field.DESCRIPTION, Field.PRODUCT, Field.WHEN, Field.OUTCOME)
# The CaseDetails attributes each question fills.
_COLUMNS = {
    Field.DESCRIPTION: ("description",),
    Field.PRODUCT: ("product",),
    Field.WHEN: ("occurred_on", "occurred_text"),
    Field.OUTCOME: ("outcome", "outcome_detail"),
    Field.NAME: ("customer_name",),
    Field.CONTACT: ("contact",),
    Field.CONSENT: ("consent",),
}


def case_fields(conversation: Conversation, fields: Sequence[Field]) -> dict[str, object]:
    """The case columns the answers to ``fields`` fill (CaseDetails attribute names)."""
    details = details_from(conversation)
    return {name: getattr(details, name) for question in fields for name in _COLUMNS[question]}


def _iso_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
