"""The Twilio webhook tests' app, fake Twilio and HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.services.app import App
from bot.settings import Settings
from fakes import FakeClock
from fakes.twilio_api import FakeTwilioApi
from tests.support.apps import migrated_app, web_client

PUBLIC = "https://complaints.example.com"
INCOMING = f"{PUBLIC}/webhooks/twilio/sms"
STATUS = f"{PUBLIC}/webhooks/twilio/status"
NUMBER = "+447700900123"


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as fake:
        yield fake


def sms_settings(tmp_path: Path, database_url: str, twilio: FakeTwilioApi, **more: Any) -> Settings:
    """Settings with SMS on, sending through the fake Twilio API."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        public_base_url=PUBLIC,
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,
        twilio_from_number="+447700900000",
        twilio_api_base_url=twilio.url,
        **more,
    )


@pytest.fixture
async def sms_app(
    tmp_path: Path, database_url: str, clock: FakeClock, twilio: FakeTwilioApi
) -> AsyncIterator[App]:
    settings = sms_settings(tmp_path, database_url, twilio, max_webhook_bytes=16_384)
    async with migrated_app(settings, clock) as application:
        yield application


@pytest.fixture
async def client(sms_app: App) -> AsyncIterator[httpx.AsyncClient]:
    async with web_client(sms_app, PUBLIC) as http:
        yield http
