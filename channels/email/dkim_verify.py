"""DKIM signatures checked for what they prove about the message the intake will read.

A signature can verify and still not vouch for what the bot reads: a body going on past its
``l=`` length, a header the parser reads from an unsigned copy, a message split into headers
differently by dkimpy and by Python's email parser, or someone else's signed mail replayed
to us. Each of those is RFC 8601's ``policy`` result, not a pass.
"""

from __future__ import annotations

import base64
import logging
import re
from collections.abc import Collection, Mapping
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser
from email.utils import getaddresses

import dkim
import dkim.crypto
import dns.exception
from dkim.canonicalization import CanonicalizationPolicy

from channels.email.dns_lookup import DnsTemporaryError, Resolver
from channels.email.org_domain import same_organisation

log = logging.getLogger(__name__)

PASS = "pass"  # noqa: S105 (a result word, not a password)
FAIL = "fail"
NONE = "none"
TEMPERROR = "temperror"
POLICY = "policy"
# Headers a message has at most once (RFC 5322 3.6, RFC 2045). A signature covers the bottom
# copy and the parser reads the top one, so a copy added on top of signed mail would be read.
SINGLE_HEADERS = (
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Cc",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)
# Signatures looked at per message (a forwarder or an ESP adds its own on top).
MOST_SIGNATURES = 5
_LONGEST_KEY_BITS = 4096
# A 4096-bit key's SubjectPublicKeyInfo is 550 bytes: 736 in base64; some room for encoding.
_LONGEST_KEY_BASE64 = 800
_BIGGEST_EXPONENT = 2**17 + 1


def check_signatures(
    raw: bytes, from_domain: str, recipients: Collection[str], resolver: Resolver
) -> tuple[str, str]:
    """The best signature's result and signing domain: one aligned with the From domain that
    passes, else any that passes, else the first one's result ("none" when unsigned)."""
    headers = read_headers(raw)
    if headers is None:
        # Headers dkimpy cannot read: no signature can hold, if there is one at all.
        head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
        return (FAIL if re.search(rb"(?im)^dkim-signature:", head) else NONE), ""
    count = sum(name.lower() == b"dkim-signature" for name, _ in headers)
    if count == 0:
        return NONE, ""
    results = [
        _one_signature(raw, index, recipients, resolver)
        for index in range(min(count, MOST_SIGNATURES))
    ]
    passing = [found for found in results if found[0] == PASS]
    aligned = [found for found in passing if same_organisation(found[1], from_domain)]
    return (aligned or passing or results)[0]


def read_headers(raw: bytes) -> list[tuple[bytes, bytes]] | None:
    """The header fields as dkimpy reads them; None when it cannot."""
    try:
        headers, _body = dkim.rfc822_parse(raw)
    except Exception:  # MessageFormatError, or an IndexError on a first line that is folded
        return None
    return [(name, value) for name, value in headers]


def _one_signature(
    raw: bytes, index: int, recipients: Collection[str], resolver: Resolver
) -> tuple[str, str]:
    def txt(name: bytes, timeout: float = 5) -> bytes | None:
        records = resolver.lookup(name.decode("ascii").rstrip("."), "TXT")
        if not records:
            return None
        _refuse_costly_key(records[0])
        return records[0].encode("utf-8")

    checker = dkim.DKIM(raw)  # its headers were read already: this parses
    try:
        passed = checker.verify(idx=index, dnsfunc=txt)
    except (DnsTemporaryError, dkim.DnsTimeoutError, dns.exception.DNSException):
        result = TEMPERROR
    except dkim.DKIMException:
        result = FAIL
    except Exception:  # a malformed signature is a fail, never a crash
        log.info("DKIM signature unreadable", exc_info=True)
        result = FAIL
    else:
        result = PASS if passed else FAIL
    fields = checker.signature_fields
    if result == PASS and not _covers_what_we_read(raw, checker, recipients):
        result = POLICY
    signer = fields.get(b"d", b"").decode("ascii", "replace").lower()
    return result, signer


def _covers_what_we_read(raw: bytes, checker: dkim.DKIM, recipients: Collection[str]) -> bool:
    """Whether a verified signature vouches for the message as the intake will read it."""
    if parsers_disagree(raw) or doubled(raw):
        return False
    return covers(raw, checker.signature_fields, checker.body, recipients)


def covers(
    raw: bytes, fields: Mapping[bytes, bytes], body: bytes, recipients: Collection[str]
) -> bool:
    """Whether a signature's tags vouch for the message: it signs the Message-ID (a copy
    re-sent later is then known by it: see bot.mail), the body has nothing past ``l=``, and
    a signed To or Cc names one of ``recipients`` (when given)."""
    signed = {
        name.strip().lower() for name in fields.get(b"h", b"").decode("ascii", "replace").split(":")
    }
    if "message-id" not in signed or _unsigned_tail(fields, body):
        return False
    return not recipients or _addressed_to(raw, signed, recipients)


def signature_by(raw: bytes, signer: str) -> tuple[dict[bytes, bytes], bytes] | None:
    """The tags of the first signature by ``signer`` (d=), and the body, read without any
    cryptography (to hold another server's verdict to the rules above)."""
    headers = read_headers(raw)
    if headers is None:
        return None
    for name, value in headers:
        if name.lower() != b"dkim-signature":
            continue
        tags = {
            tag.strip(): b"".join(content.split())
            for tag, _, content in (part.partition(b"=") for part in value.split(b";"))
            if tag.strip()
        }
        if tags.get(b"d", b"").decode("ascii", "replace").lower() == signer.lower():
            return tags, dkim.rfc822_parse(raw)[1]
    return None


def _unsigned_tail(fields: Mapping[bytes, bytes], body: bytes) -> bool:
    """The body goes on past the length an "l=" tag signed."""
    if b"l" not in fields:
        return False
    canonical = CanonicalizationPolicy.from_c_value(fields.get(b"c", b"simple/simple"))
    try:
        return len(canonical.canonicalize_body(body)) > int(fields[b"l"])
    except ValueError:
        return True  # an unreadable length vouches for nothing


def parsers_disagree(raw: bytes) -> bool:
    """dkimpy and Python's email parser see different header fields (a bare CR, a line that
    is no header): the signed headers would not be the ones the intake reads."""
    ours = read_headers(raw)
    if ours is None:
        return True
    theirs = _python_headers(raw)
    return [name.lower() for name, _ in ours] != [
        name.lower().encode("ascii", "replace") for name in theirs
    ]


def _python_headers(raw: bytes) -> Message:
    """The header fields as Python's email parser (and so the intake) reads them. Only the
    block up to dkimpy's first empty line is parsed: Python's ends there or sooner."""
    head = re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]
    return BytesHeaderParser(policy=policy.compat32).parsebytes(head + b"\r\n\r\n")


def doubled(raw: bytes) -> bool:
    """A header that must appear once appears more often."""
    message = _python_headers(raw)
    return any(len(message.get_all(name) or ()) > 1 for name in SINGLE_HEADERS)


def _addressed_to(raw: bytes, signed: set[str], recipients: Collection[str]) -> bool:
    """A signed To or Cc names one of ours: someone's signed mail to another is not theirs to us
    (replayed, it would count as what they said to us)."""
    message = _python_headers(raw)
    named = [
        str(value)
        for header in ("to", "cc")
        if header in signed
        for value in message.get_all(header) or ()
    ]
    ours = {address.lower() for address in recipients}
    return any(address.lower() in ours for _, address in getaddresses(named))


def _refuse_costly_key(record: str) -> None:
    """Refuse a published key that would cost seconds of CPU to verify with (a sender's DoS).

    RFC 8301 has verifiers accept RSA keys up to 4096 bits; a huge modulus or exponent makes
    each check slow, so it fails as a key nobody should publish.
    """
    tags = dict(part.strip().partition("=")[::2] for part in record.split(";") if "=" in part)
    key = re.sub(r"\s+", "", tags.get("p", ""))
    if len(key) > _LONGEST_KEY_BASE64:
        raise dkim.KeyFormatError("public key longer than 4096 bits")
    try:
        fields = dkim.crypto.parse_public_key(base64.b64decode(key, validate=True))
    except Exception:  # dkimpy reads it again and reports it as it sees fit
        return
    too_long = fields["modulus"].bit_length() > _LONGEST_KEY_BITS
    if too_long or fields["publicExponent"] > _BIGGEST_EXPONENT:
        raise dkim.KeyFormatError("public key too costly to verify with")
