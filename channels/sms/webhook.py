"""Twilio's inbound SMS webhooks: verify the signature, parse messages and status callbacks."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import urlsplit

import phonenumbers
from twilio.request_validator import RequestValidator

from channels.base import Attachment, InboundMessage

CHANNEL = "sms"
# Twilio's limit on media in one message.
MAX_MEDIA = 10

Keyword = Literal["stop", "start", "help"]
"""What a whole-message keyword asks for: opt out, opt back in, or help."""

_KEYWORDS: dict[str, Keyword] = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"), "stop"
    ),
    **dict.fromkeys(("START", "UNSTOP", "YES"), "start"),
    **dict.fromkeys(("HELP", "INFO"), "help"),
}
_OPT_OUT_TYPES: dict[str, Keyword] = {"STOP": "stop", "START": "start", "HELP": "help"}


class MalformedWebhook(ValueError):
    """A webhook request that lacks what every genuine Twilio request carries."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class StatusUpdate:
    """Twilio's report on an outbound message: queued, sent, delivered, undelivered, failed."""

    provider_id: str
    status: str
    error_code: int | None = None
    to: str | None = None

    @property
    def failed(self) -> bool:
        """True when Twilio gave up on the message (it never reached the handset)."""
        return self.status in {"failed", "undelivered"}


def verify_signature(
    auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """True when ``signature`` (X-Twilio-Signature) signs this URL and form with the token."""
    if not signature:
        return False
    # Passed through as given: RequestValidator reads repeated fields from multi-dicts itself.
    return bool(RequestValidator(auth_token).validate(url, params, signature))


# Twilio's parameter names are CamelCase words ("MessageSid", "MediaUrl0"). Twilio adds new
# ones without notice (its docs say to accept them), so an unknown name of that shape is
# taken; a name of any other shape is a signed request re-cut at other boundaries ("Bodyhi
# there", "+447700900123").
_FIELD_NAME = re.compile(r"[A-Z][A-Za-z0-9]{0,63}")
# The ids Twilio gives: two letters and 32 lower-case hex digits.
_SIDS = {
    "MessageSid": "SM|MM",
    "SmsSid": "SM|MM",
    "SmsMessageSid": "SM|MM",
    "AccountSid": "AC",
    "MessagingServiceSid": "MG",
}
_NUMBER_FIELDS = ("NumMedia", "NumSegments", "ErrorCode")


def check_fields(params: Mapping[str, str], account_sid: str | None) -> None:
    """Refuse (MalformedWebhook) a signed request whose fields are not as Twilio sends them.

    Twilio signs the URL and the fields' names and values run together, so one captured
    request can be cut at other boundaries and still verify: a value swallowing the next
    field, the end of Body sent as a field name. Such a cut leaves a name or an id that is
    not Twilio's shape; the replay check (the signature seen before) catches the rest.
    """
    for name in params:
        if not _FIELD_NAME.fullmatch(name):
            raise MalformedWebhook(f"field name {name[:40]!r} is not one Twilio sends")
    for name, prefixes in _SIDS.items():
        value = params.get(name)
        if value is not None and not re.fullmatch(rf"(?:{prefixes})[0-9a-f]{{32}}", value):
            raise MalformedWebhook(f"{name} is not a Twilio id: {value[:40]!r}")
    for name in _NUMBER_FIELDS:
        value = params.get(name)
        if value is not None and value.strip() and not value.strip().isdigit():
            raise MalformedWebhook(f"{name} is not a number: {value[:20]!r}")
    if account_sid and params.get("AccountSid", account_sid) != account_sid:
        raise MalformedWebhook("AccountSid is not this account's")


def normalise_number(text: str, default_region: str) -> str | None:
    """``text`` as an E.164 phone number (national forms read in ``default_region``), or None."""
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    # A number in a range the metadata does not list yet (or a reserved one) is still taken
    # when it has the full length of a mobile or landline number there: a customer must not be
    # turned away because the library lags. Shorter "possible" numbers are mostly typos.
    usable = phonenumbers.is_valid_number(number) or any(
        phonenumbers.is_possible_number_for_type_with_reason(number, kind)
        == phonenumbers.ValidationResult.IS_POSSIBLE
        for kind in (phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE)
    )
    if not usable:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def keyword(body: str, opt_out_type: str | None) -> Keyword | None:
    """The opt-out, opt-in or help keyword the message is, if the whole message is one."""
    if opt_out_type and opt_out_type.strip().upper() in _OPT_OUT_TYPES:
        return _OPT_OUT_TYPES[opt_out_type.strip().upper()]
    return _KEYWORDS.get(body.strip().upper())


def _required(params: Mapping[str, str], *names: str) -> str:
    for name in names:
        value = params.get(name, "").strip()
        if value:
            return value
    raise MalformedWebhook(f"missing {' or '.join(names)}")


def _attachments(params: Mapping[str, str]) -> tuple[tuple[Attachment, ...], list[str]]:
    raw_count = params.get("NumMedia", "0").strip() or "0"
    try:
        count = int(raw_count)
    except ValueError:
        raise MalformedWebhook(f"NumMedia is not a number: {raw_count[:20]!r}") from None
    if count < 0:
        raise MalformedWebhook(f"NumMedia is negative: {count}")
    attachments: list[Attachment] = []
    flags: list[str] = []
    if count > MAX_MEDIA:
        # Twilio sends at most ten; a larger count is not Twilio's, and each missing item
        # would add a flag: NumMedia=1000000 once stored a 24 MB row.
        flags.append(f"media-over-limit:{min(count, 10**9)}")
        count = MAX_MEDIA
    for index in range(count):
        url = params.get(f"MediaUrl{index}", "").strip()
        if not url:
            # Keep the customer's words even if one media item is broken; staff see the flag.
            flags.append(f"media-missing:{index}")
            continue
        name = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
        attachments.append(
            Attachment(
                filename=name or f"media-{index}",
                content_type=params.get(f"MediaContentType{index}") or "application/octet-stream",
                size=0,
                url=url,
            )
        )
    return tuple(attachments), flags


def parse_incoming(
    params: Mapping[str, str], raw: bytes, received_at: datetime, default_region: str
) -> InboundMessage:
    """An inbound SMS or MMS webhook's form as an InboundMessage; MalformedWebhook if unusable."""
    sender = _required(params, "From")
    provider_id = _required(params, "MessageSid", "SmsSid")
    attachments, flags = _attachments(params)
    # "whatsapp:+1..." and the like name another channel: stripping the prefix would make a
    # reply go out as SMS. Short codes and alphanumeric senders stay as they came too.
    address = None if ":" in sender else normalise_number(sender, default_region)
    if address is None:
        address = sender
        flags.append("address-not-e164")
    opt_out_type = params.get("OptOutType", "").strip()
    if opt_out_type:
        flags.append(f"opt-out-type:{opt_out_type.upper()}")
    return InboundMessage(
        channel=CHANNEL,
        address=address,
        provider_id=provider_id,
        text=params.get("Body", ""),
        received_at=received_at,
        attachments=attachments,
        raw=raw,
        flags=tuple(flags),
        lasting_address=True,
    )


def parse_status(params: Mapping[str, str]) -> StatusUpdate:
    """A status callback's form as a StatusUpdate; MalformedWebhook if unusable."""
    raw_code = params.get("ErrorCode", "").strip()
    try:
        error_code = int(raw_code) if raw_code else None
    except ValueError:
        raise MalformedWebhook(f"ErrorCode is not a number: {raw_code[:20]!r}") from None
    return StatusUpdate(
        provider_id=_required(params, "MessageSid", "SmsSid"),
        status=_required(params, "MessageStatus", "SmsStatus").lower(),
        error_code=error_code,
        to=params.get("To") or None,
    )
