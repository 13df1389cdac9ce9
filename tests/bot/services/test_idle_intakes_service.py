"""Intakes left unanswered are swept by the scheduler: reminded once, then registered."""

from __future__ import annotations

from sqlalchemy import select

from bot.services.app import App
from bot.services.idle_intakes import sweep_idle_intakes
from bot.storage.models import Case, CaseEvent, ConversationState, Outbox
from fakes import FakeClock
from tests.bot.conversation import say


async def customer_templates(app: App) -> list[str]:
    async with app.sessions() as session:
        rows = await session.scalars(
            select(Outbox.template).where(Outbox.audience == "customer").order_by(Outbox.id)
        )
        return list(rows)


async def test_a_text_customer_who_goes_quiet_is_reminded_then_their_complaint_registered(
    app: App, clock: FakeClock
) -> None:
    sms = {"channel": "sms", "lasting_address": True}
    await say(app, "The kettle I bought sparked and burnt my hand", "+447700900123", **sms)
    assert await sweep_idle_intakes(app) == 0
    clock.advance(hours=24, minutes=1)
    assert await sweep_idle_intakes(app) == 1
    assert (await customer_templates(app))[-2:] == [
        "customer/intake_reminder",
        "customer/ask_product",
    ]
    assert await sweep_idle_intakes(app) == 0, "reminded once"
    clock.advance(hours=48)
    assert await sweep_idle_intakes(app) == 1
    assert (await customer_templates(app))[-1] == "customer/registered_incomplete"
    async with app.sessions() as session:
        case = (await session.scalars(select(Case))).one()
        assert case.severity == "critical", "triage read what they wrote"
        kinds = [e.kind for e in (await session.scalars(select(CaseEvent))).all()]
        assert "registered_incomplete" in kinds
        row = (await session.scalars(select(ConversationState))).one()
        assert row.wake_at is None
    assert await sweep_idle_intakes(app) == 0
