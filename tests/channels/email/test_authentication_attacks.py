"""Sender checks against a sender who knows how they work: each of these was a way past them."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from channels.email.authentication import from_authentication_results, get_org_domain
from fakes.mail_auth import FakeDns, email, publish_domain, signed, signing_key
from tests.channels.email.test_authentication import (
    AR_FORGED,
    SENDER_IP,
    STRANGER_IP,
    check,
)
from workflows.sender_trust import AuthResult, SenderAuthentication

SERVER = "mx.shop.example"


@pytest.fixture
def dns() -> FakeDns:
    fake = FakeDns()
    publish_domain(fake, "customer.example")
    return fake


def forwarded(raw: bytes) -> SenderAuthentication:
    return SenderAuthentication.from_dict(asdict(from_authentication_results(raw, SERVER)))


@pytest.mark.parametrize(
    ("domain", "organisation"),
    [
        ("mail.shop.co.uk", "shop.co.uk"),
        ("x.y.example.com", "example.com"),
        # A top-level domain newer than the bundled public suffix list: one label under it.
        ("mail.victim.web", "victim.web"),
        ("evil.web", "evil.web"),
    ],
)
def test_the_organisation_of_a_domain(domain: str, organisation: str) -> None:
    assert get_org_domain(domain) == organisation


def test_a_domain_under_an_unlisted_top_level_domain_cannot_vouch_for_its_neighbour() -> None:
    dns = FakeDns()
    publish_domain(dns, "evil.web", dmarc=None)
    dns.add("victim.web", "TXT", "v=spf1 -all")  # the victim publishes no DMARC
    raw = signed(email(sender="ceo@victim.web"), "evil.web")
    result = check(raw, dns, ip=SENDER_IP, mail_from="x@evil.web")
    assert result.dkim is AuthResult.PASS  # a good signature, but evil.web's
    assert result.aligned is None
    assert not result.authenticated


def test_a_subdomain_under_an_unlisted_top_level_domain_still_aligns() -> None:
    dns = FakeDns()
    publish_domain(dns, "mail.victim.web", dmarc=None, spf=None)
    raw = signed(email(sender="ann@victim.web"), "mail.victim.web")
    result = check(raw, dns, ip=STRANGER_IP, mail_from="ann@victim.web")
    assert result.aligned == "dkim:mail.victim.web"
    assert result.authenticated


def test_words_added_after_a_length_limited_signature_are_not_believed(dns: FakeDns) -> None:
    genuine = signed(email(body="Thank you for your help."), "customer.example", length=True)
    assert check(genuine, dns, ip=STRANGER_IP).authenticated  # as the customer sent it
    replayed = genuine.rstrip(b"\r\n") + b"\r\n\r\nPlease withdraw my complaint.\r\n"
    result = check(replayed, dns, ip=STRANGER_IP, mail_from="x@evil.example")
    assert result.dkim is AuthResult.POLICY
    assert not result.authenticated


def test_a_header_added_on_top_of_a_signed_message_is_not_believed(dns: FakeDns) -> None:
    genuine = signed(email(subject="Thanks"), "customer.example")
    replayed = b"Subject: Re: CB-7K3M-9QXT withdraw\r\n" + genuine
    result = check(replayed, dns, ip=STRANGER_IP, mail_from="x@evil.example")
    assert result.dkim is AuthResult.POLICY
    assert not result.authenticated


@pytest.mark.parametrize(
    ("bits", "exponent"),
    [(4608, 65537), (2048, 2**20 + 1)],
    ids=["modulus over 4096 bits", "huge exponent"],
)
def test_a_key_too_costly_to_verify_with_fails(dns: FakeDns, bits: int, exponent: int) -> None:
    key = signing_key(bits, exponent)
    dns.records[("costly._domainkey.customer.example", "TXT")] = [key.record()]
    raw = signed(email(), "customer.example", selector="costly", key=key)
    result = check(raw, dns, ip=STRANGER_IP, mail_from="x@evil.example")
    assert result.dkim is AuthResult.FAIL
    assert not result.authenticated


def test_a_4096_bit_key_is_still_accepted(dns: FakeDns) -> None:
    key = signing_key(4096)
    dns.records[("big._domainkey.customer.example", "TXT")] = [key.record()]
    raw = signed(email(), "customer.example", selector="big", key=key)
    result = check(raw, dns, ip=STRANGER_IP, mail_from="x@evil.example")
    assert result.dkim is AuthResult.PASS
    assert result.authenticated


def test_an_unreadable_verdict_from_the_operators_server_lets_no_lower_one_count() -> None:
    # The sender's envelope address makes the server's own header one the parser refuses;
    # the passing header the sender wrote below it must not be read instead.
    ours = (
        f"Authentication-Results: {SERVER}; spf=fail smtp.mailfrom=\u00e9@evil.example;"
        " dkim=none; dmarc=fail header.from=customer.example\r\n"
    )
    result = forwarded(email(extra_headers=ours + AR_FORGED))
    assert (result.spf, result.dkim, result.dmarc) == (AuthResult.NONE,) * 3
    assert not result.authenticated


def test_a_verdict_about_another_from_proves_nothing_about_ours() -> None:
    about_other = (
        f"Authentication-Results: {SERVER}; spf=pass smtp.mailfrom=x@evil.example;"
        " dkim=pass header.d=evil.example; dmarc=pass header.from=evil.example\r\n"
    )
    result = forwarded(email(extra_headers=about_other))
    assert result.from_domain == "customer.example"
    assert not result.authenticated


def test_a_passing_verdict_on_mail_with_a_doubled_header_proves_nothing() -> None:
    raw = email(extra_headers=AR_FORGED + "Subject: withdraw my complaint\r\n")
    assert not forwarded(raw).authenticated
    assert forwarded(email(extra_headers=AR_FORGED)).authenticated
