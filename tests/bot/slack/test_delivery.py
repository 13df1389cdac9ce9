"""Staff notices on their way to Slack: order, rate limits, failures and the staff feed."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.services.intake import OPT_OUT, handle_inbound
from bot.services.staff import handle_staff_action
from bot.slack.serving import slack_adapter
from bot.storage.models import Outbox
from fakes import FailingAdapter, FakeClock
from tests.bot.conversation import message, register_complaint, send
from tests.bot.slack.conftest import QUEUE_CHANNEL, Workspace
from workflows.staff import StaffAction, StaffActionKind


async def rows(workspace: Workspace, channel: str) -> list[Outbox]:
    async with workspace.app.sessions() as session:
        found = await session.scalars(
            select(Outbox).where(Outbox.channel == channel).order_by(Outbox.id)
        )
        return list(found.all())


async def test_a_rate_limit_delays_slack_only_and_costs_no_attempt(
    workspace: Workspace, clock: FakeClock
) -> None:
    await register_complaint(workspace.app)
    workspace.slack.fail_next("chat.postMessage", status=429, retry_after=30)
    await workspace.deliver()
    # The customer's messages went; the card waits as Slack asked, the rest waits for it.
    assert workspace.customer.sent
    card = next(row for row in await rows(workspace, "slack") if row.notice == "card")
    assert (card.status, card.attempts) == ("pending", 0)
    assert card.next_attempt_at >= clock() + timedelta(seconds=29)
    assert not workspace.slack.messages(QUEUE_CHANNEL)
    clock.advance(seconds=31)
    adapter = slack_adapter(workspace.app)
    await Dispatcher(workspace.app, {"slack": adapter}).run_once()
    clock.advance(seconds=3)  # thread lines held back while their card was not there
    await Dispatcher(workspace.app, {"slack": adapter}).run_once()
    top = [m for m in workspace.slack.messages(QUEUE_CHANNEL) if m.thread_ts is None]
    assert len(top) == 1
    assert workspace.slack.thread(QUEUE_CHANNEL, top[0].ts), "the lines are in its thread"
    assert {row.status for row in await rows(workspace, "slack")} == {"sent"}


async def test_a_revoked_token_fails_visibly_and_the_staff_feed_still_gets_it(
    workspace: Workspace,
) -> None:
    workspace.slack.revoke_token()
    await register_complaint(workspace.app)
    await workspace.deliver()
    slack_rows = await rows(workspace, "slack")
    card = next(row for row in slack_rows if row.notice == "card")
    assert card.status == "failed"
    assert "token_revoked" in (card.last_error or "")
    assert card.attempts == 1, "not retried"
    feed = [row for row in await rows(workspace, "staff-feed") if row.template == card.template]
    assert feed, "the notice reached the staff feed"


async def test_only_the_newest_card_is_sent_when_several_are_waiting(
    workspace: Workspace,
) -> None:
    reference = await register_complaint(workspace.app)
    await workspace.deliver()
    for text in ("Any news?", "Still waiting", "Hello?"):
        await send(workspace.app, text)
    for who in ("ann", "ben", "cat"):
        action = StaffAction(StaffActionKind.ASSIGN, reference, "maria", assignee=who)
        await handle_staff_action(workspace.app, action, "cli")
    before = workspace.slack.count("chat.update")
    await workspace.deliver()
    assert workspace.slack.count("chat.update") == before + 1, "one update, not three"
    card = await workspace.card(reference)
    assert "cat" in str(card.blocks)
    skipped = [row for row in await rows(workspace, "slack") if row.status == "skipped"]
    assert len(skipped) == 2


async def test_a_message_the_customer_never_got_and_an_opt_out_show_in_the_thread(
    workspace: Workspace,
) -> None:
    reference = await register_complaint(workspace.app)
    await workspace.deliver()
    action = StaffAction(StaffActionKind.REPLY, reference, "maria", text="Please call us")
    await handle_staff_action(workspace.app, action, "cli")
    failing = FailingAdapter(permanent=True)
    await Dispatcher(workspace.app, {"console": failing}).run_once()
    stop = replace(message(workspace.app, "STOP"), flags=(OPT_OUT,))
    await handle_inbound(workspace.app, stop)
    await Dispatcher(workspace.app, {"slack": slack_adapter(workspace.app)}).run_once()
    thread = await workspace.thread_text(reference)
    assert "was not delivered" in thread
    assert "The customer texted STOP" in thread


async def test_without_its_card_a_cases_lines_say_which_case_they_are_about(
    workspace: Workspace,
) -> None:
    workspace.slack.fail_next("chat.postMessage", "invalid_blocks")  # the card, for good
    reference = await register_complaint(workspace.app)
    await workspace.deliver()
    await workspace.deliver()
    loose = [m.text for m in workspace.slack.messages(QUEUE_CHANNEL)]
    assert loose
    assert all(text.startswith(f"{reference}: ") for text in loose)
