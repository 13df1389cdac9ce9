"""The Twilio webhook tests' app, fake Twilio and HTTP client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.services.app import App
from bot.settings import Settings
from bot.storage.migrate import upgrade
from bot.web import create_web_app
from fakes import FakeClock, SeededRandom
from fakes.twilio_api import FakeTwilioApi

PUBLIC = "https://complaints.example.com"
INCOMING = f"{PUBLIC}/webhooks/twilio/sms"
STATUS = f"{PUBLIC}/webhooks/twilio/status"
NUMBER = "+447700900123"


@pytest.fixture
def twilio() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as fake:
        yield fake


@pytest.fixture
async def sms_app(
    tmp_path: Path, database_url: str, clock: FakeClock, twilio: FakeTwilioApi
) -> AsyncIterator[App]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        public_base_url=PUBLIC,
        twilio_account_sid=twilio.account_sid,
        twilio_auth_token=twilio.auth_token,
        twilio_from_number="+447700900000",
        twilio_api_base_url=twilio.url,
        max_webhook_bytes=16_384,
    )
    application = App.create(settings, clock=clock, random=SeededRandom())
    await upgrade(application.engine)
    yield application
    await application.close()


@pytest.fixture
async def client(sms_app: App) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_web_app(sms_app))
    async with httpx.AsyncClient(transport=transport, base_url=PUBLIC) as http:
        yield http
