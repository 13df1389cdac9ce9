"""Who really sent an email: SPF, DKIM and DMARC checked here as the MX, or the operator's own
mail server's verdict read from its Authentication-Results header.

Blocking work (DNS, RSA): call these from a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import contextvars
import logging
import re
from collections.abc import Collection, Iterator
from dataclasses import replace
from email import message_from_bytes, policy
from email.utils import getaddresses
from typing import Any

import authres
import dns.exception
import spf
from authheaders import dmarc_per_from
from authres import DKIMAuthenticationResult, SPFAuthenticationResult

from channels.base import SenderCheck
from channels.email.dkim_verify import (
    FAIL,
    NONE,
    PASS,
    POLICY,
    TEMPERROR,
    check_signatures,
    covers,
    doubled,
    parsers_disagree,
    signature_by,
)
from channels.email.dns_lookup import DnsTemporaryError, Resolver
from channels.email.org_domain import same_organisation

log = logging.getLogger(__name__)

PERMERROR = "permerror"
_RESULTS = frozenset({PASS, FAIL, "softfail", "neutral", NONE, TEMPERROR, PERMERROR, POLICY})
_POLICIES = frozenset({"none", "quarantine", "reject"})

# pyspf looks names up through its module-level DNSLookup; this routes it to the resolver of
# the check under way (each check runs in its own thread, with its own context).
_RESOLVER: contextvars.ContextVar[Resolver | None] = contextvars.ContextVar(
    "sender_check_resolver", default=None
)
_SYSTEM_SPF_LOOKUP = spf.DNSLookup
# A header block larger than any real mail's: not worth the parsers' time (seconds of CPU).
LARGEST_HEAD = 1_000_000
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


def verify_as_mx(
    raw: bytes,
    *,
    ip: str,
    helo: str,
    mail_from: str,
    resolver: Resolver,
    recipients: Collection[str] = (),
) -> SenderCheck:
    """Check SPF for the connecting IP and envelope sender, DKIM, and DMARC for the From.

    ``recipients`` (our complaint addresses): a DKIM signature counts only on mail whose
    signed To or Cc names one of them.
    """
    if len(_head(raw)) > LARGEST_HEAD:
        return replace(_unchecked(raw, "mx"), spf=PERMERROR, dkim=PERMERROR, dmarc=PERMERROR)
    token = _RESOLVER.set(resolver)
    try:
        return _verify(raw, ip, helo, mail_from, resolver, recipients)
    finally:
        _RESOLVER.reset(token)


def _verify(
    raw: bytes,
    ip: str,
    helo: str,
    mail_from: str,
    resolver: Resolver,
    recipients: Collection[str],
) -> SenderCheck:
    from_domain = _from_domain(raw)
    sender = mail_from or f"postmaster@{helo}"
    try:
        spf_word, _reason = spf.check2(ip, sender, helo, querytime=SPF_QUERY_TIME)
    except Exception:  # pyspf's own errors are results; anything else is ours to report
        log.warning("SPF check failed unexpectedly", exc_info=True)
        spf_word = "temperror"
    spf_result = _result_named(spf_word)
    dkim_result, signer = check_signatures(raw, from_domain, recipients, resolver)
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
    if dkim_result == PASS and same_organisation(signer, from_domain):
        return f"dkim:{signer}"
    if spf_result == PASS and same_organisation(spf_domain, from_domain):
        return f"spf:{spf_domain}"
    return None


def from_authentication_results(
    raw: bytes, authserv_id: str, recipients: Collection[str] = ()
) -> SenderCheck:
    """The verdict of the operator's mail server: the topmost Authentication-Results it added.

    Headers are added on top as mail passes through, so any further down with the same id
    were written by the sender, and are ignored; none at all is no verdict (all "none"). A
    pass resting on a DKIM signature is held to the rules the MX checks apply (see
    channels.email.dkim_verify.covers), which the operator's server does not know.
    """
    if len(_head(raw)) > LARGEST_HEAD:
        return nothing_proven(raw)
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
    found = {str(r.method).lower(): r for r in reversed(header.results)}  # the first of each
    # Of several DKIM results (one per signature), the one that vouches for the From.
    signatures = [r for r in header.results if str(r.method).lower() == "dkim"]
    found["dkim"] = next(
        (
            r
            for r in signatures
            if str(r.result).lower() == PASS
            and same_organisation(_property(r, "header", "d") or "", from_domain)
        ),
        found.get("dkim"),
    )
    judged = (_property(found.get("dmarc"), "header", "from") or "").strip().lower()
    unlike = judged and judged != from_domain
    if unlike or parsers_disagree(raw) or doubled(raw):
        # The operator's server judged another From than the one we read (several From
        # headers, or one the two parsers read differently), or a signature it checked may
        # cover other headers than the ones we read (see channels.email.dkim_verify).
        return nothing_proven(raw)
    policy_word = _property(found.get("dmarc"), "policy", "dmarc")
    clause = re.search(r"(?i)\bdmarc=[^;]*", value)
    if policy_word is None and clause and (said := re.search(r"\(p=(\w+)", clause[0])):
        policy_word = said[1]  # "dmarc=fail (p=reject dis=none) header.from=..."
    spf_result = _result_named(_result(found.get("spf")))
    dkim_result = _result_named(_result(found.get("dkim")))
    signer = (_property(found.get("dkim"), "header", "d") or "").lower()
    mail_from = _property(found.get("spf"), "smtp", "mailfrom") or ""
    dmarc_result = _result_named(_result(found.get("dmarc")))
    aligned = _aligned(from_domain, spf_result, _domain_of(mail_from), dkim_result, signer)
    if aligned and aligned.startswith("dkim:") and not _signature_holds(raw, signer, recipients):
        # The pass rests on a signature that does not vouch for what the intake reads.
        dkim_result, aligned = POLICY, None
        dmarc_result = FAIL if dmarc_result == PASS else dmarc_result
    return SenderCheck(
        spf=spf_result,
        dkim=dkim_result,
        dmarc=dmarc_result,
        from_domain=from_domain,
        checked_by="forwarded",
        policy=_policy_named(policy_word),
        aligned=aligned,
    )


def _signature_holds(raw: bytes, signer: str, recipients: Collection[str]) -> bool:
    found = signature_by(raw, signer)
    return found is not None and covers(raw, found[0], found[1], recipients)


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


def replayed(check: SenderCheck) -> SenderCheck:
    """The check of a copy of a message already received: a signature proves the first copy
    only, so a pass resting on one is a "policy" result here."""
    if check.checked_by == "trusted-peer" or not (check.aligned or "").startswith("dkim:"):
        return check
    dmarc = FAIL if check.dmarc == PASS else check.dmarc
    return replace(check, dkim=POLICY, dmarc=dmarc, aligned=None)


def nothing_proven(raw: bytes) -> SenderCheck:
    """No verdict: no header from the operator's server, or mail that went round it."""
    return _unchecked(raw, "forwarded")


def out_of_time(raw: bytes) -> SenderCheck:
    """The MX checks did not finish in time: every method a temperror."""
    return replace(_unchecked(raw, "mx"), spf=TEMPERROR, dkim=TEMPERROR, dmarc=TEMPERROR)


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
