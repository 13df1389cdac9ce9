"""Fixtures shared by the whole suite: databases (SQLite and a real PostgreSQL) and the app."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import asyncpg
import pytest

from bot.services.app import App
from bot.settings import Settings
from fakes import FakeClock
from fakes.postgres import PostgresUnavailable, postgres_url_for_tests
from tests.support.apps import migrated_app

REQUIRE_POSTGRES = "COMPLAINTBOT_REQUIRE_POSTGRES"
# A shell that tried `make run` may still have it set: tests say which channels they want.
os.environ.pop("COMPLAINTBOT_PRETEND_CHANNELS", None)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """One PostgreSQL server for the whole run (started here unless one is given)."""
    try:
        with postgres_url_for_tests() as url:
            yield url
    except PostgresUnavailable as error:
        if os.environ.get(REQUIRE_POSTGRES):
            raise
        pytest.skip(f"PostgreSQL tests skipped: {error}")


def _plain(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex[:12]}"

    async def run(statement: str) -> None:
        connection = await asyncpg.connect(_plain(postgres_server_url))
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(run(f'CREATE DATABASE "{name}"'))
    yield _with_database(postgres_server_url, name)
    asyncio.run(run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs twice: on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        outbox_base_delay_seconds=10,
        outbox_max_delay_seconds=600,
        outbox_max_attempts=4,
    )


@pytest.fixture
async def app(settings: Settings, clock: FakeClock) -> AsyncIterator[App]:
    """The application on a migrated database, with a fake clock and seeded randomness."""
    async with migrated_app(settings, clock) as application:
        yield application
