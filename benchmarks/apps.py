"""The application on a fresh SQLite database in a temporary folder, for benchmarks."""

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
async def fresh_app() -> AsyncIterator[App]:
    """A migrated app on its own SQLite file, closed and removed afterwards."""
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(folder),
            database_url=f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}",
        )
        app = App.create(settings, clock=FakeClock(), random=SeededRandom())
        await upgrade(app.engine)
        try:
            yield app
        finally:
            await app.close()
