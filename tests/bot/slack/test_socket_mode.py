"""The console over Socket Mode: the product connects out to Slack and answers on the websocket."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.registry import ChannelUnavailable
from bot.services.app import App
from bot.settings import Settings
from bot.slack.serving import socket_mode
from bot.storage.migrate import upgrade
from bot.web import create_web_app
from fakes import FakeClock, RecordingAdapter, SeededRandom
from fakes.slack_api import FakeSlackApi, socket_payload
from fakes.slack_payloads import (
    block_actions_body,
    event_callback_body,
    message_event,
)
from tests.bot.conversation import register_complaint
from tests.bot.slack.conftest import ALICE, QUEUE_CHANNEL, TEAM, Workspace, command_body, eventually


@pytest.fixture
async def socket_workspace(
    slack_settings: Settings, slack: FakeSlackApi, clock: FakeClock
) -> AsyncIterator[Workspace]:
    """The product in Socket Mode (no signing secret), connected to the fake Slack."""
    settings = slack_settings.model_copy(
        update={
            "slack_mode": "socket",
            "slack_app_token": SecretStr(slack.app_token),
            "slack_signing_secret": None,
        }
    )
    assert settings.slack_problem is None
    application = App.create(settings, clock=clock, random=SeededRandom())
    await upgrade(application.engine)
    transport = httpx.ASGITransport(app=create_web_app(application))
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as client,
        socket_mode(application),
    ):
        await asyncio.to_thread(slack.wait_for, lambda s: s.socket_connected)
        yield Workspace(application, slack, client, RecordingAdapter())
        # Let listeners still running after their ack finish before the connection goes.
        await asyncio.sleep(0.05)
    await application.close()


async def acked(slack: FakeSlackApi, envelope_id: str) -> dict[str, Any]:
    """Wait for the app's acknowledgement of one envelope."""
    await asyncio.to_thread(slack.wait_for, lambda s: s.socket_ack(envelope_id) is not None)
    ack = slack.socket_ack(envelope_id)
    assert ack is not None
    return ack


def command(slack: FakeSlackApi, text: str, user: str = ALICE) -> dict[str, Any]:
    return socket_payload(command_body(slack, text, user))


async def press(
    workspace: Workspace, reference: str, action_id: str, team_id: str = TEAM, user: str = ALICE
) -> str:
    """Press a button on the case's card over the socket; returns the envelope id."""
    card = await workspace.card(reference)
    body = block_actions_body(
        team_id=team_id,
        user_id=user,
        user_name=user.lower(),
        channel_id=QUEUE_CHANNEL,
        message_ts=card.ts,
        action_id=action_id,
        value=reference,
    )
    return workspace.slack.socket_send("interactive", socket_payload(body))


async def new_case(workspace: Workspace) -> str:
    reference = await register_complaint(workspace.app)
    await workspace.deliver()
    return reference


async def test_it_connects_with_the_app_level_token_through_the_configured_api(
    socket_workspace: Workspace,
) -> None:
    slack = socket_workspace.slack
    # Once to check the token (a refused one stops the start), once for the connection.
    assert slack.count("apps.connections.open") == 2
    assert slack.socket_connections == 1
    # Only Socket Mode is the way in: the HTTP webhooks are not served.
    answer = await socket_workspace.http.post("/webhooks/slack/interactivity", content=b"x=1")
    assert answer.status_code == 404


async def test_the_slash_command_is_answered_in_the_ack(socket_workspace: Workspace) -> None:
    slack = socket_workspace.slack
    envelope_id = slack.socket_send("slash_commands", command(slack, "help"))
    ack = await acked(slack, envelope_id)
    assert ack["envelope_id"] == envelope_id
    assert ack["payload"]["response_type"] == "ephemeral"
    assert "/complaint mine" in ack["payload"]["text"]


async def test_assign_to_me_over_the_socket_assigns_the_case(socket_workspace: Workspace) -> None:
    workspace = socket_workspace
    reference = await new_case(workspace)
    envelope_id = await press(workspace, reference, "case_assign_me")
    ack = await acked(workspace.slack, envelope_id)
    assert ack == {"envelope_id": envelope_id}  # acknowledged at once, the work comes after

    async def assigned() -> bool:
        return (await workspace.case(reference)).assignee == f"alice (slack:{ALICE})"

    await eventually(assigned)
    [event] = [e for e in await workspace.events(reference) if e.kind == "assigned"]
    assert event.channel == "slack"
    await workspace.deliver()
    card = await workspace.card(reference)
    assert f"<@{ALICE}>" in json.dumps(card.blocks)


async def test_a_message_in_the_cards_thread_arrives_as_an_event_and_is_a_note(
    socket_workspace: Workspace,
) -> None:
    workspace = socket_workspace
    reference = await new_case(workspace)
    card = await workspace.card(reference)
    event = message_event(
        channel=QUEUE_CHANNEL, user=ALICE, text="Called the courier", ts=f"{card.ts}9"
    )
    event["thread_ts"] = card.ts
    body = event_callback_body(team_id=TEAM, event=event)
    envelope_id = workspace.slack.socket_send("events_api", socket_payload(body))
    assert await acked(workspace.slack, envelope_id) == {"envelope_id": envelope_id}

    async def noted() -> bool:
        return any(e.kind == "note" for e in await workspace.events(reference))

    await eventually(noted)
    [note] = [e for e in await workspace.events(reference) if e.kind == "note"]
    assert note.data["text"] == "Called the courier"


async def test_a_press_from_another_workspace_is_not_acted_on(
    socket_workspace: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    workspace = socket_workspace
    reference = await new_case(workspace)
    caplog.set_level(logging.WARNING, logger="bot.slack.console")
    envelope_id = await press(workspace, reference, "case_escalate", team_id="T0OTHER")

    async def refused() -> bool:
        return any("another workspace (T0OTHER)" in r.getMessage() for r in caplog.records)

    await eventually(refused)
    # A later press from our workspace is handled: the refused one was not merely slow.
    later = await press(workspace, reference, "case_assign_me")
    await acked(workspace.slack, later)

    async def assigned() -> bool:
        return (await workspace.case(reference)).assignee is not None

    await eventually(assigned)
    assert workspace.slack.socket_ack(envelope_id) is None
    assert (await workspace.case(reference)).status != "escalated"
    changes = [e for e in await workspace.events(reference) if e.kind == "status_changed"]
    assert "escalated" not in [e.to_status for e in changes]


async def test_after_slack_asks_it_to_reconnect_it_still_answers(
    socket_workspace: Workspace,
) -> None:
    slack = socket_workspace.slack
    slack.socket_disconnect("refresh_requested")
    await asyncio.to_thread(slack.wait_for, lambda s: s.socket_connections == 2)
    await asyncio.to_thread(slack.wait_for, lambda s: s.socket_connected)
    envelope_id = slack.socket_send("slash_commands", command(slack, "help"))
    assert "/complaint mine" in (await acked(slack, envelope_id))["payload"]["text"]
    assert slack.count("apps.connections.open") == 3


def test_apps_connections_open_wants_the_app_level_token() -> None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    with FakeSlackApi() as fake:
        client = WebClient(token=fake.bot_token, base_url=fake.url)
        url = client.apps_connections_open(app_token=fake.app_token)["url"]
        assert url.startswith("ws://127.0.0.1:")
        assert "/socket/" in url
        for token, error in (
            (fake.bot_token, "not_allowed_token_type"),
            ("xapp-1-A0-1-nope", "invalid_auth"),
        ):
            with pytest.raises(SlackApiError) as raised:
                client.apps_connections_open(app_token=token)
            assert raised.value.response["error"] == error
        # ... and the bot's methods do not take the app-level token.
        with pytest.raises(SlackApiError) as raised:
            WebClient(token=fake.app_token, base_url=fake.url).auth_test()
        assert raised.value.response["error"] == "not_allowed_token_type"


async def test_a_refused_app_token_stops_the_start_with_the_reason(
    slack_settings: Settings, slack: FakeSlackApi, clock: FakeClock
) -> None:
    settings = slack_settings.model_copy(
        update={"slack_mode": "socket", "slack_app_token": SecretStr("xapp-1-wrong")}
    )
    application = App.create(settings, clock=clock, random=SeededRandom())
    try:
        with pytest.raises(ChannelUnavailable, match="refused the app-level token"):
            async with socket_mode(application):
                pytest.fail("Socket Mode started with a refused token")
    finally:
        await application.close()
