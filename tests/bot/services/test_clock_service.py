"""The response clock stops while a case waits for the customer, stored and shown (issue 9)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services.app import App
from bot.services.queries import case_file
from bot.services.staff import handle_staff_action
from bot.services.timers import fire_due_timers
from bot.storage.models import Case, Outbox, Timer
from fakes import FakeClock
from tests.bot.conversation import register_complaint, say
from workflows.staff import StaffAction, StaffActionKind


async def stored(app: App, reference: str) -> Case:
    async with app.sessions() as session:
        return (await session.scalars(select(Case).where(Case.reference == reference))).one()


async def test_a_question_to_the_customer_stops_the_clock_and_their_answer_moves_the_target(
    app: App, clock: FakeClock
) -> None:
    reference = await register_complaint(app)
    due = (await stored(app, reference)).due_at
    assert due is not None
    ask = StaffAction(
        StaffActionKind.REPLY, reference, "carol", text="A photo, please?", await_customer=True
    )
    assert (await handle_staff_action(app, ask, "cli")).ok
    case = await stored(app, reference)
    assert case.paused_at == clock()

    # Ten days later (past the original target) no alarm reaches staff: the clock is stopped.
    clock.advance(days=10)
    await fire_due_timers(app)
    async with app.sessions() as session:
        staff = (
            await session.scalars(select(Outbox.template).where(Outbox.audience == "staff"))
        ).all()
    assert "staff/sla_breach" not in staff

    await say(app, "Here is the photo of the broken seal")
    case = await stored(app, reference)
    assert (case.status, case.paused_at) == ("investigating", None)
    assert case.paused_seconds == 10 * 86400
    assert case.due_at == due + timedelta(days=10)
    async with app.sessions() as session:
        pending = (
            await session.scalars(
                select(Timer.kind).where(
                    Timer.case_id == case.id, Timer.status == "pending", Timer.kind.like("sla_%")
                )
            )
        ).all()
    assert sorted(pending) == ["sla_breach", "sla_warning"]
    shown = app.renderer.render("cli/case_show", {"file": await case_file(app, reference)}, "cli")
    assert "moved on by 240.0 h waited for the customer" in shown.text
