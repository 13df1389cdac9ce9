"""Inbound email: raw RFC 5322 bytes to a ParsedEmail, and to an InboundMessage. Never raises."""

from __future__ import annotations

import email.policy
import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from email import errors
from email.message import Message
from email.parser import BytesParser, HeaderParser

from channels.base import Attachment, InboundMessage
from channels.email.headers import (
    POLICY,
    addresses,
    decode_words,
    first_value,
    has_header,
    header_names,
    message_ids,
    parse_date,
    raw_values,
)
from channels.email.many_parts import first_text_part
from channels.email.mime import (
    MAX_PARTS,
    Body,
    content_type,
    decode_bytes,
    extract,
    payload_bytes,
)
from channels.email.text import is_forward, strip_reply

log = logging.getLogger(__name__)

CHANNEL = "email"
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 20
MAX_REFERENCES = 100
MAX_DELIMITER_LINES = 5000

_LOST_BOUNDARY = (
    errors.StartBoundaryNotFoundDefect,
    errors.NoBoundaryInMultipartDefect,
    errors.MultipartInvariantViolationDefect,
)
_TOKEN = re.compile(r"[^a-z0-9.-]+")
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list"})
_SUPPRESS_REPLIES = frozenset({"all", "autoreply", "oof"})
_ROBOT_SENDERS = {"mailer-daemon": "mailer-daemon", "postmaster": "postmaster"}


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A delivery status notification (bounce or delay) about a message sent earlier."""

    original_message_ids: tuple[str, ...]
    recipients: tuple[str, ...]
    action: str | None
    status: str | None


@dataclass(frozen=True, slots=True)
class ParsedEmail:
    """What an inbound email says, decoded; problems found on the way are in ``flags``."""

    message_id: str | None
    in_reply_to: str | None
    references: tuple[str, ...]
    from_address: str | None
    from_name: str | None
    to: tuple[str, ...]
    subject: str
    date: datetime | None
    # The whole body text (text/plain, else text/html made readable).
    text: str
    # The new part of a reply: quoted history cut off; equal to ``text`` when there is none.
    new_text: str
    attachments: tuple[Attachment, ...]
    # Set when the message must never get an automatic answer (auto-reply, list, bounce...).
    auto_reason: str | None
    delivery_report: DeliveryReport | None
    flags: tuple[str, ...]
    # The sender's Content-Language ("fr", "de-AT"): a hint, when the text is too short to tell.
    language: str | None = None


def _content_language(message: Message, flags: list[str]) -> str | None:
    """The first language tag of Content-Language (RFC 3282), if it looks like one."""
    value = first_value(message, "content-language", flags) or ""
    tag = value.split(",")[0].strip()
    return tag[:16] if re.fullmatch(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*", tag) else None


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def _parts(message: Message) -> list[Message]:
    found: list[Message] = []
    stack = [message]
    while stack and len(found) < MAX_PARTS:
        part = stack.pop()
        found.append(part)
        try:
            payload = part.get_payload() if part.is_multipart() else None
        except Exception:
            payload = None
        if isinstance(payload, list):
            stack.extend(child for child in payload if isinstance(child, Message))
    return found


def _has_defects(message: Message, kinds: tuple[type[Exception], ...] = (Exception,)) -> bool:
    return any(
        isinstance(defect, kinds) for part in _parts(message) for defect in (part.defects or ())
    )


def _headers_only(raw: bytes) -> Message:
    """The message's headers with an empty body, for when its MIME tree cannot be had."""
    try:
        message: Message = BytesParser(policy=POLICY).parsebytes(raw, headersonly=True)
    except Exception:
        message = BytesParser(policy=email.policy.compat32).parsebytes(raw, headersonly=True)
    message.set_payload("")
    return message


def _parse_tree(raw: bytes, flags: list[str]) -> Message:
    """The MIME tree, by the modern parser; the legacy one where that fails or loses parts."""
    if raw.count(b"\n--") > MAX_DELIMITER_LINES:
        # Parsing costs about 0.3 ms per part; a message made of thousands of parts is
        # an attack on the event loop, not a complaint. Its raw bytes are kept all the same.
        head = _headers_only(raw)
        if content_type(head).startswith(("multipart/", "message/")):
            flags.append("too-many-parts")
            return first_text_part(raw, head) or head
    try:
        message: Message = BytesParser(policy=POLICY).parsebytes(raw)
    except Exception:
        flags.append("mime-fallback")
        return BytesParser(policy=email.policy.compat32).parsebytes(raw)
    if _has_defects(message, _LOST_BOUNDARY):
        # The modern header parser rejects unquoted boundaries such as ``----=_Part_1.2``,
        # which Outlook and others send; the legacy one reads them.
        try:
            legacy = BytesParser(policy=email.policy.compat32).parsebytes(raw)
        except Exception:
            return message
        if len(_parts(legacy)) > len(_parts(message)):
            flags.append("mime-fallback")
            return legacy
    return message


def _token(value: str) -> str:
    return _TOKEN.sub("-", value.split(";")[0].split("(")[0].strip().lower()).strip("-")[:40]


def _sender_reason(address: str | None) -> str | None:
    if not address:
        return None
    return _ROBOT_SENDERS.get(address.split("@", 1)[0].lower())


def _auto_reason(message: Message, from_address: str | None, flags: list[str]) -> str | None:
    auto = first_value(message, "auto-submitted", flags)
    if auto is not None and _token(auto) not in ("", "no"):
        return f"auto-submitted:{_token(auto)}"
    precedence = first_value(message, "precedence", flags)
    if precedence is not None and _token(precedence) in _BULK_PRECEDENCE:
        return f"precedence:{_token(precedence)}"
    for name in header_names(message):
        if name.startswith("list-"):
            return f"list:{_token(name)}"
    return_path = first_value(message, "return-path", flags)
    if return_path is not None and return_path.strip() == "<>":
        return "null-sender"
    robot = _sender_reason(from_address)
    if robot:
        return robot
    for value in raw_values(message, "x-auto-response-suppress", flags):
        if _SUPPRESS_REPLIES & set(re.split(r"[\s,;]+", value.lower())):
            return "x-auto-response-suppress"
    for name in ("x-autoreply", "x-autorespond"):
        if has_header(message, name):
            return name
    try:
        report_type = str(message.get_param("report-type") or "").lower()
    except Exception:
        report_type = ""
    if content_type(message) == "multipart/report" and report_type:
        # Delivery and read receipts are machines talking, whoever forwarded them.
        return f"report:{report_type}"
    return None


def _status_blocks(report: Message, flags: list[str]) -> list[Message]:
    try:
        payload = report.get_payload()
    except Exception:
        payload = None
    if isinstance(payload, list):
        return [block for block in payload if isinstance(block, Message)]
    text = decode_bytes(payload_bytes(report), "utf-8", flags).replace("\r\n", "\n")
    return [HeaderParser(policy=POLICY).parsestr(block) for block in text.split("\n\n")]


def _recipient(value: str) -> str:
    return value.split(";", 1)[-1].strip().strip("<>").strip().lower()


def _delivery_report(message: Message, body: Body, flags: list[str]) -> DeliveryReport | None:
    report_type = ""
    try:
        report_type = str(message.get_param("report-type") or "").lower()
    except Exception:
        report_type = ""
    is_report = content_type(message) == "multipart/report" and "delivery-status" in report_type
    if not (is_report or body.reports):
        return None
    ids: list[str] = []
    recipients: list[str] = []
    outcomes: list[tuple[str | None, str | None]] = []
    for report in body.reports:
        for block in _status_blocks(report, flags):
            for name in ("original-message-id", "x-original-message-id"):
                ids.extend(message_ids(first_value(block, name, flags)))
            recipient = first_value(block, "final-recipient", flags) or first_value(
                block, "original-recipient", flags
            )
            action = first_value(block, "action", flags)
            status = first_value(block, "status", flags)
            if recipient:
                recipients.append(_recipient(recipient))
            if action or status:
                outcomes.append((_token(action or "") or None, _token(status or "") or None))
    for original in body.originals:
        ids.extend(message_ids(first_value(original, "message-id", flags)))
    failed = [outcome for outcome in outcomes if outcome[0] == "failed"]
    action, status = (failed or outcomes or [(None, None)])[0]
    return DeliveryReport(_dedupe(ids), _dedupe(recipients), action, status)


def _parse(
    raw: bytes, max_attachment_bytes: int, max_attachments: int, *, headers_only: bool = False
) -> ParsedEmail:
    flags: list[str] = ["unparseable"] if headers_only else []
    message = _headers_only(raw) if headers_only else _parse_tree(raw, flags)
    if _has_defects(message):
        flags.append("mime-defects")
    from_pairs = [
        pair for value in raw_values(message, "from", flags) for pair in addresses("from", value)
    ]
    from_name, from_address = from_pairs[0] if from_pairs else ("", None)
    to = [
        spec.lower()
        for value in raw_values(message, "to", flags)
        for _, spec in addresses("to", value)
    ]
    subject_value = first_value(message, "subject", flags)
    subject = decode_words("subject", subject_value) if subject_value else ""
    message_id = next(iter(message_ids(first_value(message, "message-id", flags))), None)
    in_reply_to = next(iter(message_ids(first_value(message, "in-reply-to", flags))), None)
    references = [
        ref for value in raw_values(message, "references", flags) for ref in message_ids(value)
    ]
    body = extract(
        message,
        max_attachment_bytes=max_attachment_bytes,
        max_attachments=max_attachments,
        flags=flags,
    )
    text = body.text
    new_text = text
    if not text.strip():
        flags.append("no-text")
    elif is_forward(subject, text):
        flags.append("forwarded")
    else:
        new_text = strip_reply(text)
    address = from_address.lower() if from_address else None
    return ParsedEmail(
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=_dedupe(references)[-MAX_REFERENCES:],
        from_address=address,
        from_name=from_name or None,
        to=_dedupe(to),
        subject=subject,
        date=parse_date(first_value(message, "date", flags)),
        text=text,
        new_text=new_text,
        attachments=tuple(body.attachments),
        auto_reason=_auto_reason(message, address, flags),
        delivery_report=_delivery_report(message, body, flags),
        flags=_dedupe(flags),
        language=_content_language(message, flags),
    )


def _unparseable() -> ParsedEmail:
    return ParsedEmail(
        message_id=None,
        in_reply_to=None,
        references=(),
        from_address=None,
        from_name=None,
        to=(),
        subject="",
        date=None,
        text="",
        new_text="",
        attachments=(),
        auto_reason=None,
        delivery_report=None,
        flags=("unparseable", "no-text"),
    )


def parse_email(
    raw: bytes,
    *,
    max_attachment_bytes: int = MAX_ATTACHMENT_BYTES,
    max_attachments: int = MAX_ATTACHMENTS,
) -> ParsedEmail:
    """Parse raw message bytes; never raises, whatever the input (problems become ``flags``)."""
    try:
        return _parse(raw, max_attachment_bytes, max_attachments)
    except Exception:  # RecursionError included (absurd nesting); the raw bytes are kept anyway
        log.warning("email MIME tree unreadable; keeping its headers only", exc_info=True)
    try:
        return _parse(raw, max_attachment_bytes, max_attachments, headers_only=True)
    except Exception:
        return _unparseable()


def to_inbound(
    parsed: ParsedEmail, raw: bytes, *, envelope_from: str, received_at: datetime
) -> InboundMessage:
    """The channel-neutral message: keyed by Message-ID (else a hash of the raw bytes)."""
    envelope = envelope_from.strip().strip("<>").strip().lower()
    flags = list(parsed.flags)
    reason = parsed.auto_reason
    if reason is None:
        reason = "null-sender" if not envelope else _sender_reason(envelope)
    if reason:
        flags.append(f"auto:{reason}")
    if parsed.delivery_report is not None:
        flags.append("delivery-report")
        if not reason:
            # A report is never a customer writing, even when forwarded with a normal sender.
            flags.append("auto:delivery-report")
    thread = [parsed.in_reply_to or "", *parsed.references]
    return InboundMessage(
        channel=CHANNEL,
        address=parsed.from_address or envelope,
        provider_id=parsed.message_id or "sha256:" + hashlib.sha256(raw).hexdigest(),
        text=parsed.new_text,
        received_at=received_at,
        display_name=parsed.from_name,
        subject=parsed.subject or None,
        thread_ids=_dedupe(thread),
        attachments=parsed.attachments,
        raw=raw,
        flags=_dedupe(flags),
        lasting_address=True,
        language=parsed.language,
    )
