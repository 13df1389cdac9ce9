"""Intakes the customer stopped answering: reminded once, then registered or set aside."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.app import App
from bot.services.effects import Actor, EffectApplier
from bot.services.intake import customer_context
from bot.storage.database import supports_skip_locked
from bot.storage.models import Case, ConversationState, Customer, Identity
from workflows.conversation import Conversation
from workflows.idle_intake import decide_idle_intake, next_look
from workflows.intake import CustomerMessage

log = logging.getLogger(__name__)
BATCH = 50
# Channels whose address reaches the customer later (the terminal's does not).
_NO_LASTING_ADDRESS = frozenset({"console"})


async def sweep_idle_intakes(app: App) -> int:
    """Remind, register or set aside every intake idle long enough; returns how many acted."""
    now = app.clock()
    acted = 0
    async with app.transaction() as session:
        query = (
            select(ConversationState)
            .where(ConversationState.wake_at <= now)
            .order_by(ConversationState.wake_at)
            .limit(BATCH)
        )
        if supports_skip_locked(app.engine):
            query = query.with_for_update(skip_locked=True)
        for row in (await session.scalars(query)).all():
            if await _one(app, session, row, now):
                acted += 1
    return acted


async def _one(app: App, session: AsyncSession, row: ConversationState, now: datetime) -> bool:
    conversation = Conversation.from_dict(row.state)
    identity = await session.get_one(Identity, row.identity_id)
    customer = await session.get_one(Customer, identity.customer_id)
    cases = (
        await session.scalars(
            select(Case).where(Case.customer_id == identity.customer_id).with_for_update()
        )
    ).all()
    context = customer_context(app, now, customer, cases)
    channel = CustomerMessage(
        text="",
        channel=identity.channel,
        display_name=identity.display_name,
        lasting_address=identity.channel not in _NO_LASTING_ADDRESS,
    )
    settings = app.locales.intake(identity.language)
    decision = decide_idle_intake(conversation, channel, context, settings)
    if decision is None:
        row.wake_at = next_look(conversation, settings)  # not yet (settings changed meanwhile)
        return False
    applier = EffectApplier(
        session=session,
        renderer=app.renderer,
        locales=app.locales,
        now=now,
        actor=Actor("system", "timer"),
        staff=app.staff,
        identity=identity,
        conversation_started=conversation.started_at,
        cases={case.reference: case for case in cases},
    )
    await applier.apply(decision)
    if decision.conversation is not None:
        row.state = decision.conversation.to_dict()
        row.updated_at = now
        row.wake_at = next_look(decision.conversation, settings)
    log.info(
        "idle intake of identity %s: %s", identity.id, [type(e).__name__ for e in decision.effects]
    )
    return True
