"""The application context: settings, database, templates, rules, clock and randomness."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import load_destinations, load_intake_settings
from bot.destinations import StaffDestinations
from bot.locales import Locales
from bot.rendering import Renderer
from bot.services.journal import InboundJournal
from bot.settings import Settings
from bot.storage.database import SQLITE_WRITE, create_engine, session_factory
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
    staff: StaffDestinations
    # The languages customers are answered in ("renderer" above is the default's, for staff).
    locales: Locales
    # Webhook messages the database could not take in time, until it can.
    journal: InboundJournal
    _write_lock: asyncio.Lock | None = None
    # Clients opened for the HTTP routes (a channel's API client), closed with the app.
    _closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Have ``close`` also run ``closer`` (closing a client a route opened)."""
        self._closers.append(closer)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: a session in a transaction, committed on success."""
        if self.engine.dialect.name != "sqlite":
            async with self.sessions() as session, session.begin():
                yield session
            return
        # SQLite has one writer at a time. Queue this process's writers here, in order, instead
        # of in SQLite's busy handler, which sleeps and polls: at 10 concurrent conversations
        # the worst message went from 4.3 s to 0.13 s (p95 336 ms to 115 ms) at the same
        # throughput (benchmarks/intake.py). Other processes still meet the busy timeout.
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        async with self._write_lock, self.sessions() as session:
            # Begins the transaction with the write lock taken (see storage.database).
            await session.connection(execution_options={SQLITE_WRITE: True})
            try:
                yield session
            except BaseException:
                await session.rollback()
                raise
            await session.commit()

    @staticmethod
    def create(
        settings: Settings, clock: Clock = utc_now, random: RandomSource | None = None
    ) -> App:
        """Build the context from settings (loads templates and rules, opens no connection)."""
        engine = create_engine(settings.database)
        renderer = Renderer(
            settings.templates_dir,
            settings.locale,
            settings.organisation,
            settings.reference_prefix,
            settings.zone,
        )
        intake = load_intake_settings(settings)
        return App(
            settings=settings,
            engine=engine,
            sessions=session_factory(engine),
            renderer=renderer,
            intake=intake,
            clock=clock,
            random=random or SystemRandom(),
            staff=load_destinations(settings),
            locales=Locales.load(settings, renderer, intake),
            journal=InboundJournal(settings.journal_path),
        )

    async def close(self) -> None:
        """Release clients the routes opened, and the database connections."""
        closers, self._closers = self._closers, []
        for closer in closers:
            await closer()
        self.journal.close()
        await self.engine.dispose()
