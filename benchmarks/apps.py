"""The application on a fresh database (SQLite in a temporary folder, or one given)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

from bot.services.app import App
from bot.settings import Settings
from bot.storage.migrate import upgrade
from fakes import FakeClock, SeededRandom


@contextlib.asynccontextmanager
async def fresh_app(
    keep: Path | None = None, database_url: str | None = None
) -> AsyncIterator[App]:
    """A migrated app on its own SQLite file, closed and removed afterwards; in ``keep``
    instead (made if missing, never removed), to fill a large database once and time it often;
    on ``database_url`` (an empty database) when given."""
    with contextlib.ExitStack() as stack:
        folder = keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        folder.mkdir(parents=True, exist_ok=True)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=folder,
            database_url=database_url or f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        )
        app = App.create(settings, clock=FakeClock(), random=SeededRandom())
        await upgrade(app.engine)
        try:
            yield app
        finally:
            await app.close()
