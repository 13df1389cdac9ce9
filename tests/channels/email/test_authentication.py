"""Sender checks: SPF, DKIM and DMARC as the MX, and the operator's Authentication-Results."""

from __future__ import annotations

from dataclasses import asdict

from channels.base import SenderCheck
from channels.email.authentication import (
    from_authentication_results,
    trusted_peer,
    verify_as_mx,
)
from fakes.mail_auth import FakeDns, email, publish_domain, signed
from tests.channels.email.test_corpus import CORPUS
from workflows.sender_trust import AuthResult, CheckedBy, DmarcPolicy, SenderAuthentication

SENDER_IP = "192.0.2.10"  # listed in customer.example's SPF record
STRANGER_IP = "198.51.100.7"


def check(
    raw: bytes, dns: FakeDns, ip: str = SENDER_IP, mail_from: str = "bea@customer.example"
) -> SenderAuthentication:
    """The MX checks, as the core reads them."""
    found = verify_as_mx(
        raw, ip=ip, helo="mail.customer.example", mail_from=mail_from, resolver=dns
    )
    return read(found)


def read(found: SenderCheck) -> SenderAuthentication:
    return SenderAuthentication.from_dict(asdict(found))


def test_a_signed_message_from_the_domains_server_passes_everything(dns: FakeDns) -> None:
    result = check(signed(email(), "customer.example"), dns)
    assert (result.spf, result.dkim, result.dmarc) == (AuthResult.PASS,) * 3
    assert result.aligned == "dkim:customer.example"
    assert result.policy is DmarcPolicy.REJECT
    assert result.authenticated
    assert not result.domain_rejects


def test_a_forged_from_sent_from_elsewhere_unsigned_fails_dmarc_under_a_reject_policy(
    dns: FakeDns,
) -> None:
    result = check(email(), dns, ip=STRANGER_IP, mail_from="attacker@evil.example")
    assert result.spf is AuthResult.NONE  # evil.example publishes no SPF
    assert result.dkim is AuthResult.NONE
    assert result.dmarc is AuthResult.FAIL
    assert not result.authenticated
    assert result.domain_rejects


def test_a_signature_broken_on_the_way_is_a_dkim_fail(dns: FakeDns) -> None:
    raw = signed(email(body="Please withdraw my complaint."), "customer.example")
    tampered = raw.replace(b"withdraw", b"escalate")
    result = check(tampered, dns, ip=STRANGER_IP)
    assert result.dkim is AuthResult.FAIL
    assert result.spf is AuthResult.FAIL  # -all, and not from the listed address
    assert result.dmarc is AuthResult.FAIL
    assert not result.authenticated


def test_a_list_that_rewrites_the_body_fails_dkim_but_passes_aligned_spf(dns: FakeDns) -> None:
    raw = signed(email(), "customer.example") + b"-- \r\nThe Tuesday Club mailing list\r\n"
    result = check(raw, dns)  # relayed from an address the domain's SPF lists
    assert result.dkim is AuthResult.FAIL
    assert result.spf is AuthResult.PASS
    assert result.dmarc is AuthResult.PASS
    assert result.aligned == "spf:customer.example"
    assert result.authenticated


def test_a_domain_without_dmarc_is_authenticated_by_an_aligned_signature() -> None:
    dns = FakeDns()
    publish_domain(dns, "small.example", dmarc=None, spf=None)
    raw = signed(email(sender="ann@small.example"), "small.example")
    result = check(raw, dns, ip=STRANGER_IP, mail_from="ann@small.example")
    assert result.dmarc is AuthResult.NONE
    assert result.dkim is AuthResult.PASS
    assert result.authenticated


def test_a_domain_without_dmarc_or_any_pass_is_not_authenticated() -> None:
    result = check(email(sender="ann@small.example"), FakeDns(), mail_from="ann@small.example")
    assert (result.spf, result.dkim, result.dmarc) == (AuthResult.NONE,) * 3
    assert not result.authenticated
    assert not result.domain_rejects


def test_dns_that_does_not_answer_is_a_temperror_never_a_pass(dns: FakeDns) -> None:
    dns.down.add("*")
    result = check(signed(email(), "customer.example"), dns)
    assert result.spf is AuthResult.TEMPERROR
    assert result.dkim is AuthResult.TEMPERROR
    assert result.dmarc is AuthResult.TEMPERROR
    assert not result.authenticated
    assert not result.domain_rejects


AR_OURS = (
    "Authentication-Results: mx.shop.example; spf=pass smtp.mailfrom=bea@customer.example;"
    " dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example\r\n"
)
AR_FORGED = (
    "Authentication-Results: mx.shop.example; spf=pass smtp.mailfrom=bea@customer.example;"
    " dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example\r\n"
)


def test_behind_the_operators_server_its_topmost_verdict_is_trusted() -> None:
    verdict = (
        "Authentication-Results: mx.shop.example; spf=fail smtp.mailfrom=x@evil.example;"
        " dkim=none; dmarc=fail (p=quarantine) header.from=customer.example\r\n"
    )
    # The sender wrote a passing verdict under the same name; the server's own is on top.
    result = read(
        from_authentication_results(email(extra_headers=verdict + AR_FORGED), "mx.shop.example")
    )
    assert result.checked_by is CheckedBy.FORWARDED
    assert (result.spf, result.dmarc) == (AuthResult.FAIL, AuthResult.FAIL)
    assert result.policy is DmarcPolicy.QUARANTINE
    assert result.domain_rejects


def test_a_verdict_from_a_server_not_named_is_ignored() -> None:
    theirs = AR_OURS.replace("mx.shop.example", "mx.evil.example")
    result = read(from_authentication_results(email(extra_headers=theirs), "mx.shop.example"))
    assert (result.spf, result.dkim, result.dmarc) == (AuthResult.NONE,) * 3
    assert not result.authenticated


def test_a_passing_verdict_from_the_operators_server_authenticates() -> None:
    # The server checked the customer's signature, which is on the message below its verdict.
    raw = AR_OURS.encode() + signed(email(), "customer.example")
    result = read(from_authentication_results(raw, "MX.shop.example"))
    assert result.authenticated
    assert result.aligned == "dkim:customer.example"


def test_mail_from_a_trusted_host_is_taken_as_authenticated() -> None:
    result = read(trusted_peer(email()))
    assert result.authenticated
    assert result.from_domain == "customer.example"


def test_no_message_of_the_shared_corpus_is_verified_without_dns() -> None:
    # Real mail from other people's software, two of them DKIM-signed: with every lookup
    # timing out nothing can be proven, and nothing may crash.
    files = [path for path in CORPUS.rglob("*") if path.is_file()]
    down = FakeDns(down={"*"})
    results = [
        read(verify_as_mx(path.read_bytes(), ip=STRANGER_IP, helo="x", mail_from="", resolver=down))
        for path in files
    ]
    assert len(results) >= 100
    assert not any(result.authenticated for result in results)
    assert sum(result.dkim is AuthResult.TEMPERROR for result in results) == 2


def test_headers_dkim_cannot_read_are_a_fail_not_a_crash(dns: FakeDns) -> None:
    raw = b"From: bea@customer.example\r\nDKIM-Signature: v=1\r\nno colon line\r\n\r\nhi\r\n"
    result = check(raw, dns, ip=STRANGER_IP)
    assert result.dkim is AuthResult.FAIL
    assert not result.authenticated


def test_a_malformed_dmarc_record_is_a_permerror_not_a_crash() -> None:
    dns = FakeDns()
    publish_domain(dns, "broken.example", dmarc="v=DMARC1; p")
    result = check(email(sender="ann@broken.example"), dns, mail_from="ann@broken.example")
    assert not result.authenticated
