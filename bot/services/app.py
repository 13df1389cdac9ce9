"""The application context: settings, database, templates, rules, clock and randomness."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import load_intake_settings
from bot.rendering import Renderer
from bot.settings import Settings
from bot.storage.database import create_engine, session_factory
from workflows.intake import IntakeSettings
from workflows.references import RandomSource

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The real clock, timezone-aware UTC."""
    return datetime.now(UTC)


class SystemRandom:
    """Cryptographic randomness for reference numbers (not guessable)."""

    def randbelow(self, n: int, /) -> int:
        """A random integer in [0, n)."""
        return secrets.randbelow(n)


@dataclass
class App:
    """What every service function needs; built once per process."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    renderer: Renderer
    intake: IntakeSettings
    clock: Clock
    random: RandomSource

    @staticmethod
    def create(
        settings: Settings, clock: Clock = utc_now, random: RandomSource | None = None
    ) -> App:
        """Build the context from settings (loads templates and rules, opens no connection)."""
        engine = create_engine(settings.database)
        return App(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            renderer=Renderer(settings.templates_dir, settings.locale, settings.organisation),
            intake=load_intake_settings(settings),
            clock=clock,
            random=random or SystemRandom(),
        )

    async def close(self) -> None:
        """Release database connections."""
        await self.engine.dispose()
