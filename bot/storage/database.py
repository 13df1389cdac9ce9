"""Engines and sessions for SQLite (embedded default) and PostgreSQL (scale-out)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.storage.sealing import AUDIT_KEY, KeyFile

SQLITE_BUSY_TIMEOUT_MS = 30_000
# Execution option marking a connection whose transaction will write (see App.transaction).
SQLITE_WRITE = "complaintbot_sqlite_write"


def create_engine(url: str) -> AsyncEngine:
    """Create an engine; SQLite gets WAL, a busy timeout, foreign keys and write locks."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_async_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        # Complaints are personal data: a folder made for them is the operator's alone.
        Path(parsed.database).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    engine = create_async_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves (below) instead of the driver's deferred one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # SQLite has no row locks: a unit of work that will write takes the write lock at
        # BEGIN, so two processes serialise cleanly instead of failing to upgrade a read lock.
        # Reads (cases list, readiness) begin deferred and never wait behind writers.
        write = connection.get_execution_options().get(SQLITE_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def session_factory(engine: AsyncEngine, audit_key: KeyFile) -> async_sessionmaker[AsyncSession]:
    """Sessions that keep loaded objects usable after commit, and seal the events they write."""
    return async_sessionmaker(engine, expire_on_commit=False, info={AUDIT_KEY: audit_key})


def supports_skip_locked(engine: AsyncEngine) -> bool:
    """Whether several workers can claim rows concurrently (PostgreSQL) or one must (SQLite)."""
    return engine.dialect.name == "postgresql"


# How long readiness waits for the write lock or an answer before calling the database unready.
READY_TIMEOUT_SECONDS = 2.0


async def write_problem(engine: AsyncEngine, wait: float = READY_TIMEOUT_SECONDS) -> str | None:
    """Why a write would not go through now (locked, read-only, unreachable), or None."""
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        if not path or path == ":memory:":
            return None
        return await asyncio.to_thread(_sqlite_write_problem, path, wait)
    try:
        async with asyncio.timeout(wait), engine.connect() as connection:
            read_only = await connection.scalar(text("SHOW transaction_read_only"))
    except TimeoutError:
        return "no answer"
    except Exception as error:  # what a server that is down raises varies by driver
        return type(error).__name__
    return "read-only" if read_only == "on" else None


def _sqlite_write_problem(path: str, timeout: float) -> str | None:
    # A connection of its own, with a short busy timeout: the engine's waits 30 s.
    try:
        connection = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=timeout)
    except sqlite3.Error as error:
        return str(error)
    try:
        connection.isolation_level = None
        connection.execute("BEGIN IMMEDIATE")  # waits for the write lock (locked: fails)
        # A write, rolled back: a read-only file (permissions, an immutable flag) only shows
        # when something is written.
        connection.execute("CREATE TABLE main.complaintbot_ready_probe (x)")
        connection.execute("ROLLBACK")
    except sqlite3.Error as error:
        return str(error)
    finally:
        connection.close()
    return None
