"""The application as the tests run it: migrated, on a fake clock, and over HTTP in-process."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx

from bot.services.app import App
from bot.settings import Settings
from bot.storage.migrate import upgrade
from bot.web import create_web_app
from fakes import FakeClock, SeededRandom


@contextlib.asynccontextmanager
async def migrated_app(settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    """The application on a migrated database, with a fake clock and seeded randomness."""
    application = App.create(settings, clock=clock, random=SeededRandom())
    await upgrade(application.engine)
    try:
        yield application
    finally:
        await application.close()


@contextlib.asynccontextmanager
async def web_client(app: App, base_url: str) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client calling the app's web routes in-process, as a provider would."""
    transport = httpx.ASGITransport(app=create_web_app(app))
    async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
        yield http
