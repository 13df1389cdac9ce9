"""Outbound email: an OutboundMessage as a MIME message, threaded and safe from header injection."""

from __future__ import annotations

import hashlib
import html
import re
import secrets
import unicodedata
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime

from channels.base import OutboundMessage, numbered_choices

# RFC 5322 suggests trimming long References; the newest ids are the useful ones.
MAX_REFERENCES = 20
MAX_LINE = 998

_MESSAGE_ID = re.compile(r"<[!-;=?-~]+@[!-;=?-~]+>")
_LOCAL_FORBIDDEN = set(' "(),:;<>@[\\]')
# Labels separated by dots; a single label ("localhost") is a valid mail domain too.
_DOMAIN = re.compile(r"[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*")
_SPACES = re.compile(r"\s+")
_BODY_END = re.compile(r"</body\s*>", re.IGNORECASE)


def one_line(value: str) -> str:
    """``value`` on one line: control characters and line breaks become single spaces."""
    value = "".join(" " if unicodedata.category(char)[0] == "C" else char for char in value)
    return _SPACES.sub(" ", value).strip()


def address(value: str, *, display_name: str = "") -> Address:
    """A single mailbox, or ValueError: nothing in ``value`` can start another header or address."""
    spec = value.strip()
    local, at, domain = spec.rpartition("@")
    if (
        not at
        or not local
        or any(unicodedata.category(char)[0] in "CZ" or char in _LOCAL_FORBIDDEN for char in local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or not _DOMAIN.fullmatch(domain)
    ):
        raise ValueError(f"not a usable email address: {value!r}")
    name = one_line(display_name)
    if spec.isascii():
        return Address(display_name=name, addr_spec=spec)
    # The stdlib refuses a non-ASCII local part in addr_spec; SMTPUTF8 (RFC 6531) allows it.
    return Address(display_name=name, username=local, domain=domain)


def make_message_id(domain: str, seed: str | None = None) -> str:
    """A Message-ID ``<token@domain>``: random, or derived from ``seed`` (same seed, same id)."""
    ascii_domain = domain.strip().encode("idna").decode("ascii")
    token = (
        hashlib.sha256(seed.encode()).hexdigest()[:32]
        if seed is not None
        else secrets.token_hex(16)
    )
    message_id = f"<{token}@{ascii_domain}>"
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError(f"not a usable Message-ID domain: {domain!r}")
    return message_id


def _text_body(message: OutboundMessage) -> str:
    choices = numbered_choices(message)
    return message.text + ("\n\n" + "\n".join(choices) if choices else "")


def _html_body(message: OutboundMessage, source: str) -> str:
    if not message.choices:
        return source
    items = "".join(f"<li>{html.escape(choice.label)}</li>" for choice in message.choices)
    listing = f"<ol>{items}</ol>"
    ends = list(_BODY_END.finditer(source))
    if not ends:
        return source + listing
    cut = ends[-1].start()
    return source[:cut] + listing + source[cut:]


def _transfer_encoding(text: str) -> str:
    if text.isascii() and all(len(line) <= MAX_LINE for line in text.splitlines()):
        return "7bit"
    return "quoted-printable"


def compose(
    message: OutboundMessage,
    *,
    from_address: str,
    from_name: str,
    reply_to: str,
    message_id: str,
    date: datetime,
    automatic: bool,
) -> EmailMessage:
    """The MIME message for ``message``: text (and HTML) with choices, threaded on its thread ids.

    Raises ValueError for what cannot be sent: a bad address, an empty subject, a naive date.
    """
    subject = one_line(message.subject or "")
    if not subject:
        raise ValueError("an email needs a subject")
    if date.tzinfo is None:
        raise ValueError("the Date of an email must be timezone-aware")
    if not _MESSAGE_ID.fullmatch(message_id):
        raise ValueError(f"not a usable Message-ID: {message_id!r}")
    thread = [item.strip() for item in message.thread_ids if _MESSAGE_ID.fullmatch(item.strip())]

    mail = EmailMessage()
    mail["From"] = address(from_address, display_name=from_name)
    mail["To"] = address(message.address)
    mail["Reply-To"] = address(reply_to)
    mail["Subject"] = subject
    mail["Date"] = format_datetime(date)
    mail["Message-ID"] = message_id
    if thread:
        mail["In-Reply-To"] = thread[-1]
        mail["References"] = " ".join(thread[-MAX_REFERENCES:])
    if automatic:
        # RFC 3834, and Exchange's own switch: auto-responders must not answer us.
        mail["Auto-Submitted"] = "auto-replied"
        mail["X-Auto-Response-Suppress"] = "All"
    text = _text_body(message)
    mail.set_content(text, subtype="plain", charset="utf-8", cte=_transfer_encoding(text))
    if message.html:
        markup = _html_body(message, message.html)
        mail.add_alternative(
            markup, subtype="html", charset="utf-8", cte=_transfer_encoding(markup)
        )
    return mail
