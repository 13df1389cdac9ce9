"""Every channel plugs in at one place: serve, /readyz and the web app read the registry."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from starlette.routing import Route

from bot.registry import CHANNELS, live_channels
from bot.services.app import App
from bot.settings import Settings
from bot.web import create_web_app


def paths(settings: Settings) -> set[str]:
    web = create_web_app(App.create(settings))
    return {route.path for route in web.routes if isinstance(route, Route)}


def test_channel_names_are_unique_and_say_why_they_are_off(tmp_path: Path) -> None:
    names = [channel.name for channel in CHANNELS]
    assert len(names) == len(set(names))
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    states = {channel.name: channel.state(settings) for channel in CHANNELS}
    assert states["sms"].reason == "sms_no_credentials"
    assert states["slack"].reason == "slack_no_token"
    assert [c.name for c in live_channels(settings)] == ["console", "staff-feed", "email"]


def test_a_channel_is_served_only_when_its_settings_turn_it_on(tmp_path: Path) -> None:
    off = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert paths(off) == {"/healthz", "/readyz"}
    on = off.model_copy(
        update={
            "slack_bot_token": SecretStr("xoxb-1"),
            "slack_signing_secret": SecretStr("s"),
            "slack_team_id": "T0TEST",
            "twilio_account_sid": "AC" + "0" * 32,
            "twilio_auth_token": SecretStr("t"),
            "twilio_from_number": "+447700900000",
        }
    )
    served = paths(on)
    assert {"/webhooks/slack/events", "/webhooks/slack/interactivity"} <= served
    assert "/webhooks/twilio/sms" in served
    socket = on.model_copy(update={"slack_mode": "socket", "slack_app_token": SecretStr("x")})
    assert not {p for p in paths(socket) if p.startswith("/webhooks/slack")}


def test_the_banner_says_how_email_senders_are_checked(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    email = next(channel for channel in CHANNELS if channel.name == "email")
    assert "senders checked (SPF, DKIM, DMARC" in email.state(settings).value
    off = settings.model_copy(update={"email_sender_checks": "off"})
    assert "senders NOT checked" in email.state(off).value
