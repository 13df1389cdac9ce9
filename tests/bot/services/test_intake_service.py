"""The intake service on SQLite and PostgreSQL: one transaction per message, nothing lost."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.services.app import App
from bot.services.intake import handle_inbound
from bot.settings import Settings
from bot.storage.migrate import upgrade
from bot.storage.models import (
    AttachmentRow,
    Case,
    CaseEvent,
    ConversationState,
    Identity,
    MessageIn,
    Outbox,
)
from channels.base import Attachment
from fakes import FakeClock, SeededRandom
from tests.bot.conversation import customer_text, message, register_complaint, say, send


async def count(app: App, model: type[object]) -> int:
    async with app.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_whole_complaint_is_registered_acknowledged_and_routed(app: App) -> None:
    reference = await register_complaint(app)

    async with app.sessions() as session:
        case = await session.scalar(select(Case).where(Case.reference == reference))
        assert case is not None
        assert (case.status, case.category, case.queue) == (
            "acknowledged",
            "delivery",
            "complaints",
        )
        assert case.product == "A12345"
        assert case.outcome == "refund"
        assert case.contact == "alice@example.com"
        events = (
            await session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            )
        ).all()
        assert [(e.kind, e.to_status) for e in events] == [
            ("received", "received"),
            ("status_changed", "acknowledged"),
        ]
        assert all(e.actor == "customer" and e.channel == "console" for e in events)
        # Every message of the conversation is kept on the case, raw bytes included.
        messages = (
            await session.scalars(select(MessageIn).where(MessageIn.case_id == case.id))
        ).all()
        assert len(messages) == 5
        assert messages[0].raw.startswith(b"My parcel never arrived")
        staff = (await session.scalars(select(Outbox).where(Outbox.audience == "staff"))).all()
        assert [(row.channel, row.address, row.template) for row in staff] == [
            ("staff-feed", "complaints", "staff/new_case")
        ]
        assert reference in staff[0].text


async def test_the_acknowledgement_gives_reference_and_target_date(app: App) -> None:
    await say(app, "The engineer did not turn up for my boiler repair appointment")
    for answer in ("skip", "skip", "an explanation", "alice@example.com", "yes"):
        await say(app, answer)
    rows = await say(app, "yes")
    text = customer_text(rows)
    assert "Your reference is CB-" in text
    # Normal severity: 240 hours from 22 November 2026.
    assert "2 December 2026" in text


async def test_consent_refused_in_the_chat_is_answered_and_registers_nothing(app: App) -> None:
    await say(app, "The engineer did not turn up for my boiler repair appointment")
    for answer in ("skip", "skip", "an explanation", "alice@example.com"):
        await say(app, answer)
    rows = await say(app, "No, I do not agree, delete my data")
    text = customer_text(rows)
    assert "Understood: nothing has been registered." in text
    assert "could not be handled" not in text
    assert await count(app, Case) == 0


async def test_a_duplicate_provider_id_is_handled_once(app: App) -> None:
    first = message(app, "My parcel never arrived, order #A12345, please help", provider_id="m-1")
    again = message(app, "My parcel never arrived, order #A12345, please help", provider_id="m-1")
    result = await handle_inbound(app, first)
    repeat = await handle_inbound(app, again)
    assert not result.duplicate
    assert result.outbox_ids
    assert repeat.duplicate
    assert not repeat.outbox_ids
    assert await count(app, MessageIn) == 1


async def test_the_same_message_delivered_twice_at_once_is_stored_once(app: App) -> None:
    copies = [
        message(app, "Parcel lost in transit, order #55555 from last week", provider_id="x")
        for _ in range(2)
    ]
    results = await asyncio.gather(*(handle_inbound(app, copy) for copy in copies))
    assert sorted(result.duplicate for result in results) == [False, True]
    assert await count(app, MessageIn) == 1


async def test_two_messages_at_once_from_one_customer_are_both_kept_in_order(app: App) -> None:
    await say(app, "hello")
    first = message(app, "My washing machine leaks water all over the kitchen floor")
    second = message(app, "It is order 778899")
    results = await asyncio.gather(handle_inbound(app, first), handle_inbound(app, second))
    assert not any(result.duplicate for result in results)
    assert await count(app, MessageIn) == 3
    async with app.sessions() as session:
        state = (await session.scalars(select(ConversationState))).one().state
    answers = state["answers"]
    # Handled one after the other, in either order; neither update is lost to the other.
    first_then_second = (
        answers.get("description") == first.text and answers.get("product") == second.text
    )
    second_then_first = (
        answers.get("description") == second.text
        and answers.get("product") == "778899"
        and (state["asking"], state["retries"]) == ("when", 1)
    )
    assert first_then_second or second_then_first, state


async def test_a_colliding_reference_is_replaced_not_failed(
    settings: Settings, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # Two processes with the same random stream draw the same reference for their first case.
    apps = [App.create(settings, clock=clock, random=SeededRandom(7)) for _ in range(2)]
    await upgrade(apps[0].engine)
    try:
        first = await register_complaint(apps[0], "alice")
        with caplog.at_level(logging.WARNING, logger="bot.services.intake"):
            second = await register_complaint(apps[1], "bob")
        assert "reference collision" in caplog.text
        assert first != second
        assert await count(apps[0], Case) == 2
    finally:
        for application in apps:
            await application.close()


async def test_someone_elses_reference_reveals_nothing(app: App) -> None:
    reference = await register_complaint(app, "alice")
    rows = await say(app, f"status {reference}", "mallory")
    text = customer_text(rows)
    assert reference not in text
    assert "couldn't find a complaint with that reference" in text
    rows = await say(app, f"Please add to {reference}: I am her lawyer", "mallory")
    assert "couldn't find" in customer_text(rows)
    async with app.sessions() as session:
        attached = (
            await session.scalars(
                select(MessageIn).join(Identity).where(Identity.address == "mallory")
            )
        ).all()
        assert all(row.case_id is None for row in attached)


async def test_the_owner_can_ask_for_status_by_reference(app: App) -> None:
    reference = await register_complaint(app, "alice")
    text = customer_text(await say(app, f"status {reference.lower().replace('-', ' ')}"))
    assert f"{reference}: acknowledged" in text


async def test_a_mistyped_reference_is_called_mistyped(app: App) -> None:
    reference = await register_complaint(app, "alice")
    body = reference.replace("-", "")[2:]
    swapped = body[1] + body[0] + body[2:]
    assert swapped != body
    text = customer_text(await say(app, f"status CB-{swapped}"))
    assert "looks mistyped" in text


async def test_a_follow_up_lands_on_the_open_case_and_tells_staff(app: App) -> None:
    reference = await register_complaint(app, "alice")
    rows = await say(app, "I forgot to say: the box was left in the rain")
    assert f"added that to your complaint {reference}" in customer_text(rows)
    staff = [row for row in rows if row.audience == "staff"]
    assert staff
    assert "left in the rain" in staff[0].text


async def test_a_huge_message_is_refused_cleanly_and_still_stored(app: App) -> None:
    huge = "x" * 100_000
    rows = await say(app, huge)
    assert "too long" in customer_text(rows)
    async with app.sessions() as session:
        stored = (await session.scalars(select(MessageIn))).one()
        assert len(stored.raw) == 100_000


async def test_emoji_control_characters_and_rtl_text_survive(app: App) -> None:
    text = "الطلب لم يصل 📦 وكان من المفترض أن يصل يوم الاثنين\x00\x07 order #99881"
    rows = await say(app, text)
    assert rows, "a reply is sent"
    async with app.sessions() as session:
        stored = (await session.scalars(select(MessageIn))).one()
        assert stored.raw == text.encode()  # the exact bytes are kept
        assert stored.text == text.replace("\x00", "\ufffd")  # PostgreSQL text holds no NUL
        assert "nul-removed" in stored.flags
        state = (await session.scalars(select(ConversationState))).one().state
        assert "\x00" not in state["answers"]["description"]
        assert "📦" in state["answers"]["description"]


async def test_attachments_are_kept_and_linked_to_the_case(app: App) -> None:
    photo = Attachment("label.jpg", "image/jpeg", 4, content=b"\xff\xd8\xff\xe0")
    await say(app, "hi")
    await say(app, "", attachments=(photo,))
    await say(app, "The item arrived smashed, photo attached, order #A77")
    for answer in ("skip", "replacement", "a@example.com", "yes"):
        await say(app, answer)
    await say(app, "yes")
    async with app.sessions() as session:
        row = (await session.scalars(select(AttachmentRow))).one()
        owner = await session.get_one(MessageIn, row.message_id)
        assert owner.case_id is not None
        assert row.content == b"\xff\xd8\xff\xe0"


class TickingClock(FakeClock):
    """A clock that moves on every reading, as a real one does between two calls."""

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=7)
        return self.now


async def test_every_message_of_the_conversation_is_on_the_case_with_a_real_clock(
    settings: Settings,
) -> None:
    application = App.create(settings, clock=TickingClock(), random=SeededRandom(3))
    await upgrade(application.engine)
    try:
        reference = await register_complaint(application)
        async with application.sessions() as session:
            case = (await session.scalars(select(Case).where(Case.reference == reference))).one()
            texts = [
                m.text
                for m in (
                    await session.scalars(
                        select(MessageIn).where(MessageIn.case_id == case.id).order_by(MessageIn.id)
                    )
                ).all()
            ]
        assert texts[0].startswith("My parcel never arrived"), "the complaint itself is kept"
        assert len(texts) == 5
    finally:
        await application.close()


async def test_very_long_answers_and_names_never_block_registration(app: App) -> None:
    # Columns are bounded on PostgreSQL; the full text stays on the stored messages.
    say_as = {"address": "long", "display_name": "N" * 400}  # not a name: it is asked
    await send(app, "My parcel never arrived yesterday, order #A12345", **say_as)
    await send(app, "refund", **say_as)
    await send(app, "z" * 5000, **say_as)  # the name, taken shortened
    await send(app, "x" * 5000, **say_as)  # not a contact: re-asked once
    await send(app, "y" * 4900 + "@example.com", **say_as)  # an address, stored shortened
    await send(app, "yes", **say_as)
    result = await send(app, "yes", **say_as)
    assert result.opened, "the complaint is registered"
    async with app.sessions() as session:
        case = (await session.scalars(select(Case))).one()
        assert case.contact == "y" * 254
        assert case.customer_name == "z" * 120
        stored = (
            await session.scalars(
                select(MessageIn).where(MessageIn.text == "y" * 4900 + "@example.com")
            )
        ).one()
        assert len(stored.text) == 4912


async def test_header_values_longer_than_their_columns_are_still_stored(app: App) -> None:
    # Whatever a sender puts in a Message-ID, an address or an attachment's type must not
    # make the message impossible to store (PostgreSQL enforces the column sizes).
    long_id = "<" + "i" * 500 + "@example.com>"
    long_address = "a" * 400 + "@example.com"
    attachment = Attachment("x" * 400 + ".pdf", "application/" + "y" * 300, 3, content=b"pdf")
    incoming = message(
        app,
        "My parcel never arrived, order 5512",
        long_address,
        channel="email",
        provider_id=long_id,
        attachments=(attachment,),
    )
    first = await handle_inbound(app, incoming)
    again = await handle_inbound(app, incoming)
    assert not first.duplicate
    assert again.duplicate, "the same long id still deduplicates"
    async with app.sessions() as session:
        stored = (await session.scalars(select(MessageIn))).one()
        assert "long-provider-id" in stored.flags
        assert "long-address" in stored.flags
        assert len((await session.scalars(select(AttachmentRow))).one().content_type) == 255
