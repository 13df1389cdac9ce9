"""Schema migrations with Alembic, run on the application's own async engine.

Alembic is imported only to change the schema: every command checks that the database is at
the newest revision, and that check reads the revision files and the database directly (half
a second less to start a command).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.revisions import MIGRATIONS, head_revision

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration pointing at bot/migrations (no alembic.ini needed)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


async def upgrade(engine: AsyncEngine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``."""

    from alembic import command
    from alembic.util.exc import CommandError

    def run(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), revision)

    async with engine.begin() as connection:
        try:
            await connection.run_sync(run)
        except CommandError as error:
            raise MigrationError(str(error)) from error


async def current_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (None for an empty database)."""

    def read(connection: Connection) -> str | None:
        if not inspect(connection).has_table("alembic_version"):
            return None
        found = connection.execute(text("SELECT version_num FROM alembic_version")).scalars()
        return next(iter(found), None)

    async with engine.connect() as connection:
        return await connection.run_sync(read)


class MigrationError(RuntimeError):
    """Alembic could not do what was asked (a database newer than this code, say)."""


class SchemaOutOfDate(RuntimeError):
    """The database is behind the code and will not be upgraded automatically."""


async def ensure_schema(engine: AsyncEngine) -> None:
    """Upgrade SQLite by itself; ask for `complaintbot db upgrade` on a shared server."""
    current = await current_revision(engine)
    if engine.dialect.name == "sqlite":
        if current != head_revision():
            await upgrade(engine)
        return
    if current != head_revision():
        raise SchemaOutOfDate(
            f"the database is at revision {current or 'none'}, the code needs "
            f"{head_revision()}: run `complaintbot db upgrade`"
        )


async def make_revision(engine: AsyncEngine, message: str) -> None:
    """Write a new migration from the difference between the models and a database at head."""

    from alembic import command
    from alembic.util.exc import CommandError

    def run(connection: Connection) -> None:
        command.revision(alembic_config(connection), message=message, autogenerate=True)

    await upgrade(engine)
    async with engine.begin() as connection:
        try:
            await connection.run_sync(run)
        except CommandError as error:
            raise MigrationError(str(error)) from error
