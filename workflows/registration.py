"""Registering a complaint: the case, the acknowledgement, routing and SLA clocks."""

from __future__ import annotations

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
    Reply,
    ScheduleTimer,
)
from workflows.lifecycle import CaseStatus


def register(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """Register the complaint: open, acknowledge, route, start the clock."""
    reference = context.new_reference
    description = conversation.answer(Field.DESCRIPTION) or ""
    product = conversation.answer(Field.PRODUCT)
    when = conversation.answer(Field.WHEN)
    occurred_on = _iso_date(when)
    outcome = conversation.answer(Field.OUTCOME)
    outcome_choice, _, outcome_detail = (outcome or "").partition(": ")
    details = CaseDetails(
        description=description,
        product=product,
        occurred_on=occurred_on,
        occurred_text=when if when and occurred_on is None else None,
        outcome=outcome_choice or None,
        outcome_detail=outcome_detail or None,
        customer_name=conversation.answer(Field.NAME),
        contact=conversation.answer(Field.CONTACT),
        consent=conversation.answer(Field.CONSENT) == "yes",
    )
    found = classify(" ".join(filter(None, [description, product])), settings.rules)
    targets = settings.rules.targets[found.severity]
    due_at = context.now + targets.respond_within
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
        "matched": list(found.matched),
    }
    effects: list[Effect] = [
        OpenCase(reference, details, found, due_at),
        ChangeStatus(reference, CaseStatus.ACKNOWLEDGED),
        Reply("customer/acknowledgement", facts),
        NotifyStaff(found.queue, "staff/new_case", facts, reference),
        ScheduleTimer(reference, "sla_warning", due_at - targets.warn_before),
        ScheduleTimer(reference, "sla_breach", due_at),
    ]
    return Decision(tuple(effects), Conversation())


def _iso_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None
