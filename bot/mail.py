"""Email in `serve`: the SMTP server's deliveries into intake, and the sender for replies."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import hmac
import ipaddress
import logging
import ssl
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any

from sqlalchemy import select

from bot.services.app import App
from bot.services.delivery import DeliveryReport, record_delivery
from bot.services.intake import handle_inbound
from bot.services.storing import proven_sender
from bot.settings import Settings
from bot.storage.models import MessageIn, Outbox
from channels.base import InboundMessage, SenderCheck
from channels.email.authentication import (
    about_address,
    from_authentication_results,
    nothing_proven,
    out_of_time,
    replayed,
    trusted_peer,
    verify_as_mx,
)
from channels.email.dkim_signing import DkimSigner
from channels.email.dns_lookup import CachingResolver
from channels.email.outbound import EmailAdapter, SmtpRelay
from channels.email.parse import parse_email, to_inbound
from channels.email.server import (
    LOCAL_PEER,
    ComplaintsMailHandler,
    ConnectionLimits,
    SmtpPeer,
    start_smtp_server,
)
from channels.email.text import cut_at_quote_of

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
# The flag on a stored email whose sender the checks could not prove (see cases show, inbox).
SENDER_UNVERIFIED = "sender-unverified"
# The flag on a stored email reusing a known Message-ID with other bytes.
REUSED_MESSAGE_ID = "reused-message-id"

# How many sender checks run at once; more wait their turn (their SMTP clients wait too).
SENDER_CHECK_THREADS = 8
# The most one message's checks may take, DNS included (then: temperror, nothing proven).
SENDER_CHECK_SECONDS = 10.0

log = logging.getLogger(__name__)


async def deliver_mail(
    app: App, raw: bytes, mail_from: str, rcpt_tos: list[str], peer: SmtpPeer = LOCAL_PEER
) -> None:
    """Take one delivered message: store it and run it through intake, committed on return.

    The SMTP server answers 250 only after this returns, so the sender keeps the message (and
    retries) if it raises. A delivery report marks our message failed; it opens no complaint.
    """
    # Parsing is CPU work (up to about a second for a hostile 25 MB message): off the loop.
    parsed = await asyncio.to_thread(
        parse_email, raw, max_attachment_bytes=app.settings.max_attachment_bytes
    )
    message = to_inbound(parsed, raw, envelope_from=mail_from, received_at=app.clock())
    message = await _distinct_id(app, replace(message, batch=True))
    sender = await check_sender(app, raw, mail_from, peer)
    if sender is not None:
        # The checks must be about the very address that becomes the customer.
        sender = about_address(sender, message.address)
        if REUSED_MESSAGE_ID in message.flags:
            # Another copy of a message we have, with other bytes: its signature proved the
            # first one, not this (someone re-sending the customer's own mail to act again).
            sender = replayed(sender)
        proven = proven_sender(sender).authenticated
        flags = message.flags if proven else (*message.flags, SENDER_UNVERIFIED)
        message = replace(message, sender=sender, flags=flags)
    message = await _without_our_words(app, message)
    await handle_inbound(app, message)
    report = parsed.delivery_report
    if report is None:
        return
    # Recorded even for a report seen before: if recording failed after the message was
    # stored, the sender's retry is the only chance (record_delivery is idempotent).
    status = "failed" if (report.action or "failed").lower() == "failed" else report.action or ""
    reason = f"bounced: {report.status or ''} {', '.join(report.recipients)}".strip()
    for original in report.original_message_ids:
        update = DeliveryReport("email", original, status, reason, tuple(report.recipients))
        if not await record_delivery(app, update):
            log.info("delivery report for a message we did not send: %s", original)


async def check_sender(app: App, raw: bytes, mail_from: str, peer: SmtpPeer) -> SenderCheck | None:
    """Who the checks say sent the message; None when the operator turned them off."""
    settings = app.settings
    if settings.email_sender_checks == "off":
        return None
    trusted = peer.logged_in or _in_networks(peer.ip, settings.trusted_networks)
    if settings.email_sender_checks == "forwarded":
        if not trusted:
            # Straight from the internet, past the operator's server: its header could be
            # written by anyone, so nothing is proven.
            return nothing_proven(raw)
        return from_authentication_results(
            raw, settings.email_authserv_id or "", settings.complaint_address_list
        )
    if trusted:
        return trusted_peer(raw)
    if app.resolver is None:
        app.resolver = CachingResolver(timeout=settings.dns_timeout_seconds)
    check = functools.partial(
        verify_as_mx,
        raw,
        ip=peer.ip,
        helo=peer.helo,
        mail_from=mail_from,
        resolver=app.resolver,
        recipients=settings.complaint_address_list,
    )
    # DNS and RSA: off the event loop, and within a budget: a sender whose DNS answers slowly
    # gets a temperror rather than holding the connection (and a check thread) for long.
    running = asyncio.get_running_loop().run_in_executor(_check_pool(app), check)
    try:
        return await asyncio.wait_for(running, SENDER_CHECK_SECONDS)
    except TimeoutError:
        log.info("sender checks took over %s s; nothing proven", SENDER_CHECK_SECONDS)
        return out_of_time(raw)


def _check_pool(app: App) -> ThreadPoolExecutor:
    """The threads sender checks run on: a check may wait on a sender's slow DNS for tens of
    seconds, and so ties up only these, never the threads parsing or the database use."""
    if app.sender_check_pool is None:
        pool = ThreadPoolExecutor(SENDER_CHECK_THREADS, thread_name_prefix="sender-check")
        app.sender_check_pool = pool

        async def shut_down() -> None:
            pool.shutdown(wait=False, cancel_futures=True)

        app.on_close(shut_down)
    return app.sender_check_pool


def _in_networks(ip: str, networks: Sequence[IPNetwork]) -> bool:
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    return any(address in network for network in networks)


async def _without_our_words(app: App, message: InboundMessage) -> InboundMessage:
    """The customer's text without a quote of our own messages in the thread.

    Otherwise a quote the reply parser missed would have our questions read back as answers.
    """
    if not message.thread_ids:
        return message
    async with app.sessions() as session:
        ours = (
            await session.scalars(
                select(Outbox.text).where(
                    Outbox.channel == message.channel,
                    Outbox.provider_id.in_(list(message.thread_ids)),
                )
            )
        ).all()
    text = cut_at_quote_of(message.text, list(ours))
    return message if text == message.text else replace(message, text=text)


async def _distinct_id(app: App, message: InboundMessage) -> InboundMessage:
    """Keep a different message that reuses a Message-ID (broken or hostile software).

    The same bytes again are a retransmission and stay deduplicated; different bytes under a
    known Message-ID are another message, stored under an id qualified by their content.
    """
    async with app.sessions() as session:
        seen = await session.scalar(
            select(MessageIn.raw).where(
                MessageIn.channel == message.channel, MessageIn.provider_id == message.provider_id
            )
        )
    if seen is None or seen == message.raw:
        return message
    digest = hashlib.sha256(message.raw).hexdigest()[:16]
    return replace(
        message,
        provider_id=f"{message.provider_id}#sha256:{digest}",
        flags=(*message.flags, REUSED_MESSAGE_ID),
    )


def email_adapter(settings: Settings) -> EmailAdapter:
    """The sender for replies: through the configured relay, else into the drop folder."""
    address = settings.complaint_address_list[0]
    relay = None
    if settings.relay_host:
        relay = SmtpRelay(
            host=settings.relay_host,
            port=settings.relay_port,
            username=settings.relay_username,
            password=settings.relay_password.get_secret_value()
            if settings.relay_password
            else None,
            starttls=settings.relay_starttls and not settings.relay_implicit_tls,
            implicit_tls=settings.relay_implicit_tls,
        )
    signer = None
    if settings.dkim_private_key_path is not None:
        # The From address's own domain: the signature must align with it for DMARC.
        signer = DkimSigner.load(
            settings.dkim_private_key_path, settings.dkim_selector, address.rpartition("@")[2]
        )
    return EmailAdapter(
        from_address=address,
        from_name=settings.mail_from_name or settings.organisation,
        reply_to=address,
        domain=settings.mail_domain_name,
        relay=relay,
        drop_folder=None if relay else settings.mail_drop_path,
        signer=signer,
    )


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """A server TLS context for STARTTLS, when a certificate is configured."""
    if settings.smtp_tls_cert is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(settings.smtp_tls_cert, settings.smtp_tls_key)
    return context


class Authenticator:
    """SMTP AUTH for setups where a mail server relays to us with a username and password."""

    def __init__(self, username: str, password: str) -> None:
        self._username = username.encode()
        self._password = password.encode()

    def __call__(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> Any:
        """Check LOGIN/PLAIN credentials in constant time (aiosmtpd's authenticator hook)."""
        from aiosmtpd.smtp import AuthResult, LoginPassword

        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = hmac.compare_digest(auth_data.login, self._username) and hmac.compare_digest(
            auth_data.password, self._password
        )
        # handled=False: aiosmtpd sends the 235/535 reply itself (True would mean we had).
        return AuthResult(success=ok, handled=False)


async def start_smtp(app: App) -> tuple[asyncio.Server, ComplaintsMailHandler]:
    """The SMTP server on this event loop (aiosmtpd's protocol, no thread of its own)."""
    from functools import partial

    from bot.server import CannotListen

    settings = app.settings
    handler = ComplaintsMailHandler(settings.complaint_address_list, partial(deliver_mail, app))
    authenticator = None
    if settings.smtp_auth_username and settings.smtp_auth_password:
        authenticator = Authenticator(
            settings.smtp_auth_username, settings.smtp_auth_password.get_secret_value()
        )
    try:
        server = await start_smtp_server(
            handler,
            settings.smtp_host,
            settings.smtp_port,
            hostname=settings.mail_domain_name,
            data_size_limit=settings.max_mail_bytes,
            tls_context=tls_context(settings),
            require_starttls=settings.smtp_require_starttls,
            authenticator=authenticator,
            auth_required=authenticator is not None,
            limits=ConnectionLimits(
                settings.smtp_max_connections,
                settings.smtp_max_connections_per_client,
                settings.smtp_max_receiving,
            ),
        )
    except OSError as error:
        raise CannotListen(settings.smtp_host, settings.smtp_port, error.strerror or "") from None
    return server, handler
