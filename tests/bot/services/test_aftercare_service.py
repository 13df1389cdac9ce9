"""A response, the customer's decision and score, and closing, through the service and storage."""

from __future__ import annotations

from sqlalchemy import select

from bot.services.app import App
from bot.services.queries import case_file
from bot.services.staff import handle_staff_action
from bot.services.timers import fire_due_timers
from bot.storage.models import Case, CaseEvent, Outbox
from fakes import FakeClock
from tests.bot.conversation import customer_text, register_complaint, say
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind


async def respond(app: App, reference: str, text: str, remedy: str, amount: str | None) -> None:
    action = StaffAction(
        StaffActionKind.RESPOND, reference, "carol", text=text, remedy=remedy, amount=amount
    )
    result = await handle_staff_action(app, action, "cli")
    assert result.ok, result.refusals


async def stored(app: App, reference: str) -> Case:
    async with app.sessions() as session:
        return (await session.scalars(select(Case).where(Case.reference == reference))).one()


async def test_reject_then_accept_then_score_then_closed(app: App, clock: FakeClock) -> None:
    reference = await register_complaint(app)
    await respond(app, reference, "The courier lost it; we refund the order.", "refund", "£20")
    async with app.sessions() as session:
        sent = (await session.scalars(select(Outbox).order_by(Outbox.id.desc()))).first()
    assert sent is not None
    assert sent.template == "customer/response"
    assert "£20" in sent.text
    assert sent.choices == [["accept", "Accept"], ["reject", "Reject"]]

    rows = await say(app, "That's not enough, I took a day off work to wait in. Not satisfied.")
    assert "ombudsman" in customer_text(rows)
    assert (
        next(row.template for row in rows if row.audience == "staff") == "staff/customer_decision"
    )
    case = await stored(app, reference)
    assert (case.status, case.customer_decision) == ("investigating", "rejected")

    await respond(app, reference, "We add £30 for your lost time.", "other", "£20 + £30")
    rows = await say(app, "1")
    assert "is now resolved" in customer_text(rows)
    assert "how satisfied" in customer_text(rows)
    rows = await say(app, "4")
    assert "4 out of 5" in customer_text(rows)
    await say(app, "Took a while but you sorted it")

    case = await stored(app, reference)
    assert (case.status, case.customer_decision, case.satisfaction) == ("resolved", "accepted", 4)
    assert (case.remedy, case.remedy_amount) == ("other", "£20 + £30")
    clock.advance(days=15)
    await fire_due_timers(app)
    assert (await stored(app, reference)).status == CaseStatus.CLOSED.value

    shown = app.renderer.render("cli/case_show", {"file": await case_file(app, reference)}, "cli")
    for line in ("Offered:      other (£20 + £30)", "accepted by the customer", "4 of 5"):
        assert line in shown.text
    assert "satisfaction_comment: Took a while but you sorted it" in shown.text


async def test_no_answer_is_reminded_once_then_resolved_as_no_reply(
    app: App, clock: FakeClock
) -> None:
    reference = await register_complaint(app)
    await respond(
        app, reference, "We checked: it was delivered to your neighbour.", "explanation", None
    )
    clock.advance(days=5, minutes=1)
    await fire_due_timers(app)
    case = await stored(app, reference)
    assert case.status == "response_proposed"
    clock.advance(days=5, minutes=1)
    await fire_due_timers(app)
    case = await stored(app, reference)
    assert (case.status, case.customer_decision) == ("resolved", "no_reply")
    async with app.sessions() as session:
        sent = (
            await session.scalars(
                select(Outbox.template).where(Outbox.audience == "customer").order_by(Outbox.id)
            )
        ).all()
    assert sent[-2:] == ["customer/response_reminder", "customer/response_lapsed"]


async def test_a_customer_not_satisfied_after_resolution_reopens_rather_than_starts_anew(
    app: App, clock: FakeClock
) -> None:
    reference = await register_complaint(app)
    result = await handle_staff_action(
        app,
        StaffAction(StaffActionKind.STATUS, reference, "carol", status=CaseStatus.RESOLVED),
        "cli",
    )
    assert result.ok
    clock.advance(days=2)
    rows = await say(app, "That's not enough, I lost a day's pay. I am not satisfied.")
    assert "reopened" in customer_text(rows)
    assert "Which product" not in customer_text(rows)
    case = await stored(app, reference)
    assert case.status == "reopened"
    assert case.due_at is not None
    assert case.due_at > clock()
    async with app.sessions() as session:
        assert len((await session.scalars(select(Case))).all()) == 1


async def test_a_complaint_after_the_reopening_window_is_a_new_case_linked_to_the_old(
    app: App, clock: FakeClock
) -> None:
    first = await register_complaint(app)
    resolve = StaffAction(StaffActionKind.STATUS, first, "carol", status=CaseStatus.RESOLVED)
    assert (await handle_staff_action(app, resolve, "cli")).ok
    clock.advance(days=40)
    second = await register_complaint(app)
    assert second != first
    async with app.sessions() as session:
        events = (await session.scalars(select(CaseEvent).order_by(CaseEvent.id))).all()
    links = [(e.kind, e.data) for e in events if e.kind in ("follows", "followed_by")]
    assert links == [
        ("follows", {"reference": first}),
        ("followed_by", {"reference": second}),
    ]
