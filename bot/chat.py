"""`complaintbot chat`: a customer conversation in the terminal, through the real workflow."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import logging
import os
import sys
import termios
import threading
from collections.abc import Callable, Iterator
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.services.intake import handle_inbound
from bot.storage.migrate import ensure_schema
from bot.storage.models import Identity
from channels import console

log = logging.getLogger(__name__)
# Longer lines are refused whole (the workflow refuses much shorter ones politely).
LINE_LIMIT = 1 << 20
TOO_LONG = object()


class LineReader:
    """Lines from a byte stream, read in a daemon thread and handed to the event loop.

    A thread works for terminals, pipes and plain files alike, leaves the terminal in
    blocking mode, and, being a daemon, never holds up the exit on Ctrl-C.
    """

    def __init__(self, stream: BinaryIO, limit: int = LINE_LIMIT) -> None:
        self._loop = asyncio.get_running_loop()
        self._queue: asyncio.Queue[object] = asyncio.Queue()
        self._stream = stream
        self._limit = limit
        threading.Thread(target=self._run, name="stdin", daemon=True).start()

    async def readline(self) -> bytes | object | None:
        """The next line; None at end of input; TOO_LONG for a line over the limit."""
        return await self._queue.get()

    def _put(self, item: object) -> None:
        # RuntimeError: the loop has closed, the chat is over.
        with contextlib.suppress(RuntimeError):
            self._loop.call_soon_threadsafe(self._queue.put_nowait, item)

    def _run(self) -> None:
        fileno = getattr(self._stream, "fileno", None)
        if fileno is not None and os.isatty(fileno()):
            self._run_terminal(fileno())
            return
        while True:
            line = self._stream.readline(self._limit)
            if not line:
                self._put(None)
                return
            if len(line) >= self._limit and not line.endswith(b"\n"):
                while (rest := self._stream.readline(self._limit)) and not rest.endswith(b"\n"):
                    pass
                self._put(TOO_LONG)
                continue
            self._put(line)

    def _run_terminal(self, fd: int) -> None:
        """Read a terminal byte by byte: in the usual line mode the terminal itself cuts a
        line at 4,095 characters, so a long pasted complaint would lose its end unseen.

        Editing stays simple: backspace, Ctrl-U (clear the line), Enter, Ctrl-D on an empty
        line to finish; Ctrl-C interrupts as usual.
        """
        saved = termios.tcgetattr(fd)
        changed = termios.tcgetattr(fd)
        changed[3] &= ~(termios.ICANON | termios.ECHO)
        changed[6][termios.VMIN], changed[6][termios.VTIME] = 1, 0
        termios.tcsetattr(fd, termios.TCSADRAIN, changed)
        restore = functools.partial(termios.tcsetattr, fd, termios.TCSADRAIN, saved)
        atexit.register(restore)
        try:
            for item in _terminal_lines(fd, self._limit):
                self._put(item)
        finally:
            restore()
            atexit.unregister(restore)
        self._put(None)


def _terminal_lines(fd: int, limit: int) -> Iterator[bytes | object]:
    """Lines typed or pasted at a terminal in non-canonical mode, echoed as they come."""
    line = bytearray()
    too_long = False
    while chunk := os.read(fd, 65536):
        shown = bytearray()
        for byte in chunk:
            if byte in (0x0A, 0x0D):  # Enter
                shown += b"\r\n"
                _echo(shown)
                shown.clear()
                yield TOO_LONG if too_long else bytes(line) + b"\n"
                line.clear()
                too_long = False
            elif byte in (0x7F, 0x08):  # backspace: a whole character, however many bytes
                while line and (line.pop() & 0xC0) == 0x80:
                    pass
                shown += b"\b \b"
            elif byte == 0x15:  # Ctrl-U
                shown += b"\b \b" * len(line.decode("utf-8", "replace"))
                line.clear()
            elif byte == 0x04:  # Ctrl-D
                if not line:
                    _echo(shown)
                    return
            elif not too_long:
                line.append(byte)
                shown.append(byte)
                too_long = len(line) >= limit
        _echo(shown)


def _echo(data: bytes | bytearray) -> None:
    if data:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()


async def run_chat(
    app: App, name: str, write: Callable[[str], None], display_name: str | None
) -> None:
    """Read lines from stdin until end of input; print replies and staff updates as they come."""
    await ensure_schema(app.engine)
    dispatcher = Dispatcher(
        app, {console.CHANNEL: console.ConsoleAdapter(write)}, {console.CHANNEL: name}
    )

    def say(template: str, language: str | None = None) -> None:
        renderer = app.locales.renderer(language) if language else app.renderer
        write(renderer.render(template, {"name": name}, "cli").text)

    async def tell(template: str) -> None:
        """A line of the chat itself, in the language this customer is answered in."""
        say(template, await _language_of(app, name))

    say("cli/chat_banner")
    prompt = app.renderer.render("cli/chat_prompt", {"name": name}, "cli").text + " "
    # Anything staff sent while this customer was away is waiting in the outbox.
    await dispatcher.run_once()
    reader = LineReader(sys.stdin.buffer)
    stop = asyncio.Event()
    # The reply to a line is printed before the next prompt: background rounds wait their turn.
    turn = asyncio.Lock()
    updates = asyncio.create_task(dispatcher.run_forever(stop, turn))
    try:
        while True:
            _prompt(prompt)
            line = await reader.readline()
            if line is None:
                break
            if line is TOO_LONG or not isinstance(line, bytes):
                await tell("cli/chat_line_too_long")
                continue
            message = console.inbound(name, line.rstrip(b"\r\n"), app.clock(), display_name)
            try:
                async with turn:
                    result = await handle_inbound(app, message)
                    await dispatcher.run_once()
            except SQLAlchemyError:
                log.exception("the database did not take a chat message")
                say("cli/chat_not_taken")  # the database may not answer a lookup either
                continue
            if result.failed:
                await tell("cli/chat_not_taken")
    finally:
        stop.set()
        await updates
    await tell("cli/chat_goodbye")


async def _language_of(app: App, name: str) -> str | None:
    """The language the chat's customer is answered in (None before their first message)."""
    try:
        async with app.sessions() as session:
            return await session.scalar(
                select(Identity.language).where(
                    Identity.channel == console.CHANNEL, Identity.address == name
                )
            )
    except SQLAlchemyError:
        return None


def _prompt(prompt: str) -> None:
    sys.stdout.write(prompt)
    sys.stdout.flush()
