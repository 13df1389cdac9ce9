"""Who really sent an email: SPF, DKIM and DMARC checked here as the MX, or the operator's own
mail server's verdict read from its Authentication-Results header.

Blocking work (DNS, RSA): call these from a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import base64
import contextvars
import functools
import importlib.resources
import logging
import re
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes, policy
from email.utils import getaddresses
from typing import Any

import authheaders
import authheaders.dmarc_lookup
import authres
import dkim
import dkim.crypto
import dns.exception
import spf
from authheaders import dmarc_per_from
from authres import DKIMAuthenticationResult, SPFAuthenticationResult
from dkim.canonicalization import CanonicalizationPolicy
from publicsuffix2 import PublicSuffixList

from channels.base import SenderCheck
from channels.email.dns_lookup import DnsTemporaryError, Resolver

log = logging.getLogger(__name__)

PASS = "pass"  # noqa: S105 (a result word, not a password)
FAIL = "fail"
NONE = "none"
TEMPERROR = "temperror"
PERMERROR = "permerror"
# A DKIM signature that verifies but does not cover what we read ("l=", a doubled header).
POLICY = "policy"
_RESULTS = frozenset({PASS, FAIL, "softfail", "neutral", NONE, TEMPERROR, PERMERROR, POLICY})
# Headers a message has at most once (RFC 5322 3.6). A signature covers the bottom copy and
# the parser reads the top one, so a copy added on top of a signed message would be believed.
_SINGLE_HEADERS = (
    "From",
    "Sender",
    "Reply-To",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
)
_POLICIES = frozenset({"none", "quarantine", "reject"})

# pyspf looks names up through its module-level DNSLookup; this routes it to the resolver of
# the check under way (each check runs in its own thread, with its own context).
_RESOLVER: contextvars.ContextVar[Resolver | None] = contextvars.ContextVar(
    "sender_check_resolver", default=None
)
_SYSTEM_SPF_LOOKUP = spf.DNSLookup
_LONGEST_KEY_BITS = 4096
# A 4096-bit key's SubjectPublicKeyInfo is 550 bytes: 736 in base64; some room for encoding.
_LONGEST_KEY_BASE64 = 800
# RFC 7208's limit on the whole SPF evaluation, in seconds.
SPF_QUERY_TIME = 20


def _spf_lookup(
    name: str, qtype: str, strict: bool = True, timeout: float = 20
) -> list[tuple[tuple[str, str], Any]]:
    resolver = _RESOLVER.get()
    if resolver is None:
        return list(_SYSTEM_SPF_LOOKUP(name, qtype, strict, timeout))
    try:
        records = resolver.lookup(name, qtype)
    except DnsTemporaryError as error:
        raise spf.TempError(f"DNS {error}") from error
    if qtype in ("TXT", "SPF"):
        return [((name, qtype), (record.encode("utf-8"),)) for record in records]
    if qtype == "MX":
        pairs = [record.split(" ", 1) for record in records]
        return [((name, qtype), (int(pref), host)) for pref, host in pairs]
    return [((name, qtype), record) for record in records]


spf.DNSLookup = _spf_lookup


@functools.cache
def _suffixes() -> PublicSuffixList:
    ref = importlib.resources.files("authheaders") / "public_suffix_list.txt"
    with importlib.resources.as_file(ref) as location, open(location, encoding="utf-8") as lines:
        return PublicSuffixList(lines)


def get_org_domain(domain: str) -> str:
    """The organisational domain ("mail.shop.co.uk" -> "shop.co.uk"), for DMARC alignment."""
    domain = domain.strip(".").lower()
    found = _suffixes().get_public_suffix(domain, strict=True)
    if found is not None:
        return str(found)
    # A top-level domain newer than the bundled list: RFC 7489's default rule ("*") makes the
    # organisation one label under it. Without this every "*.web" domain would be one
    # organisation, and any of them could vouch for another's From.
    return ".".join(domain.split(".")[-2:])


# authheaders reads its 200 KB public suffix list anew on every call (30 ms, several times per
# message): it gets the same list, read once.
authheaders.dmarc_lookup.get_org_domain = get_org_domain
authheaders.get_org_domain = get_org_domain


def verify_as_mx(
    raw: bytes, *, ip: str, helo: str, mail_from: str, resolver: Resolver
) -> SenderCheck:
    """Check SPF for the connecting IP and envelope sender, DKIM, and DMARC for the From."""
    token = _RESOLVER.set(resolver)
    try:
        return _verify(raw, ip, helo, mail_from, resolver)
    finally:
        _RESOLVER.reset(token)


def _verify(raw: bytes, ip: str, helo: str, mail_from: str, resolver: Resolver) -> SenderCheck:
    from_domain = _from_domain(raw)
    sender = mail_from or f"postmaster@{helo}"
    try:
        spf_word, _reason = spf.check2(ip, sender, helo, querytime=SPF_QUERY_TIME)
    except Exception:  # pyspf's own errors are results; anything else is ours to report
        log.warning("SPF check failed unexpectedly", exc_info=True)
        spf_word = "temperror"
    spf_result = _result_named(spf_word)
    dkim_result, signer = _dkim(raw, resolver)
    dmarc_result, policy_word = _dmarc(
        from_domain, sender, spf_result, dkim_result, signer, resolver
    )
    return SenderCheck(
        spf=spf_result,
        dkim=dkim_result,
        dmarc=dmarc_result,
        from_domain=from_domain,
        checked_by="mx",
        policy=_policy_named(policy_word),
        aligned=_aligned(from_domain, spf_result, _domain_of(sender), dkim_result, signer),
    )


def _dkim(raw: bytes, resolver: Resolver) -> tuple[str, str]:
    """The first DKIM signature's result and signing domain ("none" when unsigned)."""

    def txt(name: bytes, timeout: float = 5) -> bytes | None:
        records = resolver.lookup(name.decode("ascii").rstrip("."), "TXT")
        if not records:
            return None
        _refuse_costly_key(records[0])
        return records[0].encode("utf-8")

    if not re.search(rb"(?im)^dkim-signature:", _head(raw)):
        return NONE, ""
    try:
        checker = dkim.DKIM(raw)
    except Exception:  # headers dkimpy cannot read: no signature can hold
        log.info("message unreadable for DKIM", exc_info=True)
        return FAIL, ""
    try:
        passed = checker.verify(dnsfunc=txt)
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
    if result == PASS and (_unsigned_tail(checker) or _doubled(raw)):
        # "l=" leaves whatever follows the signed length unsigned; a doubled header is read
        # from the copy the signature does not cover. Either lets a replay carry new words.
        result = POLICY
    signer = fields.get(b"d", b"").decode("ascii", "replace").lower()
    return result, signer


def _unsigned_tail(checker: dkim.DKIM) -> bool:
    """The body goes on past the length an "l=" tag signed."""
    fields = checker.signature_fields
    if b"l" not in fields:
        return False
    canonical = CanonicalizationPolicy.from_c_value(fields.get(b"c", b"simple/simple"))
    return len(canonical.canonicalize_body(checker.body)) > int(fields[b"l"])


def _doubled(raw: bytes) -> bool:
    """A header that must appear once appears more often."""
    message = message_from_bytes(_head(raw) + b"\r\n\r\n", policy=policy.compat32)
    return any(len(message.get_all(name) or ()) > 1 for name in _SINGLE_HEADERS)


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
    if fields["modulus"].bit_length() > _LONGEST_KEY_BITS or fields["publicExponent"] > 2**17 + 1:
        raise dkim.KeyFormatError("public key too costly to verify with")


def _dmarc(
    from_domain: str,
    sender: str,
    spf_result: str,
    dkim_result: str,
    signer: str,
    resolver: Resolver,
) -> tuple[str, str | None]:
    if not from_domain:
        return PERMERROR, None

    def txt(name: str) -> str | None:
        records = [r for r in resolver.lookup(name, "TXT") if r.startswith("v=DMARC1")]
        return records[0] if records else None

    try:
        result, _comment, _domain, policy_word = dmarc_per_from(
            from_domain,
            spf_result=SPFAuthenticationResult(result=spf_result, smtp_mailfrom=sender),
            dkim_result=DKIMAuthenticationResult(result=dkim_result, header_d=signer),
            dnsfunc=txt,
        )
    except dns.exception.DNSException:
        return TEMPERROR, None
    except Exception:  # a malformed DMARC record ("v=DMARC1; p") is the domain's error
        log.info("DMARC record unreadable for %s", from_domain, exc_info=True)
        return PERMERROR, None
    return _result_named(result), policy_word or None


def _aligned(
    from_domain: str, spf_result: str, spf_domain: str, dkim_result: str, signer: str
) -> str | None:
    """The passing identity in the From domain's organisation (relaxed alignment)."""
    if not from_domain:
        return None
    organisation = get_org_domain(from_domain)
    if dkim_result == PASS and signer and get_org_domain(signer) == organisation:
        return f"dkim:{signer}"
    if spf_result == PASS and spf_domain and get_org_domain(spf_domain) == organisation:
        return f"spf:{spf_domain}"
    return None


def from_authentication_results(raw: bytes, authserv_id: str) -> SenderCheck:
    """The verdict of the operator's mail server: the topmost Authentication-Results it added.

    Headers are added on top as mail passes through, so any further down with the same id
    were written by the sender, and are ignored; none at all is no verdict (all "none").
    """
    from_domain = _from_domain(raw)
    value = next(
        (
            v
            for v in _headers(raw, "Authentication-Results")
            if _authserv_id(v) == authserv_id.lower()
        ),
        None,
    )
    if value is None:
        return nothing_proven(raw)
    try:
        header = authres.AuthenticationResultsHeader.parse_value(value)
    except Exception:
        # Ours but unreadable: nothing proven. Looking further down would let a header the
        # sender wrote stand in for it.
        log.info("the operator's Authentication-Results header does not parse")
        return nothing_proven(raw)
    found = {str(r.method).lower(): r for r in header.results}
    judged = (_property(found.get("dmarc"), "header", "from") or "").strip().lower()
    if (judged and judged != from_domain) or _doubled(raw):
        # The operator's server judged another From than the one we read (several From
        # headers, or one the two parsers read differently), or a signature it checked may
        # cover another copy of a header than the one we read (see _SINGLE_HEADERS).
        return nothing_proven(raw)
    policy_word = _property(found.get("dmarc"), "policy", "dmarc")
    if policy_word is None and (said := re.search(r"\bp=(\w+)", value)):
        policy_word = said[1]
    spf_result = _result_named(_result(found.get("spf")))
    dkim_result = _result_named(_result(found.get("dkim")))
    signer = (_property(found.get("dkim"), "header", "d") or "").lower()
    mail_from = _property(found.get("spf"), "smtp", "mailfrom") or ""
    return SenderCheck(
        spf=spf_result,
        dkim=dkim_result,
        dmarc=_result_named(_result(found.get("dmarc"))),
        from_domain=from_domain,
        checked_by="forwarded",
        policy=_policy_named(policy_word),
        aligned=_aligned(from_domain, spf_result, _domain_of(mail_from), dkim_result, signer),
    )


def _authserv_id(value: str) -> str:
    """The authserv-id a header starts with (before any version, comment or ";")."""
    found = re.match(r"\s*(?:\([^)]*\)\s*)*([^\s;()]+)", value)
    return found[1].lower() if found else ""


def about_address(check: SenderCheck, address: str) -> SenderCheck:
    """The check as proof about ``address``: none at all when it was about another domain (a
    From the parser reads differently, or an envelope sender standing in for a missing From)."""
    if check.from_domain == address.rpartition("@")[2].lower():
        return check
    return replace(check, spf=NONE, dkim=NONE, dmarc=NONE, aligned=None)


def nothing_proven(raw: bytes) -> SenderCheck:
    """No verdict: no header from the operator's server, or mail that went round it."""
    return _unchecked(raw, "forwarded")


def trusted_peer(raw: bytes) -> SenderCheck:
    """Mail handed over by a host the operator trusts (the local machine, their relay)."""
    return _unchecked(raw, "trusted-peer")


def _unchecked(raw: bytes, checked_by: str) -> SenderCheck:
    return SenderCheck(
        spf=NONE,
        dkim=NONE,
        dmarc=NONE,
        from_domain=_from_domain(raw),
        checked_by=checked_by,
    )


def _result(result: Any) -> str | None:
    return None if result is None else str(result.result)


def _property(result: Any, kind: str, name: str) -> str | None:
    if result is None:
        return None
    for prop in result.properties:
        if str(prop.type).lower() == kind and str(prop.name).lower() == name:
            return str(prop.value)
    return None


def _head(raw: bytes) -> bytes:
    """The header block (CRLF or bare LF line ends)."""
    return re.split(rb"\r?\n\r?\n", raw, maxsplit=1)[0]


def _headers(raw: bytes, name: str) -> Iterator[str]:
    message = message_from_bytes(_head(raw) + b"\r\n\r\n", policy=policy.compat32)
    for value in message.get_all(name) or ():
        yield " ".join(str(value).split())


def _from_domain(raw: bytes) -> str:
    """The domain of the (single) From address; "" when there is none or several."""
    values = list(_headers(raw, "From"))
    addresses = [address for _, address in getaddresses(values) if "@" in address]
    if len(addresses) != 1:
        return ""
    return _domain_of(addresses[0])


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(">").rstrip(".").lower()


def _result_named(value: str | None) -> str:
    """A result word as a library or header gives it; anything unknown is a permerror."""
    word = (value or NONE).strip().lower()
    if word == "hardfail":  # what some software writes for fail
        return FAIL
    return word if word in _RESULTS else PERMERROR


def _policy_named(value: str | None) -> str | None:
    """A DMARC p= value, or None when absent or not one of the three."""
    word = (value or "").strip().lower()
    return word if word in _POLICIES else None
