"""Fixtures for the shell's tests: email through a real SMTP server and relay."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from bot.mail import deliver_mail
from bot.services.app import App
from bot.settings import Settings
from channels.email.server import ComplaintsMailHandler, start_smtp_server, stop_smtp_server
from fakes import FakeClock
from fakes.smtp_sink import SmtpSink
from tests.bot.mailing import COMPLAINTS, free_port
from tests.support.apps import migrated_app


@pytest.fixture
def relay() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


def mail_settings(tmp_path: Path, database_url: str, relay: SmtpSink, **changes: Any) -> Settings:
    """Settings for email tests: the complaints address, replies to the fake relay."""
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "database_url": database_url,
        "complaint_addresses": COMPLAINTS,
        "relay_host": "127.0.0.1",
        "relay_port": relay.port,
        "relay_starttls": False,
        "organisation": "Example Ltd",
    }
    return Settings(_env_file=None, **(values | changes))  # type: ignore[call-arg]


@pytest.fixture
async def mail_app(
    tmp_path: Path, database_url: str, clock: FakeClock, relay: SmtpSink
) -> AsyncIterator[App]:
    settings = mail_settings(tmp_path, database_url, relay)
    async with migrated_app(settings, clock) as application:
        yield application


@asynccontextmanager
async def smtp_for(app: App) -> AsyncIterator[int]:
    """The real SMTP server delivering into ``app``, on a free port."""
    port = free_port()
    handler = ComplaintsMailHandler([COMPLAINTS], partial(deliver_mail, app))
    server = await start_smtp_server(
        handler, "127.0.0.1", port, hostname="example.com", data_size_limit=1_000_000
    )
    try:
        yield port
    finally:
        await stop_smtp_server(server)
        await handler.drain()


@pytest.fixture
async def smtp_port(mail_app: App) -> AsyncIterator[int]:
    async with smtp_for(mail_app) as port:
        yield port
