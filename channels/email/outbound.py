"""EmailAdapter: sends OutboundMessages through an SMTP relay (aiosmtplib) or into a drop folder."""

from __future__ import annotations

import asyncio
import email.policy
import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiosmtplib

from channels.base import DeliveryError, DeliveryResult, OutboundMessage
from channels.email.compose import compose, make_message_id
from channels.email.dkim_signing import DkimSigner

log = logging.getLogger(__name__)

CHANNEL = "email"
# A message with this header is a person writing (staff), not the bot: it goes out without
# Auto-Submitted / X-Auto-Response-Suppress, so the customer's autoresponder may answer it.
HUMAN_HEADER = ("X-Complaintbot-Human", "1")
# Rejections about the relay's configuration rather than the message: worth retrying once an
# operator fixes the credentials.
_AUTH_CODES = frozenset({530, 534, 535, 538})


@dataclass(frozen=True, slots=True)
class SmtpRelay:
    """Where to hand outgoing mail: an SMTP submission server."""

    host: str
    port: int = 587
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = True
    implicit_tls: bool = False
    timeout: float = 30.0


def _now() -> datetime:
    return datetime.now(UTC)


def _permanent_code(code: int) -> bool:
    return 500 <= code < 600 and code not in _AUTH_CODES


def _refusal(error: aiosmtplib.SMTPException) -> DeliveryError:
    """DeliveryError for what the relay said: 5xx about the message is permanent, the rest not."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in error.recipients]
        detail = "; ".join(f"{r.code} {r.message}" for r in error.recipients)
        permanent = bool(codes) and all(_permanent_code(code) for code in codes)
        return DeliveryError(f"recipient refused: {detail}", permanent=permanent)
    if isinstance(error, aiosmtplib.SMTPResponseException):
        kind = type(error).__name__
        return DeliveryError(
            f"{kind}: {error.code} {error.message}", permanent=_permanent_code(error.code)
        )
    return DeliveryError(f"{type(error).__name__}: {error}", permanent=False)


class EmailAdapter:
    """The email channel's sender: one message per ``send``, threaded, with its own Message-ID."""

    name = CHANNEL

    def __init__(
        self,
        *,
        from_address: str,
        from_name: str,
        reply_to: str,
        domain: str,
        relay: SmtpRelay | None = None,
        drop_folder: Path | None = None,
        clock: Callable[[], datetime] = _now,
        signer: DkimSigner | None = None,
    ) -> None:
        if (relay is None) == (drop_folder is None):
            raise ValueError("give either an SMTP relay or a drop folder")
        self._from_address = from_address
        self._from_name = from_name
        self._reply_to = reply_to
        self._domain = domain
        self._relay = relay
        self._drop_folder = drop_folder
        self._clock = clock
        self._signer = signer

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Compose and deliver; raises DeliveryError (permanent for what retrying cannot fix)."""
        now = self._clock()
        # The same outbox row gets the same Message-ID on every attempt: if a relay took a copy
        # whose acceptance we never heard of, the customer's reply to it still threads. The
        # row's secret token keeps it unguessable (a delivery report naming it marks it failed).
        seed = "|".join(
            [
                message.token,
                self._domain,
                str(message.outbox_id),
                message.address,
                hashlib.sha256(message.text.encode()).hexdigest(),
            ]
        )
        message_id = make_message_id(self._domain, seed)
        try:
            mail = compose(
                message,
                from_address=self._from_address,
                from_name=self._from_name,
                reply_to=self._reply_to,
                message_id=message_id,
                date=now,
                automatic=message.automatic and HUMAN_HEADER not in message.headers,
            )
        except ValueError as error:
            raise DeliveryError(f"cannot compose: {error}", permanent=True) from error
        addresses = [str(mail["From"]), str(mail["To"])]
        policy = email.policy.SMTP if all(a.isascii() for a in addresses) else email.policy.SMTPUTF8
        # Sent as these very bytes, so a signature over them still holds where it arrives.
        raw = mail.as_bytes(policy=policy)
        if self._signer is not None:
            raw = self._signer.sign(raw)
        if self._relay is not None:
            await self._submit(raw, message, self._relay)
        else:
            assert self._drop_folder is not None
            await asyncio.to_thread(self._drop, raw, message, now, self._drop_folder)
        return DeliveryResult(provider_id=message_id)

    async def _submit(self, raw: bytes, message: OutboundMessage, relay: SmtpRelay) -> None:
        try:
            unicode = not (self._from_address.isascii() and message.address.isascii())
            await aiosmtplib.send(
                raw,
                sender=self._from_address,
                recipients=[message.address],
                # As aiosmtplib asks for an EmailMessage: bytes do not say they need it.
                mail_options=["SMTPUTF8"] if unicode else None,
                hostname=relay.host,
                port=relay.port,
                username=relay.username,
                password=relay.password,
                use_tls=relay.implicit_tls,
                start_tls=relay.starttls and not relay.implicit_tls,
                timeout=relay.timeout,
            )
        except aiosmtplib.SMTPNotSupported as error:
            # The relay lacks SMTPUTF8 for a non-ASCII address: that address cannot go this way.
            permanent = not message.address.isascii()
            raise DeliveryError(f"SMTPNotSupported: {error}", permanent=permanent) from error
        except aiosmtplib.SMTPException as error:
            raise _refusal(error) from error
        except (OSError, TimeoutError) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}", permanent=False) from error
        log.info("email to outbox row %s handed to %s", message.outbox_id, relay.host)

    def _drop(self, raw: bytes, message: OutboundMessage, now: datetime, folder: Path) -> None:
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{stamp}-{message.outbox_id}.eml"
        if message.outbox_id is not None and any(folder.glob(f"*-{message.outbox_id}.eml")):
            # Written before a crash kept its row from being marked sent: not a second copy.
            log.info("outbox row %s is in the drop folder already", message.outbox_id)
            return
        try:
            folder.mkdir(parents=True, exist_ok=True)
            # Written beside the target, then renamed: a reader never sees half a message.
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as stream:
                    stream.write(raw)
                    stream.flush()
                    os.fsync(stream.fileno())
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError as error:
            raise DeliveryError(f"drop folder: {error}", permanent=False) from error
