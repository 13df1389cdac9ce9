"""SLA timers fire through the workflow when their time comes, once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.services.app import App
from bot.services.staff import handle_staff_action
from bot.services.timers import MAX_ATTEMPTS, fire_due_timers
from bot.storage.models import Case, CaseEvent, Outbox, Timer
from fakes import FakeClock
from tests.bot.conversation import register_complaint
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind


async def staff_templates(app: App) -> list[str]:
    async with app.sessions() as session:
        rows = (
            await session.scalars(
                select(Outbox).where(Outbox.audience == "staff").order_by(Outbox.id)
            )
        ).all()
        return [row.template for row in rows]


async def test_warning_then_breach_reach_staff_at_their_times(app: App, clock: FakeClock) -> None:
    await register_complaint(app)
    assert await fire_due_timers(app) == 0
    clock.advance(hours=240 - 48 + 1)  # normal severity: 240 h target, warned 48 h before
    # The warning, and the customer's progress update (five days without news).
    assert await fire_due_timers(app) == 2
    assert (await staff_templates(app))[-1] == "staff/sla_warning"
    assert await fire_due_timers(app) == 0, "a fired timer does not fire again"
    clock.advance(hours=48)
    assert await fire_due_timers(app) == 1  # the next update is five days after the last
    assert (await staff_templates(app))[-1] == "staff/sla_breach"
    async with app.sessions() as session:
        kinds = [e.kind for e in (await session.scalars(select(CaseEvent))).all()]
        assert [k for k in kinds if k.startswith("sla_")] == ["sla_warning", "sla_breach"]
        timers = (await session.scalars(select(Timer))).all()
        assert {t.status for t in timers if t.kind.startswith("sla_")} == {"fired"}


async def test_a_resolved_case_raises_no_alarm(app: App, clock: FakeClock) -> None:
    reference = await register_complaint(app)
    for status in (CaseStatus.INVESTIGATING, CaseStatus.RESOLVED):
        await handle_staff_action(
            app, StaffAction(StaffActionKind.STATUS, reference, "carol", status=status), "cli"
        )
    clock.advance(days=30)
    # The warning, the breach and the progress update find nothing to do; the quiet period's
    # timer closes the case.
    assert await fire_due_timers(app) == 4
    assert await staff_templates(app) == ["staff/new_case"]
    async with app.sessions() as session:
        assert (await session.scalars(select(Case.status))).one() == "closed"


async def test_a_timer_that_keeps_failing_ends_visibly_not_in_a_loop(
    app: App, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    await register_complaint(app)

    def broken(*_: object) -> None:
        raise RuntimeError("rules could not be read")

    monkeypatch.setattr("bot.services.timers.decide_timer", broken)
    clock.advance(days=11)  # both SLA timers and the progress update are due
    for _ in range(MAX_ATTEMPTS):
        assert await fire_due_timers(app) == 0
        clock.advance(minutes=6)  # past the lease: tried again
    async with app.sessions() as session:
        timers = (await session.scalars(select(Timer))).all()
        assert {(t.status, t.attempts) for t in timers} == {("failed", MAX_ATTEMPTS)}
        events = (
            await session.scalars(select(CaseEvent).where(CaseEvent.kind == "timer_failed"))
        ).all()
        assert len(events) == 3
        assert events[0].data["reason"] == "RuntimeError: rules could not be read"
    assert await fire_due_timers(app) == 0


async def test_a_customer_without_news_for_days_gets_a_progress_update(
    app: App, clock: FakeClock
) -> None:
    reference = await register_complaint(app)
    clock.advance(days=3)
    staff_reply = StaffAction(StaffActionKind.REPLY, reference, "carol", text="We are on it.")
    await handle_staff_action(app, staff_reply, "cli")
    clock.advance(days=2, minutes=1)
    await fire_due_timers(app)  # five days since registration, but only two since the reply
    clock.advance(days=3)
    await fire_due_timers(app)
    async with app.sessions() as session:
        sent = (
            await session.scalars(
                select(Outbox).where(Outbox.audience == "customer").order_by(Outbox.id)
            )
        ).all()
    assert [row.template for row in sent][-2:] == [
        "customer/staff_reply",
        "customer/progress_update",
    ]
    assert reference in sent[-1].text
    assert "being investigated" in sent[-1].text or "acknowledged" in sent[-1].text
