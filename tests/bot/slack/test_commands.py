"""The slash command and the App Home tab: what staff see when they ask."""

from __future__ import annotations

import json
from dataclasses import replace

from bot.services.intake import handle_inbound
from fakes import FakeClock
from fakes.slack_payloads import (
    app_home_opened_event,
    block_actions_body,
    event_callback_body,
)
from tests.bot.conversation import message
from tests.bot.slack.conftest import (
    ALICE,
    BOB,
    MALLORY,
    QUEUE_CHANNEL,
    Workspace,
    ask,
    eventually,
    new_case,
)


async def test_help_and_an_unknown_word_say_what_the_command_does(workspace: Workspace) -> None:
    for text in ("", "help", "frobnicate the thing"):
        answer = await ask(workspace, text)
        assert answer["response_type"] == "ephemeral"
        assert "/complaint mine" in answer["text"]
    assert '"frobnicate" needs more' in (await ask(workspace, "frobnicate x y"))["text"]


async def test_a_reference_shows_the_case_to_its_staff_only(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    shown = (await ask(workspace, reference.lower()))["text"]
    assert reference in shown
    assert "My parcel never arrived" in shown
    assert "archives/C0QUEUE01/p" in shown  # a link to the card
    hidden = (await ask(workspace, reference, user=MALLORY))["text"]
    assert "no case" in hidden.lower()
    assert "parcel" not in hidden


async def test_mine_open_and_overdue_list_what_they_say(
    workspace: Workspace, clock: FakeClock
) -> None:
    reference = await new_case(workspace)
    assert "none" in (await ask(workspace, "mine"))["text"]
    assert reference in (await ask(workspace, "open"))["text"]
    assert reference in (await ask(workspace, "open complaints"))["text"]
    assert reference not in (await ask(workspace, "open billing"))["text"]
    assert reference not in (await ask(workspace, "overdue"))["text"]
    await workspace.press(reference, "case_assign_me", user=BOB)

    async def assigned() -> bool:
        return (await workspace.case(reference)).assignee is not None

    await eventually(assigned)
    assert reference in (await ask(workspace, "mine", user=BOB))["text"]
    assert "none" in (await ask(workspace, "mine", user=ALICE))["text"]
    clock.advance(days=11)
    overdue = (await ask(workspace, "overdue"))["text"]
    assert reference in overdue
    assert "overdue" in overdue
    outsider = (await ask(workspace, "open", user=MALLORY))["text"]
    assert reference not in outsider
    assert "not on the staff" in outsider


async def test_reply_by_command_is_confirmed_first_then_sent(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    answer = await ask(workspace, f"reply {reference} The courier found it <!here>")
    assert "Send this to the customer" in answer["text"]
    shown = json.dumps(answer["blocks"])
    assert "The courier found it &lt;!here&gt;" in shown
    await workspace.deliver()
    assert workspace.customer.sent == [], "nothing is sent before the confirmation"
    send = next(
        element
        for block in answer["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "command_reply_send"
    )

    def click(action_ts: str) -> bytes:
        return block_actions_body(
            team_id="T0TEST",
            user_id=ALICE,
            user_name="alice",
            channel_id=QUEUE_CHANNEL,
            message_ts="1700000000.000001",  # the confirmation's own message
            action_id="command_reply_send",
            value=send["value"],
            action_ts=action_ts,
            response_url=workspace.slack.response_url(),
        )

    answered = len(workspace.slack.responses)
    await workspace.post(click("1700000100.000001"))
    await workspace.post(click("1700000100.400001"))  # a double click: sent once
    await eventually(lambda: _true(len(workspace.slack.responses) >= answered + 2))
    assert workspace.slack.responses[-1]["replace_original"] is True
    assert "Sent to the customer" in workspace.slack.responses[-1]["text"]
    await workspace.deliver()
    [sent] = workspace.customer.sent
    assert "The courier found it <!here>" in sent.text  # the customer gets what staff typed


async def test_the_home_tab_shows_my_cases_and_the_overdue_ones(
    workspace: Workspace, clock: FakeClock
) -> None:
    reference = await new_case(workspace)
    await workspace.press(reference, "case_assign_me", user=ALICE)

    async def assigned() -> bool:
        return (await workspace.case(reference)).assignee is not None

    await eventually(assigned)
    clock.advance(days=11)
    body = event_callback_body(team_id="T0TEST", event=app_home_opened_event(ALICE))
    assert (await workspace.post(body, "/webhooks/slack/events")).status_code == 200
    await eventually(lambda: _true(ALICE in workspace.slack.home_views))
    home = json.dumps(workspace.slack.home_views[ALICE])
    assert home.count(reference) == 2  # assigned to me, and overdue
    assert "archives/C0QUEUE01/p" in home


async def _true(value: bool) -> bool:
    return value


async def test_the_inbox_shows_messages_on_no_case_to_the_staff_group_only(
    workspace: Workspace,
) -> None:
    await handle_inbound(
        workspace.app,
        replace(message(workspace.app, "Out of office <!channel>"), flags=("automated",)),
    )
    shown = (await ask(workspace, "inbox", user=ALICE))["text"]
    assert "Out of office &lt;!channel&gt;" in shown
    refused = (await ask(workspace, "inbox", user=BOB))["text"]
    assert "staff group only" in refused
    assert "Out of office" not in refused
