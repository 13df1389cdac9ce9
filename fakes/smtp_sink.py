"""A real SMTP server on 127.0.0.1 that takes every message and keeps it: the fake mail relay.

Async tests: ``async with SmtpSink() as sink:`` serves on the test's own loop.
Synchronous (end-to-end) tests: ``sink.start()`` serves from a background thread; ``sink.stop()``.
``sink.respond_next(451)`` makes the next delivery fail with that reply, for retry tests.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Literal, cast

from aiosmtpd.smtp import SMTP, Envelope, Session

Stage = Literal["MAIL", "RCPT", "DATA"]

_TEXTS = {
    421: "421 4.3.2 Service not available",
    450: "450 4.2.1 Mailbox busy, try again",
    451: "451 4.3.0 Temporary failure, try again",
    452: "452 4.3.1 Insufficient storage",
    550: "550 5.1.1 No such user here",
    552: "552 5.3.4 Message too big",
    553: "553 5.1.3 Bad address",
    554: "554 5.7.1 Rejected",
}


@dataclass(frozen=True)
class SunkMessage:
    """One message the sink accepted."""

    raw: bytes
    mail_from: str
    rcpt_tos: tuple[str, ...]

    @property
    def parsed(self) -> EmailMessage:
        """The message parsed with the modern email policy."""
        return cast(EmailMessage, BytesParser(policy=policy.default).parsebytes(self.raw))


@dataclass
class _Failure:
    code: int
    stage: Stage
    times: int
    text: str


@dataclass
class _Handler:
    """Accepts every recipient; records each message; answers planned failures first."""

    sink: SmtpSink
    failures: list[_Failure] = field(default_factory=list)

    def _planned(self, stage: Stage) -> str | None:
        with self.sink._lock:
            for failure in self.failures:
                if failure.stage == stage and failure.times > 0:
                    failure.times -= 1
                    return failure.text
        return None

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        planned = self._planned("MAIL")
        if planned:
            return planned
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        planned = self._planned("RCPT")
        if planned:
            return planned
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        planned = self._planned("DATA")
        if planned:
            return planned
        message = SunkMessage(
            raw=envelope.original_content or b"",
            mail_from=envelope.mail_from or "",
            rcpt_tos=tuple(envelope.rcpt_tos),
        )
        with self.sink._lock:
            self.sink._messages.append(message)
            self.sink._arrived.notify_all()
        return "250 2.0.0 OK"


class SmtpSink:
    """A catch-all SMTP server on a free port of 127.0.0.1."""

    def __init__(self, *, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self._lock = threading.RLock()
        self._arrived = threading.Condition(self._lock)
        self._messages: list[SunkMessage] = []
        self._handler = _Handler(self)
        self._server: asyncio.Server | None = None
        self._connections: list[SMTP] = []
        self._thread: threading.Thread | None = None
        self._thread_loop: asyncio.AbstractEventLoop | None = None
        self._thread_stop: asyncio.Event | None = None

    @property
    def messages(self) -> list[SunkMessage]:
        """What arrived so far, oldest first."""
        with self._lock:
            return list(self._messages)

    def respond_next(
        self, code: int, times: int = 1, *, stage: Stage = "RCPT", text: str | None = None
    ) -> None:
        """Answer the next ``times`` transactions at ``stage`` with ``code`` instead of 250."""
        reply = text or _TEXTS.get(code, f"{code} Planned failure")
        if not reply.startswith(str(code)):
            reply = f"{code} {reply}"
        with self._lock:
            self._handler.failures.append(_Failure(code, stage, times, reply))

    def wait_for(self, count: int, timeout: float = 5.0) -> list[SunkMessage]:
        """Block until ``count`` messages arrived (for the threaded mode); returns them."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self._messages) >= count, timeout):
                raise TimeoutError(f"{len(self._messages)} of {count} messages arrived")
            return list(self._messages)

    async def _serve(self) -> None:
        loop = asyncio.get_running_loop()

        def protocol() -> SMTP:
            smtp = SMTP(self._handler, hostname="sink.test", enable_SMTPUTF8=True, loop=loop)
            self._connections.append(smtp)
            return smtp

        self._server = await loop.create_server(protocol, host=self.host, port=0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def _close(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for smtp in self._connections:
            if smtp.transport is not None:
                smtp.transport.close()
        self._connections.clear()
        await self._server.wait_closed()
        self._server = None
        for _ in range(3):
            await asyncio.sleep(0)

    async def __aenter__(self) -> SmtpSink:
        await self._serve()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._close()

    def start(self) -> SmtpSink:
        """Serve from a background thread with its own loop; returns once listening."""
        ready = threading.Event()
        errors: list[BaseException] = []

        async def main() -> None:
            self._thread_loop = asyncio.get_running_loop()
            self._thread_stop = asyncio.Event()
            try:
                await self._serve()
            except BaseException as error:
                errors.append(error)
                ready.set()
                return
            ready.set()
            await self._thread_stop.wait()
            await self._close()

        self._thread = threading.Thread(target=asyncio.run, args=(main(),), daemon=True)
        self._thread.start()
        ready.wait(10)
        if errors:
            self._thread.join()
            raise errors[0]
        return self

    def stop(self) -> None:
        """Stop the background server and wait for its thread."""
        if self._thread is None or self._thread_loop is None or self._thread_stop is None:
            return
        self._thread_loop.call_soon_threadsafe(self._thread_stop.set)
        self._thread.join(10)
        self._thread = None
