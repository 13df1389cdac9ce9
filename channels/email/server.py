"""The built-in SMTP server: aiosmtpd on the caller's event loop, for complaint addresses only."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import logging
import ssl
import weakref
from collections import Counter
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session, syntax

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SmtpPeer:
    """Who handed a message over: the client's address, the name it gave, whether it logged in."""

    ip: str
    helo: str = ""
    logged_in: bool = False


# The local machine, for messages handed in other than through the server (tests, tools).
LOCAL_PEER = SmtpPeer("127.0.0.1", "localhost")

Deliver = Callable[[bytes, str, list[str], SmtpPeer], Awaitable[None]]

ACCEPTED = "250 2.0.0 OK: message accepted"
UNKNOWN_RECIPIENT = "550 5.1.1 No such recipient here"
TRY_AGAIN = "451 4.3.0 Temporary failure, please try again later"
TOO_MANY = b"421 4.7.0 Too many connections, please try again later\r\n"
# Each connection may hold a whole message (up to the size limit) in memory: 200 clients
# each sending 5 MiB once took the process to 1.2 GB and SMS webhooks to 6 s.
MAX_CONNECTIONS = 100
MAX_CONNECTIONS_PER_CLIENT = 10
MAX_RECEIVING = 10
# A client waits this long for its turn to send a message, then is asked to come back.
RECEIVING_WAIT = 60.0
BUSY = "451 4.3.2 Too busy to take a message now, please try again later"

# Open connections per server: asyncio.Server.close() (3.11) leaves them running.
_CONNECTIONS: weakref.WeakKeyDictionary[asyncio.Server, weakref.WeakSet[SMTP]] = (
    weakref.WeakKeyDictionary()
)


@dataclass
class ConnectionLimits:
    """How many connections the server holds at once, overall and per client address."""

    total: int = MAX_CONNECTIONS
    per_client: int = MAX_CONNECTIONS_PER_CLIENT
    # Messages being received at once: each is held in memory (about twice its size) while
    # it arrives, so this, not the connection count, bounds the memory mail can take.
    receiving: int = MAX_RECEIVING
    open: Counter[str] = field(default_factory=Counter)
    turns: asyncio.Semaphore = field(init=False)

    def __post_init__(self) -> None:
        self.turns = asyncio.Semaphore(self.receiving)

    def admit(self, client: str) -> bool:
        """Count a new connection in, unless a limit is reached."""
        if self.open.total() >= self.total or self.open[client] >= self.per_client:
            return False
        self.open[client] += 1
        return True

    def leave(self, client: str) -> None:
        """Count a connection out."""
        self.open[client] -= 1
        if self.open[client] <= 0:
            del self.open[client]


def _trimmer() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(
            ctypes.util.find_library("c") or "libc.so.6"
        ).malloc_trim
    except (OSError, AttributeError):
        return None  # not glibc: nothing to do
    return trim


_MALLOC_TRIM = _trimmer()


def _give_back_memory() -> None:
    """Return freed heap memory to the system (glibc keeps it otherwise): after a flood of
    large messages the process shrinks back instead of holding its peak for good."""
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class _LongLineSMTP(SMTP):
    # RFC 5321 allows 1,000 characters a line, but real mail has longer ones (HTML on one
    # line), and aiosmtpd's 500 would lose the complaint at the sender. The size limit still
    # bounds memory. aiosmtpd documents a subclass as the way to change it.
    line_length_limit = 1 << 20

    def __init__(self, *args: Any, limits: ConnectionLimits, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._limits = limits
        self._client: str | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        """Greet within the limits; beyond them answer 421 (the sender retries) and hang up."""
        if self.transport is None and not self._refused:  # not the STARTTLS handover
            peer = transport.get_extra_info("peername")
            client = str(peer[0]) if isinstance(peer, tuple) and peer else "unknown"
            if not self._limits.admit(client):
                self._refused = True
                log.warning("refused an SMTP connection from %s: too many open", client)
                if isinstance(transport, asyncio.WriteTransport):
                    transport.write(TOO_MANY)
                transport.close()
                return
            self._client = client
        super().connection_made(transport)

    @syntax("DATA")
    async def smtp_DATA(self, arg: str) -> None:
        """Take the message when a turn is free (the client waits before the 354)."""
        try:
            async with asyncio.timeout(RECEIVING_WAIT):
                await self._limits.turns.acquire()
        except TimeoutError:
            await self.push(BUSY)
            return
        try:
            await super().smtp_DATA(arg)
        finally:
            self._limits.turns.release()

    def connection_lost(self, error: Exception | None) -> None:
        """Count the connection out (once) and let aiosmtpd clean up."""
        if self._refused:
            return
        if self._client is not None:
            self._limits.leave(self._client)
            self._client = None
        handling = self._handler_coroutine
        super().connection_lost(error)
        if handling is not None:
            handling.add_done_callback(self._forget)

    def _forget(self, handling: asyncio.Task[None]) -> None:
        # The finished task's CancelledError keeps the frame of the command it was in, and
        # with it a DATA's megabytes, for as long as the task lives; this protocol (which
        # holds the task) lives on for minutes in the loop's callbacks. Three floods of 200
        # clients each holding 5 MiB took `serve` from 146 MiB to 3.1 GB and kept it there.
        if self._handler_coroutine is handling:
            self._handler_coroutine = None
        if not self._limits.open:
            # The last connection is gone and its buffers with it (on the next turn).
            self.loop.call_soon(_give_back_memory)

    def eof_received(self) -> bool | None:
        """A refused connection has nothing to end."""
        return False if self._refused else super().eof_received()


def _normalise(address: str) -> str:
    return address.strip().strip("<>").strip().casefold()


class ComplaintsMailHandler:
    """aiosmtpd handler: takes mail for the complaint addresses only, 250 only once it is stored."""

    def __init__(self, accept: Collection[str], deliver: Deliver) -> None:
        self._accept = frozenset(_normalise(address) for address in accept)
        self._deliver = deliver
        self._in_flight: set[asyncio.Future[None]] = set()

    async def handle_RCPT(  # aiosmtpd's hook name
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        """Accept a complaint address (any case); refuse every other, so this is no open relay."""
        if _normalise(address) not in self._accept:
            return UNKNOWN_RECIPIENT
        if address not in envelope.rcpt_tos:
            envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(  # aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        """Hand the raw bytes to ``deliver``; 250 after it returns, 451 if it raised."""
        raw = envelope.original_content
        if raw is None:
            content = envelope.content or b""
            raw = content if isinstance(content, bytes) else content.encode("utf-8")
        # aiosmtpd gives the null sender of a bounce as "<>"; deliver gets "".
        mail_from = "" if envelope.mail_from in (None, "<>") else str(envelope.mail_from)
        peer = SmtpPeer(
            ip=str(session.peer[0]) if isinstance(session.peer, tuple) else "",
            helo=session.host_name or "",
            logged_in=bool(session.authenticated),
        )
        task = asyncio.ensure_future(self._deliver(raw, mail_from, list(envelope.rcpt_tos), peer))
        self._in_flight.add(task)
        task.add_done_callback(self._finished)
        try:
            # Shielded: a client that hangs up mid-DATA must not cancel a half-done commit.
            # Its sender retries and the Message-ID dedupes.
            await asyncio.shield(task)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("storing an inbound email failed; asked the sender to retry")
            return TRY_AGAIN
        return ACCEPTED

    def _finished(self, task: asyncio.Future[None]) -> None:
        self._in_flight.discard(task)
        if not task.cancelled() and task.exception() is not None:
            # Retrieved here so a delivery whose client left is logged, not "never retrieved".
            log.debug("delivery finished with %r", task.exception())

    async def drain(self) -> None:
        """Wait for deliveries still running (their client may have gone); for shutdown."""
        while self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)


async def start_smtp_server(
    handler: Any,
    host: str,
    port: int,
    *,
    hostname: str,
    data_size_limit: int,
    tls_context: ssl.SSLContext | None = None,
    require_starttls: bool = False,
    authenticator: Callable[..., Any] | None = None,
    auth_required: bool = False,
    limits: ConnectionLimits | None = None,
) -> asyncio.Server:
    """Serve aiosmtpd's SMTP with ``handler`` on the running loop (no Controller, no thread)."""
    loop = asyncio.get_running_loop()
    connections: weakref.WeakSet[SMTP] = weakref.WeakSet()
    limits = limits or ConnectionLimits()

    def protocol() -> SMTP:
        smtp = _LongLineSMTP(
            handler,
            hostname=hostname,
            data_size_limit=data_size_limit,
            enable_SMTPUTF8=True,
            decode_data=False,
            tls_context=tls_context,
            require_starttls=require_starttls,
            authenticator=authenticator,
            auth_required=auth_required,
            # Without it aiosmtpd looks the loop up itself (and may make a new one).
            loop=loop,
            limits=limits,
        )
        connections.add(smtp)
        return smtp

    server = await loop.create_server(protocol, host=host, port=port)
    _CONNECTIONS[server] = connections
    return server


async def stop_smtp_server(server: asyncio.Server) -> None:
    """Stop listening and close the connections still open (a plain close() leaves them)."""
    server.close()
    for smtp in list(_CONNECTIONS.pop(server, ())):
        transport = smtp.transport
        if transport is not None:
            transport.close()
    await server.wait_closed()
    # Let each connection's handler task see its cancellation before the caller moves on.
    for _ in range(3):
        await asyncio.sleep(0)
