"""The outbox dispatcher: after-commit sending, retries with backoff, visible failure."""

from __future__ import annotations

import asyncio
import contextlib
import random
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from bot.outbox import LEASE, Dispatcher, backoff
from bot.services.app import App
from bot.storage.models import CaseEvent, Outbox
from channels.base import DeliveryResult, OutboundMessage
from fakes import FailingAdapter, FakeClock, RecordingAdapter
from tests.bot.conversation import register_complaint, say


async def rows(app: App, channel: str = "console") -> list[Outbox]:
    async with app.sessions() as session:
        found = await session.scalars(
            select(Outbox).where(Outbox.channel == channel).order_by(Outbox.id)
        )
        return list(found.all())


async def test_pending_messages_are_sent_in_order_and_marked_sent(app: App) -> None:
    await say(app, "hello")
    await say(app, "My parcel never arrived, order #A12345, it was due yesterday")
    adapter = RecordingAdapter()
    assert await Dispatcher(app, {"console": adapter}).run_once() == 3
    assert [m.outbox_id for m in adapter.sent] == sorted(m.outbox_id for m in adapter.sent)
    assert adapter.sent[0].text.startswith("Hello")
    assert all(row.status == "sent" and row.provider_id for row in await rows(app))
    assert await Dispatcher(app, {"console": adapter}).run_once() == 0


async def test_choices_travel_with_the_message(app: App) -> None:
    await say(app, "My parcel never arrived, order #A12345, it was due yesterday")
    adapter = RecordingAdapter()
    await Dispatcher(app, {"console": adapter}).run_once()
    labels = [choice.label for choice in adapter.sent[-1].choices]
    assert labels[:2] == ["A refund", "A replacement"]


async def test_a_transient_failure_is_retried_later_with_backoff(
    app: App, clock: FakeClock
) -> None:
    await say(app, "help")
    flaky = FailingAdapter(failures=1)
    dispatcher = Dispatcher(app, {"console": flaky})
    await dispatcher.run_once()
    (row,) = await rows(app)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.next_attempt_at > clock.now
    assert await dispatcher.run_once() == 0, "not before its time"
    clock.advance(seconds=11)  # base delay 10 s, full jitter within [5, 10]
    await dispatcher.run_once()
    (row,) = await rows(app)
    assert (row.status, row.attempts) == ("sent", 2)
    assert len(flaky.sent) == 1


async def test_it_gives_up_after_max_attempts_and_staff_can_see(app: App, clock: FakeClock) -> None:
    await register_complaint(app)
    async with app.sessions() as session, session.begin():
        await session.execute(update(Outbox).values(status="sent"))
    await say(app, "The courier came back and took the parcel away again")  # a follow-up
    broken = FailingAdapter(crash=True)
    dispatcher = Dispatcher(app, {"console": broken})
    for _ in range(4):
        await dispatcher.run_once()
        clock.advance(minutes=11)
    failed = [row for row in await rows(app) if row.status == "failed"]
    assert len(failed) == 1
    assert failed[0].attempts == 4
    assert "ConnectionResetError" in (failed[0].last_error or "")
    async with app.sessions() as session:
        event = (
            await session.scalars(select(CaseEvent).where(CaseEvent.kind == "delivery_failed"))
        ).one()
        assert event.case_id == failed[0].case_id


async def test_a_permanent_failure_is_not_retried(app: App) -> None:
    await say(app, "help")
    adapter = FailingAdapter(permanent=True)
    await Dispatcher(app, {"console": adapter}).run_once()
    (row,) = await rows(app)
    assert (row.status, row.attempts) == ("failed", 1)


async def test_a_message_claimed_by_a_crashed_worker_is_sent_after_its_lease(
    app: App, clock: FakeClock
) -> None:
    await say(app, "help")
    async with app.sessions() as session, session.begin():
        await session.execute(update(Outbox).values(status="sending", locked_until=clock.now))
    adapter = RecordingAdapter()
    clock.advance(seconds=1)
    assert await Dispatcher(app, {"console": adapter}).run_once() == 1
    assert len(adapter.sent) == 1


async def test_a_terminal_only_receives_its_own_messages(app: App) -> None:
    await say(app, "help", "alice")
    await say(app, "help", "bob")
    adapter = RecordingAdapter()
    await Dispatcher(app, {"console": adapter}, {"console": "alice"}).run_once()
    assert {m.address for m in adapter.sent} == {"alice"}
    assert [row.status for row in await rows(app)] == ["sent", "pending"]


async def test_channels_not_live_here_are_left_for_another_process(app: App) -> None:
    await register_complaint(app)
    adapter = RecordingAdapter(name="staff-feed")
    await Dispatcher(app, {"staff-feed": adapter}).run_once()
    assert all(row.status == "pending" for row in await rows(app, "console"))
    assert [row.status for row in await rows(app, "staff-feed")] == ["sent"]


@pytest.mark.postgres
async def test_two_dispatchers_never_send_one_message_twice(
    postgres_url: str, tmp_path: object, clock: FakeClock
) -> None:
    from bot.settings import Settings
    from bot.storage.migrate import upgrade
    from fakes import SeededRandom

    settings = Settings(_env_file=None, database_url=postgres_url)  # type: ignore[call-arg]
    apps = [App.create(settings, clock=clock, random=SeededRandom(n)) for n in range(2)]
    await upgrade(apps[0].engine)
    try:
        for number in range(30):
            await say(apps[0], "hello", f"customer-{number}")
        adapters = [RecordingAdapter(delay=0.005) for _ in apps]
        await asyncio.gather(
            *(
                Dispatcher(a, {"console": ad}).run_once()
                for a, ad in zip(apps, adapters, strict=True)
            )
        )
        sent = [m.outbox_id for adapter in adapters for m in adapter.sent]
        expected = [row.id for row in await rows(apps[0])]
        assert len(expected) == 60  # a welcome and the first question per customer
        assert sorted(sent) == sorted(expected), "every row sent exactly once"
        assert all(adapter.sent for adapter in adapters), "both workers took a share"
    finally:
        for application in apps:
            await application.close()


async def test_different_customers_are_sent_to_at_once_and_each_in_order(app: App) -> None:
    for name in ("a", "b", "c"):
        await say(app, "help", name)
        await say(app, "status", name)

    class Slow(RecordingAdapter):
        in_flight = 0
        most = 0

        async def send(self, message: OutboundMessage) -> DeliveryResult:
            Slow.in_flight += 1
            Slow.most = max(Slow.most, Slow.in_flight)
            await asyncio.sleep(0.05)  # a provider's round trip
            Slow.in_flight -= 1
            return await super().send(message)

    adapter = Slow()
    assert await Dispatcher(app, {"console": adapter}).run_once() == 6
    assert Slow.most == 3  # one send per customer at a time, all three customers at once
    # Each customer's replies arrive in the order they were written.
    for name in ("a", "b", "c"):
        theirs = [m.outbox_id for m in adapter.sent if m.address == name]
        assert len(theirs) == 2
        assert theirs == sorted(theirs)


def test_backoff_grows_exponentially_within_jittered_bounds() -> None:
    rng = random.Random(3)
    for attempt in range(1, 12):
        ceiling = min(600.0, 2.0 * 2 ** (attempt - 1))
        for _ in range(50):
            delay = backoff(attempt, 2.0, 600.0, rng)
            assert ceiling / 2 <= delay <= ceiling


async def test_a_provider_that_hangs_is_a_transient_failure(
    app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.outbox.SEND_TIMEOUT", timedelta(milliseconds=50))
    await say(app, "help")
    await Dispatcher(app, {"console": RecordingAdapter(delay=5)}).run_once()
    (row,) = await rows(app)
    assert (row.status, row.attempts) == ("pending", 1)
    assert row.last_error == "the provider did not answer in time"


async def test_stopping_gives_claimed_rows_back_at_once(app: App) -> None:
    # One customer's messages go one after another, so two are still waiting at the stop.
    for _ in range(3):
        await say(app, "help", "a")
    stop = asyncio.Event()

    class StopAfterOne(RecordingAdapter):
        async def send(self, message: OutboundMessage) -> DeliveryResult:
            stop.set()
            return await super().send(message)

    adapter = StopAfterOne()
    assert await Dispatcher(app, {"console": adapter}).run_once(stop) == 1
    statuses = [(row.status, row.locked_until) for row in await rows(app)]
    assert statuses == [("sent", None), ("pending", None), ("pending", None)]


async def test_a_worker_whose_lease_was_taken_over_records_nothing(
    app: App, clock: FakeClock
) -> None:
    await say(app, "help")

    class Slow(RecordingAdapter):
        async def send(self, message: OutboundMessage) -> DeliveryResult:
            # Meanwhile another worker took the row over and sent it.
            async with app.transaction() as session:
                await session.execute(
                    update(Outbox).values(status="sent", provider_id="other", locked_until=None)
                )
            return await super().send(message)

    await Dispatcher(app, {"console": Slow()}).run_once()
    (row,) = await rows(app)
    assert row.provider_id == "other"


class Held(RecordingAdapter):
    """A provider that answers only when told to (a slow send in progress)."""

    def __init__(self) -> None:
        super().__init__()
        self.started = asyncio.Event()
        self.answer = asyncio.Event()

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        self.started.set()
        await self.answer.wait()
        return await super().send(message)


async def test_a_send_in_progress_keeps_its_claim_however_long_it_takes(
    app: App, clock: FakeClock
) -> None:
    await say(app, "help")
    slow = Held()
    first = Dispatcher(app, {"console": slow}, renew_every=timedelta(milliseconds=20))
    sending = asyncio.create_task(first.run_once())
    await slow.started.wait()
    for _ in range(3):  # well past the first lease, renewed each time
        clock.advance(seconds=LEASE.total_seconds() - 1)
        await asyncio.sleep(0.1)
    other = RecordingAdapter()
    assert await Dispatcher(app, {"console": other}).run_once() == 0
    slow.answer.set()
    assert await sending == 1
    assert other.sent == []
    (row,) = await rows(app)
    assert row.status == "sent"


async def test_a_crashed_workers_rows_are_taken_over_within_seconds(
    app: App, clock: FakeClock
) -> None:
    await say(app, "help")
    hung = Held()
    crashed = asyncio.create_task(Dispatcher(app, {"console": hung}).run_once())
    await hung.started.wait()
    crashed.cancel()  # the process died mid-send: its claim stays in the database
    with contextlib.suppress(asyncio.CancelledError):
        await crashed
    other = RecordingAdapter()
    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert await Dispatcher(app, {"console": other}).run_once() == 0
    clock.advance(seconds=2)
    assert await Dispatcher(app, {"console": other}).run_once() == 1
    assert LEASE.total_seconds() <= 15, "taken over within seconds, not minutes"


async def test_a_reply_goes_out_on_commit_not_at_the_next_poll(app: App) -> None:
    app.settings = app.settings.model_copy(update={"poll_interval_seconds": 600})
    adapter = RecordingAdapter()
    stop = asyncio.Event()
    dispatching = asyncio.create_task(Dispatcher(app, {"console": adapter}).run_forever(stop))
    await asyncio.sleep(0.1)  # its first look found nothing; the next poll is ten minutes off
    try:
        await say(app, "help")
        for _ in range(200):
            if adapter.sent:
                break
            await asyncio.sleep(0.02)
        assert len(adapter.sent) == 1
    finally:
        stop.set()
        await dispatching


@pytest.mark.postgres
async def test_a_commit_in_another_process_wakes_the_dispatcher(
    postgres_url: str, clock: FakeClock
) -> None:
    from bot.settings import Settings
    from bot.storage.migrate import upgrade
    from fakes import SeededRandom

    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=postgres_url, poll_interval_seconds=600
    )
    # Two apps, two engines: as `serve` and a staff command in another process.
    serving, other = (App.create(settings, clock=clock, random=SeededRandom(n)) for n in (1, 2))
    await upgrade(serving.engine)
    adapter = RecordingAdapter()
    stop = asyncio.Event()
    dispatching = asyncio.create_task(Dispatcher(serving, {"console": adapter}).run_forever(stop))
    try:
        await asyncio.sleep(0.3)  # its first look found nothing; the next poll is far off
        await say(other, "help", "bea")
        for _ in range(1500):  # 30 s at most; the next poll is ten minutes off
            if adapter.sent:
                break
            await asyncio.sleep(0.02)
        assert [m.address for m in adapter.sent] == ["bea"]
    finally:
        stop.set()
        await dispatching
        await serving.close()
        await other.close()
