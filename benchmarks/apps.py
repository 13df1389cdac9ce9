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
async def fresh_app(keep: Path | None = None) -> AsyncIterator[App]:
    """A migrated app on its own SQLite file, closed and removed afterwards; in ``keep``
    instead (made if missing, never removed), to fill a large database once and time it often."""
    with contextlib.ExitStack() as stack:
        folder = keep or Path(stack.enter_context(tempfile.TemporaryDirectory()))
        folder.mkdir(parents=True, exist_ok=True)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=folder,
            database_url=f"sqlite+aiosqlite:///{folder / 'bench.db'}",
        )
        app = App.create(settings, clock=FakeClock(), random=SeededRandom())
        await upgrade(app.engine)
        try:
            yield app
        finally:
            await app.close()
