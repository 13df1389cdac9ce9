"""Types every channel shares: normalised messages in and out, and the adapter protocol."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that came with a message (content kept when the channel delivers it)."""

    filename: str
    content_type: str
    size: int
    content: bytes | None = None
    url: str | None = None
    # What a person sees above the file where the channel shows one (a chart's title).
    title: str | None = None


@dataclass(frozen=True, slots=True)
class SenderCheck:
    """What checking an email's sender found, per method, in RFC 8601's words ("pass", "fail",
    "none", "temperror", ...); the core decides what that allows."""

    spf: str
    dkim: str
    dmarc: str
    from_domain: str
    # "mx" (checked here), "forwarded" (the operator's server's verdict), "trusted-peer".
    checked_by: str
    policy: str | None = None
    # "dkim:example.com" or "spf:example.com": the identity aligned with the From domain.
    aligned: str | None = None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """A message from a customer, normalised by its channel adapter."""

    channel: str
    address: str
    provider_id: str
    text: str
    received_at: datetime
    display_name: str | None = None
    subject: str | None = None
    # Provider ids of earlier messages this one answers (email In-Reply-To/References).
    thread_ids: tuple[str, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    raw: bytes = b""
    # Problems found while parsing (e.g. "malformed-mime"), kept on the stored message.
    flags: tuple[str, ...] = ()
    # False where the address cannot reach the customer later (a terminal session).
    lasting_address: bool = True
    # True where the channel's conversation is slow and whole (email): one message says much,
    # and all missing questions are asked at once.
    batch: bool = False
    # The language the channel reports for the sender (Telegram's language_code).
    language: str | None = None
    # The provider's signature over this very request, where it signs one (Twilio): a second
    # request carrying the same one is a replay, and changes nothing.
    proof: str | None = None
    # Email: what the sender checks found (None where the channel proves its sender itself).
    sender: SenderCheck | None = None


@dataclass(frozen=True, slots=True)
class Choice:
    """An answer offered with a message; each adapter renders choices its own way."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    """A rendered message to send: to a customer, or to a staff destination."""

    channel: str
    address: str
    text: str
    outbox_id: int
    subject: str | None = None
    html: str | None = None
    choices: tuple[Choice, ...] = ()
    thread_ids: tuple[str, ...] = ()
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    # False when a person wrote it (a staff reply): it is not an auto-reply, and mail clients
    # and servers may answer it (email leaves out Auto-Submitted).
    automatic: bool = True
    # A rich layout where the channel has one (Slack Block Kit); ``text`` is the fallback.
    blocks: tuple[Mapping[str, Any], ...] = ()
    # Files sent with the text, content included (Slack uploads them into the message).
    attachments: tuple[Attachment, ...] = ()
    # The provider id of an earlier message this one replaces in place (a Slack card update).
    replace: str | None = None
    # The provider id of a message to link to (an escalation links to the case's card).
    link_to: str | None = None
    # What the message is for (its template, e.g. "customer/ask_contact"): a channel may add
    # its own help, such as Telegram's "share my phone number" button.
    purpose: str = ""
    # A secret of this message's own, the same on every attempt: where a channel makes its own
    # message id (email), it makes it from this, so an outsider cannot guess it.
    token: str = ""


@dataclass(frozen=True, slots=True)
class DeliveryResult:
    """What the provider said when it took the message."""

    provider_id: str | None = None
    # The provider reports on delivery by a callback of its own (Twilio's status callback),
    # which may arrive before this answer is stored: only then is an early report looked for.
    reports_follow: bool = False


class DeliveryError(Exception):
    """Sending failed. ``permanent`` failures are not retried (invalid address, opted out).

    ``retry_after``: the provider asked us to wait this many seconds (a rate limit); the
    message is tried again then, and the wait does not count as a failed attempt.
    """

    def __init__(
        self,
        reason: str,
        *,
        permanent: bool = False,
        retry_after: float | None = None,
        original_gone: bool = False,
        unreachable: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.retry_after = retry_after
        # The message to update in place no longer exists (someone deleted it).
        self.original_gone = original_gone
        # The address can no longer be reached at all (a Telegram user blocked the bot):
        # nothing more is sent there until the customer writes again.
        self.unreachable = unreachable


@runtime_checkable
class ChannelAdapter(Protocol):
    """Sends outbound messages on one channel; the outbox dispatcher calls it after commit."""

    name: str

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Deliver one message, or raise DeliveryError."""
        ...


def numbered_choices(message: OutboundMessage) -> list[str]:
    """Choices as a numbered list ("  1. A refund"), for channels without buttons."""
    return [f"  {number}. {choice.label}" for number, choice in enumerate(message.choices, 1)]
