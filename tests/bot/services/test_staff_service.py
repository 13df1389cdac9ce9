"""Staff actions through the service: the customer hears, the audit trail records."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services.app import App
from bot.services.lookup import CaseNotFound
from bot.services.staff import handle_staff_action
from bot.storage.models import Case, CaseEvent, Outbox
from tests.bot.conversation import register_complaint, say
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind


def action(reference: str, kind: StaffActionKind, **fields: object) -> StaffAction:
    return StaffAction(kind=kind, reference=reference, actor="carol", **fields)  # type: ignore[arg-type]


async def case_and_events(app: App, reference: str) -> tuple[Case, list[CaseEvent]]:
    async with app.sessions() as session:
        case = (await session.scalars(select(Case).where(Case.reference == reference))).one()
        events = (
            await session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            )
        ).all()
        return case, list(events)


async def test_a_status_change_reaches_the_customer_on_their_channel(app: App) -> None:
    reference = await register_complaint(app)
    result = await handle_staff_action(
        app,
        action(
            reference,
            StaffActionKind.STATUS,
            status=CaseStatus.INVESTIGATING,
            text="We asked the courier.",
        ),
        "cli",
    )
    assert result.ok
    async with app.sessions() as session:
        row = await session.get_one(Outbox, result.outbox_ids[0])
    assert (row.channel, row.address, row.audience) == ("console", "alice", "customer")
    assert "investigating your complaint" in row.text
    assert "We asked the courier." in row.text
    case, events = await case_and_events(app, reference)
    assert case.status == "investigating"
    assert (events[-1].actor, events[-1].channel, events[-1].from_status, events[-1].to_status) == (
        "carol",
        "cli",
        "acknowledged",
        "investigating",
    )


async def test_a_transition_the_lifecycle_forbids_changes_nothing(app: App) -> None:
    reference = await register_complaint(app)
    result = await handle_staff_action(
        app, action(reference, StaffActionKind.STATUS, status=CaseStatus.CLOSED), "cli"
    )
    assert not result.ok
    assert "cannot go from acknowledged to closed" in result.refusals[0]
    case, events = await case_and_events(app, reference)
    assert case.status == "acknowledged"
    assert len(events) == 2


async def test_an_internal_note_is_never_sent_to_the_customer(app: App) -> None:
    reference = await register_complaint(app)
    result = await handle_staff_action(
        app, action(reference, StaffActionKind.NOTE, text="Customer sounds upset"), "cli"
    )
    assert result.ok
    assert result.outbox_ids == []
    _, events = await case_and_events(app, reference)
    assert events[-1].kind == "note"
    assert events[-1].data == {"text": "Customer sounds upset"}


async def test_assignment_is_recorded(app: App) -> None:
    reference = await register_complaint(app)
    await handle_staff_action(app, action(reference, StaffActionKind.ASSIGN, assignee="bob"), "cli")
    case, events = await case_and_events(app, reference)
    assert case.assignee == "bob"
    assert events[-1].data == {"from": None, "to": "bob"}


async def test_a_reply_waiting_for_the_customer_resumes_when_they_answer(app: App) -> None:
    reference = await register_complaint(app)
    await handle_staff_action(
        app, action(reference, StaffActionKind.STATUS, status=CaseStatus.INVESTIGATING), "cli"
    )
    result = await handle_staff_action(
        app,
        action(reference, StaffActionKind.REPLY, text="Which colour was it?", await_customer=True),
        "cli",
    )
    assert result.ok
    case, _ = await case_and_events(app, reference)
    assert case.status == "awaiting_customer"
    await say(app, "It was the blue one")
    case, events = await case_and_events(app, reference)
    assert case.status == "investigating"
    assert events[-1].data == {"note": "the customer replied"}


async def test_the_same_staff_event_twice_acts_once(app: App) -> None:
    reference = await register_complaint(app)
    reply = action(reference, StaffActionKind.REPLY, text="Thanks for waiting")
    first = await handle_staff_action(app, reply, "slack", event_id="evt-1")
    second = await handle_staff_action(app, reply, "slack", event_id="evt-1")
    assert first.ok
    assert second.duplicate
    async with app.sessions() as session:
        replies = (
            await session.scalars(select(Outbox).where(Outbox.template == "customer/staff_reply"))
        ).all()
    assert len(replies) == 1


async def test_an_unknown_or_mistyped_reference_is_reported(app: App) -> None:
    reference = await register_complaint(app)
    with pytest.raises(CaseNotFound, match="CB-"):
        await handle_staff_action(
            app,
            action(
                reference[:-1] + "3" if not reference.endswith("3") else reference[:-1] + "4",
                StaffActionKind.NOTE,
                text="x",
            ),
            "cli",
        )


async def test_a_status_change_made_stale_by_another_is_not_applied(app: App) -> None:
    from bot.services.effects import Actor, EffectApplier
    from workflows.effects import ChangeStatus, Decision

    reference = await register_complaint(app)
    await handle_staff_action(
        app, action(reference, StaffActionKind.STATUS, status=CaseStatus.RESOLVED), "cli"
    )
    # A decision taken while the case was still acknowledged arrives after it was resolved.
    async with app.transaction() as session:
        applier = EffectApplier(
            session=session,
            renderer=app.renderer,
            now=app.clock(),
            actor=Actor("customer", "console"),
            staff=app.staff,
            locales=app.locales,
        )
        await applier.apply(Decision((ChangeStatus(reference, CaseStatus.WITHDRAWN),)))
    case, events = await case_and_events(app, reference)
    assert case.status == "resolved"
    assert events[-1].kind == "status_change_skipped"


async def test_an_extension_moves_the_stored_target_and_tells_the_customer_why(app: App) -> None:
    reference = await register_complaint(app)
    case, _ = await case_and_events(app, reference)
    before = case.due_at
    assert before is not None
    result = await handle_staff_action(
        app,
        action(
            reference,
            StaffActionKind.EXTEND,
            text="The lab needs a week to test the charger.",
            extend_by=timedelta(days=7),
        ),
        "cli",
    )
    assert result.ok
    case, events = await case_and_events(app, reference)
    assert case.due_at == before + timedelta(days=7)
    assert events[-1].kind == "target_extended"
    async with app.sessions() as session:
        row = await session.get_one(Outbox, result.outbox_ids[0])
    assert "The lab needs a week to test the charger." in row.text
