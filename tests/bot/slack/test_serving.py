"""How Slack reaches the console: readiness, the body-size cap, and the app's manifest."""

from __future__ import annotations

import json

from bot.settings import PROJECT_ROOT, Settings
from bot.slack.serving import COMMANDS_PATH, EVENTS_PATH, INTERACTIVITY_PATH
from fakes.slack_payloads import url_verification_body
from tests.bot.slack.conftest import URGENT_CHANNEL, Workspace

MANIFEST = PROJECT_ROOT / "config" / "slack-manifest.json"


async def test_readyz_says_slack_accepted_the_token_and_where_the_app_is_missing(
    workspace: Workspace,
) -> None:
    workspace.slack.add_channel(URGENT_CHANNEL, "complaints-urgent", bot_member=False)
    ready = await workspace.http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["slack"] == {
        "auth": "accepted",
        "team": "T0TEST",
        "not_in_channels": [URGENT_CHANNEL],
    }


async def test_readyz_is_unavailable_when_slack_refuses_the_token(workspace: Workspace) -> None:
    workspace.slack.revoke_token()
    ready = await workspace.http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["slack"]["auth"] == "refused: token_revoked"


async def test_slack_checks_the_url_with_a_challenge(workspace: Workspace) -> None:
    answer = await workspace.post(url_verification_body("abc123"), EVENTS_PATH)
    assert answer.status_code == 200
    assert "abc123" in answer.text


async def test_an_oversized_request_is_refused_before_it_is_read(workspace: Workspace) -> None:
    body = b"payload=" + b"x" * (workspace.app.settings.max_webhook_bytes + 1)
    answer = await workspace.post(body)
    assert answer.status_code == 413


def test_the_manifest_matches_what_the_console_serves_and_calls() -> None:
    manifest = json.loads(MANIFEST.read_text())
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == Settings(_env_file=None).slack_command  # type: ignore[call-arg]
    assert command["url"].endswith(COMMANDS_PATH)
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"].endswith(EVENTS_PATH)
    assert settings["interactivity"]["request_url"].endswith(INTERACTIVITY_PATH)
    assert {"app_home_opened", "message.channels"} <= set(
        settings["event_subscriptions"]["bot_events"]
    )
    assert manifest["features"]["app_home"]["home_tab_enabled"]
    # Every Web API method the console uses needs its scope.
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"chat:write", "commands", "users:read", "usergroups:read", "channels:read"} <= scopes
    assert "channels:history" in scopes  # thread messages become notes


async def test_readyz_says_unavailable_when_slack_cannot_be_reached(
    workspace: Workspace,
) -> None:
    workspace.slack.stop()
    ready = await workspace.http.get("/readyz")
    assert ready.status_code == 503
    assert "could not be reached" in ready.json()["slack"]["auth"]
