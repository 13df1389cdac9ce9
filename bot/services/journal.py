"""A local journal for inbound messages the database could not take in time.

A provider's webhook must be answered within its timeout (Twilio gives up after 15 s and,
unless told otherwise, never sends the text again). When the database is locked, slow or gone,
the verified message is appended here, fsynced, and the provider is answered 200; a replayer
hands the entries to intake in order once the database is back. Intake deduplicates by the
provider's message id, so an entry handled twice (a crash between handling and dropping it,
or a slow transaction that committed after all) is handled once.

Each ``serve`` process writes its own file and holds an exclusive lock on it while it lives;
a file nobody holds belongs to a process that stopped, and any process replays it.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import fcntl
import json
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from channels.base import Attachment, InboundMessage, SenderCheck

log = logging.getLogger(__name__)
SUFFIX = ".jsonl"
# Lines that could not be read back are kept here for an operator, never dropped.
UNREADABLE = "unreadable.txt"

Handler = Callable[[InboundMessage], Awaitable[object]]
_BYTES = ("raw",)


def encode(message: InboundMessage) -> bytes:
    """One journal line for ``message`` (JSON; bytes as base64, times as ISO 8601)."""
    data: dict[str, Any] = asdict(message)
    data["received_at"] = message.received_at.isoformat()
    for name in _BYTES:
        data[name] = base64.b64encode(data[name]).decode("ascii")
    data["attachments"] = [
        {**a, "content": None if a["content"] is None else base64.b64encode(a["content"]).decode()}
        for a in data["attachments"]
    ]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


def decode(line: bytes) -> InboundMessage:
    """The message a journal line holds; ValueError (or KeyError) if it is not one."""
    data = json.loads(line)
    known = {f.name for f in fields(InboundMessage)}
    values = {name: value for name, value in data.items() if name in known}
    values["received_at"] = datetime.fromisoformat(values["received_at"])
    for name in _BYTES:
        values[name] = base64.b64decode(values[name])
    values["thread_ids"] = tuple(values.get("thread_ids", ()))
    values["flags"] = tuple(values.get("flags", ()))
    sender = values.get("sender")
    values["sender"] = SenderCheck(**sender) if sender else None
    values["attachments"] = tuple(
        Attachment(
            **{
                **a,
                "content": None if a["content"] is None else base64.b64decode(a["content"]),
            }
        )
        for a in values.get("attachments", ())
    )
    return InboundMessage(**values)


class InboundJournal:
    """This process's journal file, and the files of processes that stopped."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._path = directory / f"{os.getpid()}-{uuid.uuid4().hex[:8]}{SUFFIX}"
        self._file: IO[bytes] | None = None
        # Bytes of our own file already handed to intake (a partly replayed file).
        self._done = 0
        self._size = 0
        self._lock = asyncio.Lock()
        self.appended = asyncio.Event()

    @property
    def holding(self) -> bool:
        """True while our own file has entries not yet in the database.

        New messages then join the journal behind them, so each customer's messages reach
        the workflow in the order they were sent.
        """
        return self._size > self._done

    def waiting(self) -> int:
        """How many journaled messages (ours and stopped processes') wait for the database."""
        count = 0
        for path in self._files():
            with contextlib.suppress(OSError), path.open("rb") as file:
                if path == self._path:
                    file.seek(self._done)
                count += sum(1 for line in file if line.endswith(b"\n"))
        return count

    async def append(self, message: InboundMessage) -> None:
        """Write ``message`` durably (fsynced) at the end of our file; OSError if it cannot."""
        line = encode(message)
        async with self._lock:
            await asyncio.to_thread(self._write, line)
        self.appended.set()

    async def replay(self, handle: Handler) -> int:
        """Hand every journaled message to ``handle`` in order and drop those it took.

        Stops at the first database error, which propagates: that entry and the ones after
        it stay for the next replay. Returns how many entries were handled.
        """
        handled = 0
        for path in self._files():
            if path != self._path:
                handled += await self._replay_orphan(path, handle)
        while self.holding:
            async with self._lock:
                lines = await asyncio.to_thread(self._read_from, self._path, self._done)
            for line in lines:
                await _handle_line(line, handle, self.directory)
                self._done += len(line)
                handled += 1
            async with self._lock:
                if self._done == self._size and self._file is not None:
                    # Everything is in the database: start the file again, so it stays small.
                    await asyncio.to_thread(self._truncate)
        return handled

    def close(self) -> None:
        """Release our file (and its lock); an empty file is removed."""
        if self._file is None:
            return
        file, self._file = self._file, None
        if not self.holding:
            with contextlib.suppress(OSError):
                self._path.unlink()
        file.close()

    def _files(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob(f"*{SUFFIX}"), key=_age)

    def _write(self, line: bytes) -> None:
        if self._file is None:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            descriptor = os.open(self._path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
            file = os.fdopen(descriptor, "r+b", buffering=0)
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _fsync_directory(self.directory)
            self._file = file
        try:
            written = 0
            while written < len(line):
                written += os.write(self._file.fileno(), line[written:])
            os.fsync(self._file.fileno())
        except OSError:
            # A half-written line would swallow the next one: cut back to the last whole line.
            with contextlib.suppress(OSError):
                os.truncate(self._file.fileno(), self._size)
            raise
        self._size += len(line)

    def _truncate(self) -> None:
        assert self._file is not None
        os.truncate(self._file.fileno(), 0)
        os.fsync(self._file.fileno())
        self._size = self._done = 0

    @staticmethod
    def _read_from(path: Path, offset: int) -> list[bytes]:
        with path.open("rb") as file:
            file.seek(offset)
            return [line for line in file if line.endswith(b"\n")]

    async def _replay_orphan(self, path: Path, handle: Handler) -> int:
        claimed = await asyncio.to_thread(_claim, path)
        if claimed is None:
            return 0
        file, lines = claimed
        handled = 0
        try:
            for line in lines:
                if not line.endswith(b"\n"):
                    # Cut off by a crash while writing: never answered 200, so the provider
                    # still has it and will send it again.
                    log.warning("ignored a half-written last line in %s", path.name)
                    break
                await _handle_line(line, handle, self.directory)
                handled += 1
        except BaseException:
            # Keep only what is not done yet; a crash before this re-handles the done ones,
            # which intake takes as duplicates.
            await asyncio.to_thread(_release, file, path, lines[handled:])
            raise
        await asyncio.to_thread(_release, file, path, [])
        log.info("replayed %d journaled messages from %s", handled, path.name)
        return handled


def _claim(path: Path) -> tuple[IO[bytes], list[bytes]] | None:
    """A stopped process's file, locked, and its lines; None if a live process holds it."""
    try:
        file = path.open("r+b")
    except FileNotFoundError:
        return None  # another process replayed and removed it just now
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        file.close()
        return None  # a live process's own journal
    if not path.exists():
        file.close()
        return None
    return file, file.read().splitlines(keepends=True)


def _release(file: IO[bytes], path: Path, rest: list[bytes]) -> None:
    """Leave only ``rest`` in a claimed file (removing it when nothing is left), and unlock."""
    with file:
        if not rest:
            path.unlink()
            return
        file.seek(0)
        file.write(b"".join(rest))
        file.truncate()
        os.fsync(file.fileno())


async def _handle_line(line: bytes, handle: Handler, directory: Path) -> None:
    try:
        message = decode(line)
    except (ValueError, KeyError, TypeError):
        log.error("kept an unreadable journal line in %s", UNREADABLE)
        with (directory / UNREADABLE).open("ab") as kept:
            kept.write(line)
        return
    await handle(message)


def _age(path: Path) -> float:
    with contextlib.suppress(OSError):
        return path.stat().st_mtime
    return 0.0


def _fsync_directory(directory: Path) -> None:
    # The new file's name is durable only once its directory is synced.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
