"""Rows from the cases' tables, as objects templates read, from SQLite or PostgreSQL.

Values come back as the models give them: times as aware UTC datetimes, days as dates, JSON
columns decoded. Statements are written with ``?`` placeholders; PostgreSQL's are numbered.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

from bot.staff_reads.settings import ReadSettings
from bot.storage.revisions import head_revision

Row = SimpleNamespace


class Rows(Protocol):
    """Runs a query and gives its rows."""

    async def all(self, statement: str, *parameters: object) -> list[Row]:
        """Every row the statement gives."""
        ...

    async def close(self) -> None:
        """Let the database go."""
        ...


class Unreadable(Exception):
    """The database could not be read here: the full command says why, or mends it."""


class OutOfDate(Unreadable):
    """The database is not at the schema this code reads (the full command upgrades it)."""


@asynccontextmanager
async def opened(settings: ReadSettings) -> AsyncIterator[Rows]:
    """The database the settings name, read only, checked to be at the newest schema."""
    if settings.sqlite_path is not None:
        rows: Rows = _SQLite(settings.sqlite_path)
    else:
        rows = await _Postgres.connect(str(settings.postgres_dsn))
    try:
        try:
            found = await rows.all("SELECT version_num FROM alembic_version")
        except Unreadable:
            raise OutOfDate from None  # no schema at all
        if [row.version_num for row in found] != [head_revision()]:
            raise OutOfDate
        yield rows
    finally:
        await rows.close()


def _utc(text: bytes) -> datetime:
    return datetime.fromisoformat(text.decode()).replace(tzinfo=UTC)


def _day(text: bytes) -> date:
    return date.fromisoformat(text.decode())


def _json(text: bytes) -> Any:
    return json.loads(text)


# The column types SQLAlchemy declares on SQLite: it stores UTC times without their zone.
_CONVERTERS = {"DATETIME": _utc, "DATE": _day, "JSON": _json}


class _SQLite:
    """The standard library's sqlite3, opened read only (a missing file is not made)."""

    def __init__(self, path: Path) -> None:
        for declared, convert in _CONVERTERS.items():
            sqlite3.register_converter(declared, convert)
        try:
            self.connection = sqlite3.connect(
                f"{path.as_uri()}?mode=ro", uri=True, detect_types=sqlite3.PARSE_DECLTYPES
            )
        except sqlite3.Error as error:
            raise Unreadable(str(error)) from error
        self.connection.row_factory = sqlite3.Row

    async def all(self, statement: str, *parameters: object) -> list[Row]:
        """Every row the statement gives (an index lookup: no need to leave the loop)."""
        try:
            found = self.connection.execute(statement, parameters).fetchall()
        except sqlite3.Error as error:
            raise Unreadable(str(error)) from error
        return [Row(**dict(row)) for row in found]

    async def close(self) -> None:
        """Close the file."""
        self.connection.close()


class _Postgres:
    """asyncpg, which SQLAlchemy uses underneath on PostgreSQL."""

    def __init__(self, connection: Any, errors: tuple[type[Exception], ...]) -> None:
        self.connection = connection
        self._errors = errors  # what asyncpg raises when the database cannot answer

    @classmethod
    async def connect(cls, dsn: str) -> _Postgres:
        """A connection that decodes JSON columns as SQLAlchemy's JSON type does."""
        import asyncpg  # type: ignore[import-untyped]  # only on PostgreSQL (no type hints)

        errors = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError)
        try:
            connection = await asyncpg.connect(dsn)
            for kind in ("json", "jsonb"):
                await connection.set_type_codec(
                    kind, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
                )
        except errors as error:
            raise Unreadable(str(error)) from error
        return cls(connection, errors)

    async def all(self, statement: str, *parameters: object) -> list[Row]:
        """Every row the statement gives, its ``?`` placeholders numbered as asyncpg wants."""
        parts = statement.split("?")
        numbered = parts[0] + "".join(f"${n}{part}" for n, part in enumerate(parts[1:], 1))
        try:
            found: Sequence[Any] = await self.connection.fetch(numbered, *parameters)
        except self._errors as error:
            raise Unreadable(str(error)) from error
        return [Row(**dict(row)) for row in found]

    async def close(self) -> None:
        """Close the connection."""
        await self.connection.close()
