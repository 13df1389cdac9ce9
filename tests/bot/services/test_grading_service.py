"""Triage and re-grading through the service: the case row, its timers, its queues, the audit."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.services.app import App
from bot.services.staff import StaffResult, handle_staff_action
from bot.storage.models import Case, CaseEvent, Outbox, Timer
from fakes import FakeClock
from tests.bot.conversation import register_complaint, say
from workflows.staff import StaffAction, StaffActionKind


async def grade(app: App, reference: str, reason: str, **grades: str) -> StaffResult:
    """Carol re-grades a case from the command line."""
    action = StaffAction(StaffActionKind.GRADE, reference, actor="carol", text=reason, **grades)
    return await handle_staff_action(app, action, "cli")


async def case_row(app: App, reference: str) -> Case:
    async with app.sessions() as session:
        return (await session.scalars(select(Case).where(Case.reference == reference))).one()


async def timers(app: App, case: Case) -> list[tuple[str, str, object]]:
    """The case's response-target (SLA) timers, oldest first."""
    async with app.sessions() as session:
        rows = await session.scalars(
            select(Timer)
            .where(Timer.case_id == case.id, Timer.kind.like("sla_%"))
            .order_by(Timer.id)
        )
        return [(row.kind, row.status, row.due_at) for row in rows]


async def events(app: App, case: Case, kind: str) -> list[CaseEvent]:
    async with app.sessions() as session:
        rows = await session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == kind)
        )
        return list(rows)


async def test_a_dangerous_complaint_is_critical_urgent_and_says_why(app: App) -> None:
    rows = await say(app, "The kettle base sparked when I switched it on and tripped the fuse")
    # The complaint opens with the hazard; every later answer is ordinary.
    assert rows
    reference = await register_complaint(app)
    case = await case_row(app, reference)
    assert (case.severity, case.queue) == ("critical", "complaints-urgent")
    assert case.due_at == case.opened_at + timedelta(hours=24)
    assert {
        "kind": "severity",
        "rule": "electrical hazard",
        "level": "critical",
        "words": "sparked",
    } in case.triage
    async with app.sessions() as session:
        notice = (
            await session.scalars(
                select(Outbox).where(Outbox.case_id == case.id, Outbox.audience == "staff")
            )
        ).first()
    assert notice is not None
    assert notice.address == "complaints-urgent"
    assert notice.text.startswith("[CRITICAL]")
    assert 'CRITICAL: electrical hazard ("sparked", "tripped the fuse")' in notice.text


async def test_a_follow_up_that_reveals_a_hazard_raises_the_case_and_moves_its_timers(
    app: App, clock: FakeClock
) -> None:
    reference = await register_complaint(app)
    before = await case_row(app, reference)
    assert before.severity == "normal"
    clock.advance(hours=30)
    rows = await say(app, "and now my son has burns from the charger that came in it")
    case = await case_row(app, reference)
    assert (case.severity, case.queue) == ("critical", "complaints-urgent")
    assert case.due_at == clock.now + timedelta(hours=24)
    assert await timers(app, case) == [
        ("sla_warning", "cancelled", before.due_at - timedelta(hours=48)),
        ("sla_breach", "cancelled", before.due_at),
        ("sla_warning", "pending", clock.now + timedelta(hours=18)),
        ("sla_breach", "pending", clock.now + timedelta(hours=24)),
    ]
    [regraded] = await events(app, case, "regraded")
    assert (regraded.actor, regraded.data["from_severity"], regraded.data["severity"]) == (
        "customer",
        "normal",
        "critical",
    )
    staff = {(row.address, row.template) for row in rows if row.audience == "staff"}
    assert ("complaints-urgent", "staff/case_regraded") in staff
    assert ("complaints-urgent", "staff/customer_message") in staff
    told = next(row.text for row in rows if row.audience == "customer")
    assert "We will now give you a full response by" in told
    assert "critical" not in told.lower()


async def test_staff_regrade_with_a_reason_is_recorded_and_rerouted(app: App) -> None:
    reference = await register_complaint(app)
    result = await grade(
        app, reference, "Customer is 91 and lives alone", severity="high", category="delivery"
    )
    assert result.ok, result.refusals
    case = await case_row(app, reference)
    assert (case.severity, case.queue) == ("high", "complaints")
    assert case.due_at == case.opened_at + timedelta(hours=72)
    [regraded] = await events(app, case, "regraded")
    assert (regraded.actor, regraded.channel, regraded.data["reason"]) == (
        "carol",
        "cli",
        "Customer is 91 and lives alone",
    )
    sent = {row.template for row in await rows_of(app, result.outbox_ids)}
    assert sent == {"customer/target_changed", "staff/case_regraded"}


async def test_a_refused_regrade_changes_nothing(app: App) -> None:
    reference = await register_complaint(app)
    result = await grade(app, reference, "", severity="high")
    assert not result.ok
    assert '"grade" needs some text' in result.refusals[0]
    case = await case_row(app, reference)
    assert case.severity == "normal"
    assert await events(app, case, "regraded") == []


async def rows_of(app: App, ids: list[int]) -> list[Outbox]:
    async with app.sessions() as session:
        return list(await session.scalars(select(Outbox).where(Outbox.id.in_(ids))))


async def test_a_staff_grade_sticks_when_the_customer_writes_again(app: App) -> None:
    reference = await register_complaint(app)
    await say(app, "and the charger that came with it smoked")
    assert (await case_row(app, reference)).severity == "critical"
    result = await grade(
        app, reference, "it was steam from the kettle next to it", severity="normal"
    )
    assert result.ok, result.refusals
    rows = await say(app, "like I said the charger smoked, anyway where is my refund")
    case = await case_row(app, reference)
    assert (case.severity, case.queue) == ("normal", "complaints")
    staff = [reason for reason in case.triage if reason.get("kind") == "staff"]
    assert staff == [
        {
            "kind": "staff",
            "rule": "carol",
            "level": f"normal / {case.category}",
            "words": "it was steam from the kettle next to it",
        }
    ]
    notice = next(row for row in rows if row.template == "staff/customer_message")
    assert "This message mentions:" in notice.text
    assert "keeps the grade staff gave it" in notice.text
