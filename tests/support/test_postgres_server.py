"""Self-test of the private PostgreSQL server used by the test suite."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from fakes import postgres
from fakes.postgres import PostgresServer, PostgresUnavailable, postgres_url_for_tests


async def _probe(dsn: str) -> dict[str, object]:
    connection = await asyncpg.connect(dsn)
    try:
        return {
            "one": await connection.fetchval("select 1"),
            "fsync": await connection.fetchval("show fsync"),
            "listen": await connection.fetchval("show listen_addresses"),
            "database": await connection.fetchval("select current_database()"),
        }
    finally:
        await connection.close()


@pytest.mark.postgres
def test_private_server_serves_queries_and_leaves_nothing_behind() -> None:
    server = PostgresServer()
    server.start()
    try:
        base_dir = server.base_dir
        assert server.url == (
            f"postgresql+asyncpg://postgres@127.0.0.1:{server.port}/complaintbot_test"
        )
        assert server.dsn == f"postgresql://postgres@127.0.0.1:{server.port}/complaintbot_test"
        result = asyncio.run(_probe(server.dsn))
    finally:
        server.stop()

    assert result == {
        "one": 1,
        "fsync": "off",
        "listen": "127.0.0.1",
        "database": "complaintbot_test",
    }
    assert not base_dir.exists()
    server.stop()  # a second stop is harmless


def test_configured_url_is_used_without_starting_a_server(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    configured = "postgresql+asyncpg://someone@db.example:5433/elsewhere"
    monkeypatch.setenv(postgres.DATABASE_URL_ENV, configured)
    monkeypatch.setattr(PostgresServer, "start", _must_not_start)

    with postgres_url_for_tests() as url:
        assert url == configured


def test_missing_binaries_raise_a_helpful_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    monkeypatch.setattr(postgres, "DEBIAN_BIN_GLOB", "/nonexistent/postgresql/*/bin")

    with pytest.raises(PostgresUnavailable, match="apt-get install postgresql") as raised:
        PostgresServer().start()
    assert postgres.DATABASE_URL_ENV in str(raised.value)


def _must_not_start(self: PostgresServer) -> None:
    raise AssertionError("no server should start when a URL is configured")
