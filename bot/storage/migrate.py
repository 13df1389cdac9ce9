"""Schema migrations with Alembic, run on the application's own async engine."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at bot/migrations (no alembic.ini needed)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``."""

    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as connection:
        await connection.run_sync(run)


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)


def head_revision() -> str:
    """The newest revision the code knows."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


class SchemaOutOfDate(RuntimeError):
    """The database is behind the code and will not be upgraded automatically."""


async def ensure_schema(engine: AsyncEngine) -> None:
    """Upgrade SQLite by itself; ask for `complaintbot db upgrade` on a shared server."""
    if engine.dialect.name == "sqlite":
        await upgrade(engine)
        return
    current = await current_revision(engine)
    if current != head_revision():
        raise SchemaOutOfDate(
            f"the database is at revision {current or 'none'}, the code needs "
            f"{head_revision()}: run `complaintbot db upgrade`"
        )


async def make_revision(engine: AsyncEngine, message: str) -> None:
    """Write a new migration from the difference between the models and a database at head."""

    def run(connection: Connection) -> None:
        command.revision(alembic_config(connection), message=message, autogenerate=True)

    await upgrade(engine)
    async with engine.begin() as connection:
        await connection.run_sync(run)
