"""A person's data rights: all of it exported; erased everywhere, with the facts kept."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.services import audit
from bot.services.app import App
from bot.services.erasure import erase_expired, erase_person
from bot.services.personal_data import ERASED, PersonNotFound, export_person
from bot.storage.audit_chain import ERASURE_EVENT
from bot.storage.models import AttachmentRow, Case, CaseEvent, Customer, Identity, MessageIn, Outbox
from channels.base import Attachment
from fakes import FakeClock
from tests.bot.conversation import register_complaint, say, staff_action
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffActionKind

PHOTO = Attachment("kettle.jpg", "image/jpeg", 4, content=b"\xff\xd8\xff\xe0")


async def complaint_with_a_photo(app: App, address: str = "alice") -> str:
    """A registered complaint, a photo sent after it, and a staff reply waiting to go."""
    reference = await register_complaint(app, address)
    await say(app, "Here is a photo of the kettle", address, attachments=(PHOTO,))
    await staff_action(
        app, reference, StaffActionKind.REPLY, text=f"Thanks {address}, we will call you"
    )
    return reference


async def close(app: App, reference: str) -> None:
    await staff_action(app, reference, StaffActionKind.STATUS, status=CaseStatus.RESOLVED)
    await staff_action(app, reference, StaffActionKind.STATUS, status=CaseStatus.CLOSED)


async def test_an_export_holds_everything_about_the_person_and_nothing_of_others(
    app: App,
) -> None:
    reference = await complaint_with_a_photo(app)
    await complaint_with_a_photo(app, "bob")
    held, files = await export_person(app, "alice")
    assert [identity["address"] for identity in held["identities"]] == ["alice"]
    [case] = held["cases"]
    assert case["reference"] == reference
    assert "parcel never arrived" in case["description"]
    assert case["history"][0]["to_status"] == "received"
    assert case["history"][-1]["data"]["text"] == "Thanks alice, we will call you"
    texts = [message["text"] for message in held["messages_from_them"]]
    assert "Here is a photo of the kettle" in texts
    assert all("bob" not in text for text in texts)
    [photo] = [a for m in held["messages_from_them"] for a in m["attachments"]]
    assert files[photo["file"].removeprefix("attachments/")] == PHOTO.content
    assert any("Thanks alice" in message["text"] for message in held["messages_to_them"])
    assert not any("Thanks bob" in message["text"] for message in held["messages_to_them"])


async def test_an_address_nobody_wrote_from_is_said_so(app: App) -> None:
    with pytest.raises(PersonNotFound):
        await export_person(app, "nobody@example.com")
    with pytest.raises(PersonNotFound):
        await erase_person(app, "nobody@example.com", "carol", "asked")


async def test_erasing_removes_what_they_wrote_and_keeps_the_facts(app: App) -> None:
    reference = await complaint_with_a_photo(app)
    other = await complaint_with_a_photo(app, "bob")
    erased = await erase_person(app, "alice", "dpo", "Subject asked on 1 Dec")
    assert (erased.identities, erased.cases, erased.attachments) == (1, 1, 1)
    async with app.sessions() as session:
        case = (await session.scalars(select(Case).where(Case.reference == reference))).one()
        assert (case.description, case.customer_name, case.contact, case.product) == (
            ERASED,
            None,
            None,
            None,
        )
        assert {reason.get("words", ERASED) for reason in case.triage} == {ERASED}
        # What the reports count stays.
        assert (case.category, case.channel, case.outcome) == ("delivery", "console", "refund")
        assert case.severity in {"normal", "high", "critical"}
        assert case.opened_at is not None
        messages = (
            await session.scalars(select(MessageIn).where(MessageIn.case_id == case.id))
        ).all()
        assert {(m.text, m.raw) for m in messages} == {(ERASED, b"")}
        photo = (await session.scalars(select(AttachmentRow))).all()
        assert [(row.filename, row.content) for row in photo if row.content is None] == [
            (ERASED, None)
        ]
        sent = (await session.scalars(select(Outbox).where(Outbox.case_id == case.id))).all()
        assert {row.text for row in sent} == {ERASED}
        # The reply still waiting is never sent.
        assert "pending" not in {row.status for row in sent if row.audience == "customer"}
        identity = await session.get_one(Identity, case.identity_id)
        assert identity.address != "alice"
        assert identity.opted_out_at is not None
        customer = await session.get_one(Customer, case.customer_id)
        assert (customer.name, customer.contact) == (None, None)
        record = (
            await session.scalars(
                select(CaseEvent).where(
                    CaseEvent.case_id == case.id, CaseEvent.kind == ERASURE_EVENT
                )
            )
        ).one()
        assert (record.actor, record.data["reason"]) == ("dpo", "Subject asked on 1 Dec")
        # Bob's case is untouched.
        bob = (await session.scalars(select(Case).where(Case.reference == other))).one()
        assert "parcel never arrived" in bob.description
    # The erasure keeps the audit chain verifiable: it vouches for the blanked events.
    checked = await audit.verify(app)
    assert checked.intact, checked.findings
    with pytest.raises(PersonNotFound):
        await export_person(app, "alice")


async def test_a_blanked_event_without_the_erasure_that_vouches_for_it_is_found(
    app: App,
) -> None:
    reference = await complaint_with_a_photo(app)
    await staff_action(app, reference, StaffActionKind.NOTE, text="Alice rang, very upset")
    await erase_person(app, "alice", "dpo", "asked")
    async with app.engine.begin() as connection:
        await connection.execute(
            CaseEvent.__table__.update()
            .where(CaseEvent.kind == ERASURE_EVENT)
            .values(data={"reason": "asked", "events": []})
        )
    problems = {finding.problem for finding in (await audit.verify(app)).findings}
    assert problems == {"changed"}


async def test_someone_erased_who_writes_again_starts_afresh(app: App) -> None:
    await complaint_with_a_photo(app)
    await erase_person(app, "alice", "dpo", "asked")
    rows = await say(app, "hello, I have a new problem with my toaster")
    assert any(row.address == "alice" and row.audience == "customer" for row in rows)
    async with app.sessions() as session:
        names = (await session.scalars(select(Identity.address))).all()
    assert "alice" in names


async def test_retention_erases_people_whose_cases_all_closed_long_ago(
    app: App, clock: FakeClock
) -> None:
    closed_long_ago = await complaint_with_a_photo(app, "alice")
    await close(app, closed_long_ago)
    still_open = await register_complaint(app, "bob")
    clock.advance(days=400)
    recently_closed = await register_complaint(app, "carmen")
    await close(app, recently_closed)
    clock.advance(days=30)
    assert await erase_expired(app, timedelta(days=365), clock()) == 1
    async with app.sessions() as session:
        cases = {case.reference: case.description for case in (await session.scalars(select(Case)))}
        record = (
            await session.scalars(select(CaseEvent).where(CaseEvent.kind == ERASURE_EVENT))
        ).one()
    assert cases[closed_long_ago] == ERASED
    assert cases[still_open] != ERASED
    assert cases[recently_closed] != ERASED
    assert (record.actor, record.channel) == ("system", "timer")
    assert "365 days" in record.data["reason"]
    assert await erase_expired(app, timedelta(days=365), clock()) == 0  # once
    assert (await audit.verify(app)).intact
