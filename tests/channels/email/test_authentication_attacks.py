"""Sender checks against a sender who knows how they work: each of these was a way past them."""

from __future__ import annotations

from dataclasses import asdict

import pytest

from channels.email.authentication import from_authentication_results, verify_as_mx
from channels.email.org_domain import get_org_domain
from fakes.mail_auth import FakeDns, email, publish_domain, signed, signing_key
from tests.channels.email.test_authentication import (
    AR_FORGED,
    SENDER_IP,
    STRANGER_IP,
    check,
)
from workflows.sender_trust import AuthResult, SenderAuthentication

SERVER = "mx.shop.example"


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
    genuine = signed(email(), "customer.example")
    raw = (AR_FORGED + "Subject: withdraw my complaint\r\n").encode() + genuine
    assert not forwarded(raw).authenticated
    assert forwarded(AR_FORGED.encode() + genuine).authenticated


OURS = ("complaints@shop.example",)


def checked(raw: bytes, dns: FakeDns, **changes: str) -> SenderAuthentication:
    """The MX checks as serve runs them: from a stranger's server, for our address."""
    values = {"ip": STRANGER_IP, "helo": "mail.evil.example", "mail_from": "x@evil.example"}
    found = verify_as_mx(raw, resolver=dns, recipients=OURS, **(values | changes))
    return SenderAuthentication.from_dict(asdict(found))


def test_mail_signed_for_us_passes(dns: FakeDns) -> None:
    assert checked(signed(email(), "customer.example"), dns).authenticated


@pytest.mark.parametrize(
    "on_top",
    [
        # A bare CR: dkimpy reads one unsigned header, Python's parser a whole new message
        # (From, Subject, an empty line) with the signed one pushed into its body.
        b"X-Note: x\rFrom: <bea@customer.example>\rSubject: withdraw\r\rwithdraw\r\r\n",
        # A line that is no header: dkimpy skips it, Python's parser starts the body there.
        b"From: <bea@customer.example>\r\nFrom someone\r\n",
    ],
    ids=["bare CR", "mbox From line"],
)
def test_headers_the_two_parsers_read_differently_are_not_believed(
    dns: FakeDns, on_top: bytes
) -> None:
    newsletter = signed(
        email(sender="news@customer.example", body="Spring sale!"), "customer.example"
    )
    result = checked(on_top + newsletter, dns)
    assert result.dkim in (AuthResult.POLICY, AuthResult.FAIL)  # dkimpy refuses two From
    assert not result.authenticated


def test_someones_signed_mail_to_another_replayed_to_us_is_not_theirs_to_us(
    dns: FakeDns,
) -> None:
    to_bob = email(body="Yes, I agree. It was on 3 March.").replace(
        b"To: complaints@shop.example", b"To: bob@elsewhere.example"
    )
    result = checked(signed(to_bob, "customer.example"), dns)
    assert result.dkim is AuthResult.POLICY
    assert not result.authenticated


def test_a_signature_aligned_with_the_from_counts_below_a_forwarders(dns: FakeDns) -> None:
    publish_domain(dns, "esp.example", dmarc=None, spf=None)
    raw = signed(signed(email(), "customer.example"), "esp.example")
    result = checked(raw, dns, mail_from="bounces@esp.example")
    assert result.dkim is AuthResult.PASS
    assert result.aligned == "dkim:customer.example"
    assert result.authenticated


def test_a_header_block_larger_than_any_real_mail_is_not_checked(dns: FakeDns) -> None:
    padding = b"".join(b"X-Pad-%d: %s\r\n" % (n, b"x" * 900) for n in range(1200))
    result = checked(padding + signed(email(), "customer.example"), dns)
    assert result.dkim is AuthResult.PERMERROR
    assert not result.authenticated
    assert dns.asked == []  # no lookups, no RSA


def test_the_operators_dkim_result_that_vouches_for_the_from_counts_among_several() -> None:
    header = (
        f"Authentication-Results: {SERVER}; spf=pass smtp.mailfrom=x@esp.example;"
        " dkim=pass header.d=esp.example; dkim=pass header.d=customer.example; dmarc=none\r\n"
    )
    result = forwarded(header.encode() + signed(email(), "customer.example"))
    assert result.aligned == "dkim:customer.example"
    assert result.authenticated


FORWARDED_PASS = (
    f"Authentication-Results: {SERVER}; spf=fail smtp.mailfrom=x@evil.example;"
    " dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example\r\n"
).encode()


def held_to_our_rules(raw: bytes) -> SenderAuthentication:
    found = from_authentication_results(FORWARDED_PASS + raw, SERVER, recipients=OURS)
    return SenderAuthentication.from_dict(asdict(found))


def test_a_verdict_on_someones_signed_mail_to_another_proves_nothing_to_us() -> None:
    to_friend = email().replace(b"To: complaints@shop.example", b"To: friend@other.example")
    result = held_to_our_rules(signed(to_friend, "customer.example"))
    assert result.dkim is AuthResult.POLICY
    assert not result.authenticated
    assert held_to_our_rules(signed(email(), "customer.example")).authenticated


def test_a_verdict_on_words_added_past_the_signed_length_proves_nothing() -> None:
    genuine = signed(email(), "customer.example", length=True)
    assert held_to_our_rules(genuine).authenticated
    result = held_to_our_rules(genuine.rstrip(b"\r\n") + b"\r\n\r\nwithdraw\r\n")
    assert result.dkim is AuthResult.POLICY
    assert not result.authenticated


def test_a_policy_the_sender_wrote_elsewhere_in_the_verdict_is_not_read() -> None:
    header = (
        f"Authentication-Results: {SERVER}; spf=pass smtp.mailfrom=p=none@evil.example;"
        " dkim=none; dmarc=fail (p=reject dis=none) header.from=customer.example\r\n"
    )
    result = forwarded(email(extra_headers=header))
    assert result.domain_rejects


def test_a_first_line_that_is_folded_is_no_crash(dns: FakeDns) -> None:
    assert not checked(b" x\r\n" + signed(email(), "customer.example"), dns).authenticated
