"""Opt-out and opt-in (SMS STOP/START), delivery reports, and messages that fail processing."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.services.delivery import DeliveryReport, record_delivery
from bot.services.intake import OPT_IN, OPT_OUT, PROCESSING_FAILED, handle_inbound
from bot.services.staff import handle_staff_action
from bot.storage.models import CaseEvent, EarlyReport, Identity, MessageIn, Outbox
from channels.base import DeliveryResult, OutboundMessage
from fakes import RecordingAdapter
from tests.bot.conversation import message, register_complaint, say
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind

NUMBER = "+447700900123"


async def sms(app: App, text: str, *flags: str) -> None:
    incoming = message(app, text, NUMBER, channel="sms", lasting_address=True)
    await handle_inbound(app, replace(incoming, flags=flags))


async def test_stop_suppresses_every_later_message_at_the_dispatcher(app: App) -> None:
    reference = await register_complaint(app, NUMBER)
    adapter = RecordingAdapter(name="console")
    await Dispatcher(app, {"console": adapter}).run_once()
    before = len(adapter.sent)
    await handle_inbound(app, replace(message(app, "STOP", NUMBER), flags=(OPT_OUT,)))
    await handle_staff_action(
        app,
        StaffAction(StaffActionKind.STATUS, reference, "carol", status=CaseStatus.INVESTIGATING),
        "cli",
    )
    await Dispatcher(app, {"console": adapter}).run_once()
    assert len(adapter.sent) == before, "nothing reaches an opted-out customer"
    async with app.sessions() as session:
        row = (
            await session.scalars(
                select(Outbox).where(Outbox.template == "customer/status_investigating")
            )
        ).one()
        assert row.status == "failed"
        assert "opted out" in (row.last_error or "")
        kinds = [e.kind for e in (await session.scalars(select(CaseEvent))).all()]
        assert "customer_opted_out" in kinds
        assert "delivery_failed" in kinds


async def test_start_after_stop_resumes_messages(app: App) -> None:
    await register_complaint(app, NUMBER)
    await handle_inbound(app, replace(message(app, "STOP", NUMBER), flags=(OPT_OUT,)))
    await handle_inbound(app, replace(message(app, "START", NUMBER), flags=(OPT_IN,)))
    async with app.sessions() as session:
        identity = (await session.scalars(select(Identity))).one()
        assert identity.opted_out_at is None
    rows = await say(app, "Any news on my parcel?", NUMBER)
    adapter = RecordingAdapter()
    await Dispatcher(app, {"console": adapter}).run_once()
    answer = [row for row in rows if row.audience == "customer"][-1]
    assert any(m.outbox_id == answer.id for m in adapter.sent)


async def test_yes_from_a_number_that_never_opted_out_is_just_an_answer(app: App) -> None:
    await say(app, "My parcel never arrived yesterday, order #A12345", NUMBER)
    await say(app, "refund", NUMBER)
    await say(app, "Sam Lee", NUMBER)  # a number is no name: it is asked
    await say(app, "a@example.com", NUMBER)
    # Twilio marks YES as an opt-in keyword; here it answers the consent question.
    await handle_inbound(app, replace(message(app, "yes", NUMBER), flags=(OPT_IN,)))
    rows = await say(app, "yes", NUMBER)
    assert any(row.template == "customer/acknowledgement" for row in rows)


async def test_a_failed_delivery_report_is_visible_on_the_case(app: App) -> None:
    await register_complaint(app)
    adapter = RecordingAdapter()
    await Dispatcher(app, {"console": adapter}).run_once()
    provider_id = f"console-{adapter.sent[-1].outbox_id}"
    assert await record_delivery(app, DeliveryReport("console", provider_id, "sent"))
    assert await record_delivery(
        app, DeliveryReport("console", provider_id, "undelivered", "Twilio error 30003")
    )
    # A late "sent" after the final word changes nothing.
    assert await record_delivery(app, DeliveryReport("console", provider_id, "sent"))
    async with app.sessions() as session:
        row = (await session.scalars(select(Outbox).where(Outbox.provider_id == provider_id))).one()
        assert (row.delivery_status, row.status) == ("undelivered", "failed")
        event = (
            await session.scalars(select(CaseEvent).where(CaseEvent.kind == "delivery_failed"))
        ).one()
        assert event.data["reason"] == "Twilio error 30003"


async def test_a_report_about_a_message_we_never_sent_is_ignored(app: App) -> None:
    assert not await record_delivery(app, DeliveryReport("sms", "SM-not-ours", "delivered"))


async def test_a_message_that_breaks_processing_is_still_stored_and_flagged(
    app: App, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("a bug in the workflow")

    monkeypatch.setattr("bot.services.intake.decide_message", broken)
    result = await handle_inbound(app, message(app, "My parcel never arrived, order #77"))
    assert result.failed
    async with app.sessions() as session:
        stored = (await session.scalars(select(MessageIn))).one()
        assert PROCESSING_FAILED in stored.flags
        assert stored.raw == b"My parcel never arrived, order #77"
    assert "a bug in the workflow" in caplog.text


async def test_a_failure_is_not_undone_by_a_late_delivered_and_canceled_is_a_failure(
    app: App,
) -> None:
    await register_complaint(app)
    adapter = RecordingAdapter()
    await Dispatcher(app, {"console": adapter}).run_once()
    first, second = (f"console-{message.outbox_id}" for message in adapter.sent[-2:])
    await record_delivery(app, DeliveryReport("console", first, "failed", "Twilio error 30005"))
    await record_delivery(app, DeliveryReport("console", first, "delivered"))
    await record_delivery(app, DeliveryReport("console", second, "canceled"))
    async with app.sessions() as session:
        rows = {row.provider_id: row for row in (await session.scalars(select(Outbox))).all()}
    assert (rows[first].delivery_status, rows[first].status) == ("failed", "failed")
    assert (rows[second].delivery_status, rows[second].status) == ("failed", "failed")


async def test_a_long_sms_conversation_is_never_cut_off_by_the_mail_loop_cap(app: App) -> None:
    for _ in range(app.settings.auto_replies_per_hour + 5):
        await sms(app, "help")
    async with app.sessions() as session:
        replies = (await session.scalars(select(Outbox).where(Outbox.channel == "sms"))).all()
    assert len(replies) == app.settings.auto_replies_per_hour + 5


async def test_a_failure_reported_before_the_send_is_recorded_still_reaches_the_case(
    app: App,
) -> None:
    await register_complaint(app)
    provider_ids: list[str] = []

    class ReportsFirst(RecordingAdapter):
        async def send(self, message: OutboundMessage) -> DeliveryResult:
            # The provider calls back before it answers our request.
            provider_id = f"SM-{message.outbox_id}"
            provider_ids.append(provider_id)
            early = DeliveryReport("console", provider_id, "failed", "Twilio error 30006")
            assert not await record_delivery(app, early, may_be_early=True)
            return DeliveryResult(provider_id=provider_id, reports_follow=True)

    await Dispatcher(app, {"console": ReportsFirst()}).run_once()
    async with app.sessions() as session:
        rows = (
            await session.scalars(select(Outbox).where(Outbox.provider_id.in_(provider_ids)))
        ).all()
        assert rows
        assert {(row.status, row.delivery_status) for row in rows} == {("failed", "failed")}
        kinds = [e.kind for e in (await session.scalars(select(CaseEvent))).all()]
        assert "delivery_failed" in kinds
        assert (await session.scalars(select(EarlyReport))).all() == [], "applied, then gone"
