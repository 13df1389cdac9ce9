"""A whole complaint by Telegram through the webhook: buttons, a photo, status, a block."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.services.staff import handle_staff_action
from bot.storage.models import AttachmentRow, Case, CaseEvent, Identity, MessageIn
from channels.telegram.adapter import TelegramAdapter
from fakes.telegram_api import FakeTelegram, SentMessage
from tests.bot.telegram.conftest import CHAT, Customer
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind

REFERENCE = re.compile(r"\b[A-Z]{2,4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")


def with_buttons(replies: list[SentMessage]) -> SentMessage:
    (asking,) = [reply for reply in replies if reply.buttons()]
    return asking


async def register(customer: Customer, telegram: FakeTelegram) -> str:
    """A complaint made the way a Telegram user would: typing, a photo, and buttons."""
    await customer.says("/start")
    await customer.says("The kettle I bought sparked and the base went black")
    photo = telegram.add_file(b"\xff\xd8\xff" + b"jpeg" * 100, "photos/file_7.jpg")
    await customer.says(
        "this is the base",
        photo=[
            {"file_id": "small", "file_unique_id": "s", "width": 90, "height": 90},
            {
                "file_id": photo,
                "file_unique_id": "b",
                "width": 800,
                "height": 800,
                "file_size": 403,
            },
        ],
    )
    await customer.says("Order 44521, the Brio kettle")
    outcome = await customer.says("last Tuesday")
    consent = await customer.presses(with_buttons(outcome), "A refund")
    await customer.presses(with_buttons(consent), "Yes")
    done = await customer.says("yes")  # the summary: "yes" registers it
    found = REFERENCE.search("\n".join(reply.text for reply in done))
    assert found, [reply.text for reply in done]
    return found[0]


async def test_a_complaint_made_with_buttons_and_a_photo_is_registered_and_followed(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    reference = await register(customer, telegram)
    async with tg_app.sessions() as session:
        case = (await session.scalars(select(Case).where(Case.reference == reference))).one()
        files = (await session.scalars(select(AttachmentRow))).all()
    assert (case.channel, case.severity, case.outcome) == ("telegram", "critical", "refund")
    assert [(f.filename, f.size, f.content is not None) for f in files] == [
        ("photo.jpg", 403, True)
    ]
    # Every press stopped its spinner at once, and its keyboard was taken away.
    assert len(telegram.answered) == 2
    assert all(text is None for _, text in telegram.answered)
    assert len(telegram.markup_edits) == 2

    status = await customer.says("/status")
    assert reference in status[-1].text

    await handle_staff_action(
        tg_app,
        StaffAction(StaffActionKind.STATUS, reference, "carol", status=CaseStatus.INVESTIGATING),
        "cli",
    )
    update = await customer.deliver()
    assert reference in update[-1].text
    assert "investigat" in update[-1].text.lower()


async def test_a_press_on_an_answered_question_is_told_so_and_changes_nothing(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    await customer.says("/start")
    await customer.says("My parcel was left in the rain and everything inside is ruined")
    await customer.says("order 7781")
    outcome = await customer.says("yesterday")
    question = with_buttons(outcome)
    await customer.says("a replacement")  # typed instead of pressed
    async with tg_app.sessions() as session:
        messages_before = len((await session.scalars(select(MessageIn))).all())

    again = await customer.presses(question, "A refund")

    assert again == []
    assert telegram.answered[-1][1] == "That question has already been answered."
    async with tg_app.sessions() as session:
        assert len((await session.scalars(select(MessageIn))).all()) == messages_before


async def test_a_blocked_bot_marks_the_customer_unreachable_until_they_write_again(
    customer: Customer, telegram: FakeTelegram, tg_app: App
) -> None:
    reference = await register(customer, telegram)
    telegram.block(CHAT)
    sent_before = len(telegram.sent_to(CHAT))
    await handle_staff_action(
        tg_app,
        StaffAction(StaffActionKind.STATUS, reference, "carol", status=CaseStatus.INVESTIGATING),
        "cli",
    )
    adapter = TelegramAdapter(telegram.token, api_base_url=telegram.url, per_chat_interval=0)
    try:
        await Dispatcher(tg_app, {"telegram": adapter}).run_once()
        sends = telegram.calls["sendMessage"]
        # A second update: not even tried, the address is known to be unreachable.
        await handle_staff_action(
            tg_app,
            StaffAction(StaffActionKind.STATUS, reference, "carol", status=CaseStatus.ESCALATED),
            "cli",
        )
        await Dispatcher(tg_app, {"telegram": adapter}).run_once()
        assert telegram.calls["sendMessage"] == sends
    finally:
        await adapter.close()
    assert len(telegram.sent_to(CHAT)) == sent_before
    async with tg_app.sessions() as session:
        identity = (await session.scalars(select(Identity))).one()
        kinds = (await session.scalars(select(CaseEvent.kind))).all()
    assert identity.opted_out_at is not None
    assert "customer_unreachable" in kinds

    # They unblock the bot and write: reachable again, and what they wrote is answered.
    telegram.unblock(CHAT)
    replies = await customer.says("/status")
    assert reference in replies[-1].text
    async with tg_app.sessions() as session:
        identity = (await session.scalars(select(Identity))).one()
        kinds = (await session.scalars(select(CaseEvent.kind))).all()
    assert identity.opted_out_at is None
    assert "customer_reachable" in kinds
