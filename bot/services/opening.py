"""Opening a case: the row, the customer's details, and the messages that led to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Case, Customer, Identity, MessageIn
from workflows.effects import OpenCase
from workflows.lifecycle import CaseStatus


async def open_case(
    session: AsyncSession,
    identity: Identity,
    effect: OpenCase,
    now: datetime,
    since: datetime,
    message: MessageIn | None,
) -> Case:
    """Store a new case from ``identity``; everything they sent since ``since`` joins it."""
    details = effect.details
    case = Case(
        reference=effect.reference,
        customer_id=identity.customer_id,
        identity_id=identity.id,
        channel=identity.channel,
        status=CaseStatus.RECEIVED.value,
        category=effect.classification.category,
        severity=effect.classification.severity,
        queue=effect.classification.queue,
        triage=effect.classification.reasons_data(),
        description=details.description,
        product=details.product,
        occurred_on=details.occurred_on,
        occurred_text=details.occurred_text,
        outcome=details.outcome,
        outcome_detail=details.outcome_detail,
        customer_name=details.customer_name,
        contact=details.contact,
        opened_at=now,
        due_at=effect.due_at,
        updated_at=now,
    )
    session.add(case)
    await session.flush()
    customer = await session.get_one(Customer, identity.customer_id)
    customer.name = details.customer_name or customer.name
    customer.contact = details.contact or customer.contact
    if details.consent and customer.consented_at is None:
        customer.consented_at = now
    # Everything the customer sent during this conversation belongs to the case.
    await session.execute(
        update(MessageIn)
        .where(
            MessageIn.identity_id == identity.id,
            MessageIn.case_id.is_(None),
            MessageIn.stored_at >= since,
        )
        .values(case_id=case.id)
    )
    if message is not None:
        message.case_id = case.id
    return case
