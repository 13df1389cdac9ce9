"""The application context: settings, database, templates, rules, clock and randomness."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from pydantic import SecretStr
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.config_files import load_destinations
from bot.destinations import StaffDestinations
from bot.outbox_notify import notifies, notify_outbox
from bot.rendering import Renderer
from bot.services.journal import InboundJournal
from bot.settings import Settings
from bot.storage.database import SQLITE_WRITE, create_engine, session_factory
from bot.storage.models import Outbox
from bot.storage.sealing import KeyFile
from workflows.references import RandomSource

if TYPE_CHECKING:
    from bot.locales import Locales

    # dnspython is imported only when mail is checked (not by every staff command).
    from channels.email.dns_lookup import Resolver
    from workflows.intake import IntakeSettings

Clock = Callable[[], datetime]
# Marked on a session whose flush added outbox rows (see _note_outbox).
OUTBOX_ADDED = "complaintbot_outbox_added"


@event.listens_for(Session, "after_flush")
def _note_outbox(session: Session, _context: object) -> None:
    if any(isinstance(row, Outbox) for row in session.new):
        session.info[OUTBOX_ADDED] = True


def _secret(value: SecretStr | None) -> str | None:
    return value.get_secret_value() if value is not None else None


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
    clock: Clock
    random: RandomSource
    staff: StaffDestinations
    # Webhook messages the database could not take in time, until it can.
    journal: InboundJournal
    # Loaded on first use when made with ``create(lazy=True)`` (see ``intake``, ``locales``).
    _intake: IntakeSettings | None = None
    _locales: Locales | None = None
    # DNS for checking email senders (made on first use; a test sets a fake one).
    resolver: Resolver | None = None
    # Threads for those checks, apart from the shared ones (see bot.mail.check_sender).
    sender_check_pool: ThreadPoolExecutor | None = None
    _write_lock: asyncio.Lock | None = None
    _outbox_wakers: list[asyncio.Event] = field(default_factory=list)
    # Clients opened for the HTTP routes (a channel's API client), closed with the app.
    _closers: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    @property
    def intake(self) -> IntakeSettings:
        """The intake's words and rules in the default language."""
        if self._intake is None:
            # Imported here: the intake's words and models are most of a staff command's start.
            from bot.config import load_intake_settings

            self._intake = load_intake_settings(self.settings)
        return self._intake

    @property
    def locales(self) -> Locales:
        """The languages customers are answered in (``renderer`` is the default's, for staff)."""
        if self._locales is None:
            from bot.locales import Locales

            self._locales = Locales.load(self.settings, self.renderer, self.intake)
        return self._locales

    def on_close(self, closer: Callable[[], Awaitable[None]]) -> None:
        """Have ``close`` also run ``closer`` (closing a client a route opened)."""
        self._closers.append(closer)

    def outbox_waker(self) -> asyncio.Event:
        """An event set whenever a commit in this process adds outbox rows (one per caller)."""
        waker = asyncio.Event()
        self._outbox_wakers.append(waker)
        return waker

    def forget_outbox_waker(self, waker: asyncio.Event) -> None:
        """Stop setting ``waker`` (its dispatcher has stopped)."""
        if waker in self._outbox_wakers:
            self._outbox_wakers.remove(waker)

    def _committed(self, session: AsyncSession) -> None:
        if session.info.pop(OUTBOX_ADDED, False):
            # Replies leave within milliseconds instead of at the dispatcher's next poll.
            for waker in self._outbox_wakers:
                waker.set()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: a session in a transaction, committed on success."""
        if self.engine.dialect.name != "sqlite":
            async with self.sessions() as session:
                async with session.begin():
                    yield session
                    if notifies(self.engine):
                        await session.flush()
                        if session.info.get(OUTBOX_ADDED):
                            await notify_outbox(session)  # dispatchers in other processes
                self._committed(session)
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
            self._committed(session)

    @staticmethod
    def create(
        settings: Settings,
        clock: Clock = utc_now,
        random: RandomSource | None = None,
        *,
        lazy: bool = False,
    ) -> App:
        """Build the context from settings (loads templates and rules, opens no connection).

        ``lazy``: the customer languages' words, lexicons and models (most of a second) are
        loaded when first used, for staff commands that never read a customer's message; a
        mistake in them is then a ConfigError at that use, not here.
        """
        engine = create_engine(settings.database)
        renderer = Renderer.for_staff(settings)
        app = App(
            settings=settings,
            engine=engine,
            sessions=session_factory(
                engine, KeyFile(settings.audit_key_file, _secret(settings.audit_key))
            ),
            renderer=renderer,
            clock=clock,
            random=random or SystemRandom(),
            staff=load_destinations(settings),
            journal=InboundJournal(settings.journal_path),
        )
        if not lazy:
            app.locales  # noqa: B018 (loads and checks every language's files now)
        return app

    async def close(self) -> None:
        """Release clients the routes opened, and the database connections."""
        closers, self._closers = self._closers, []
        for closer in closers:
            await closer()
        self.journal.close()
        await self.engine.dispose()
