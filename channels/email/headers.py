"""Header values of a parsed message, decoded the forgiving way (never raises)."""

from __future__ import annotations

import email.header
import email.policy
import email.utils
import re
from datetime import UTC, datetime
from email.headerregistry import AddressHeader
from email.message import Message

POLICY = email.policy.default
CHARSET_FALLBACK = "charset-fallback"

_FOLD = re.compile(r"\r?\n(?=[ \t])")
_MSG_ID = re.compile(r"<[^<>\s]{1,500}>")
_ADDR_SPEC = re.compile(r"[^\s<>@]+@[^\s<>@]+")
_SPACES = re.compile(r"\s+")
# Unicode category Cc except tab and newline; Cs (surrogates).
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value: str) -> str:
    """``value`` as valid Unicode: stray surrogates and control characters become spaces."""
    if _SURROGATE.search(value):
        value = value.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return _CONTROL.sub(" ", value)


def one_line(value: str) -> str:
    """``value`` cleaned and collapsed onto one line (for subjects and names)."""
    return _SPACES.sub(" ", clean_text(value)).strip()


def decode_8bit(value: str, flags: list[str]) -> str:
    """A raw header value whose 8-bit bytes (kept as surrogates) are read as UTF-8, else cp1252."""
    if not any("\udc80" <= char <= "\udcff" for char in value):
        return value
    try:
        data = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return clean_text(value)
    try:
        # RFC 6532: raw UTF-8 in headers is legal; anything else is a guess.
        return data.decode("utf-8")
    except UnicodeDecodeError:
        flags.append(CHARSET_FALLBACK)
        return data.decode("cp1252", "replace")


def raw_values(message: Message, name: str, flags: list[str]) -> list[str]:
    """Every value of header ``name`` as received: unfolded, 8-bit decoded, not MIME-decoded."""
    wanted = name.lower()
    values = []
    try:
        items = list(message.raw_items())
    except Exception:
        return []
    for key, value in items:
        if str(key).lower() == wanted:
            values.append(_FOLD.sub("", decode_8bit(str(value), flags)).strip())
    return values


def first_value(message: Message, name: str, flags: list[str]) -> str | None:
    """The first raw value of header ``name``, or None."""
    values = raw_values(message, name, flags)
    return values[0] if values else None


def has_header(message: Message, name: str) -> bool:
    """Whether header ``name`` is present at all."""
    wanted = name.lower()
    try:
        return any(str(key).lower() == wanted for key, _ in message.raw_items())
    except Exception:
        return False


def header_names(message: Message) -> list[str]:
    """Lower-cased names of every header present."""
    try:
        return [str(key).lower() for key, _ in message.raw_items()]
    except Exception:
        return []


def decode_words(name: str, value: str) -> str:
    """An unstructured header value with RFC 2047 encoded words decoded, on one line."""
    try:
        decoded = str(POLICY.header_factory(name, value))
    except Exception:
        try:
            decoded = str(email.header.make_header(email.header.decode_header(value)))
        except Exception:
            decoded = value
    return one_line(decoded)


def addresses(name: str, value: str) -> list[tuple[str, str]]:
    """``(display name, addr-spec)`` pairs of an address header; unusable entries are dropped."""
    pairs: list[tuple[str, str]] = []
    try:
        header = POLICY.header_factory(name, value)
        if isinstance(header, AddressHeader):
            pairs = [(str(a.display_name or ""), str(a.addr_spec)) for a in header.addresses]
    except Exception:
        pairs = []
    if not any(_ADDR_SPEC.fullmatch(spec) for _, spec in pairs):
        try:
            pairs = [(n, a) for n, a in email.utils.getaddresses([value]) if a]
        except Exception:
            pairs = []
    return [(one_line(n), spec.strip()) for n, spec in pairs if _ADDR_SPEC.fullmatch(spec.strip())]


def message_ids(value: str | None) -> list[str]:
    """The ``<id>`` tokens of a Message-ID, In-Reply-To or References value, in order."""
    if not value:
        return []
    return _MSG_ID.findall(clean_text(value))


def parse_date(value: str | None) -> datetime | None:
    """A Date header as an aware datetime (UTC when the zone is unknown), or None."""
    if not value:
        return None
    try:
        parsed = email.utils.parsedate_to_datetime(value.strip())
    except Exception:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
