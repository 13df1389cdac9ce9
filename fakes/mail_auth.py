"""A fake DNS for sender checks, and domains that sign their mail with generated DKIM keys."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from functools import cache

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from channels.email.dns_lookup import DnsTemporaryError


@dataclass
class FakeDns:
    """Answers from a table: (name, type) -> records; names in ``down`` time out."""

    records: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    down: set[str] = field(default_factory=set)
    asked: list[tuple[str, str]] = field(default_factory=list)

    def lookup(self, name: str, qtype: str) -> list[str]:
        """The records set for ``name``; DnsTemporaryError when it is down."""
        name = name.rstrip(".").lower()
        self.asked.append((name, qtype))
        if name in self.down or "*" in self.down:
            raise DnsTemporaryError(f"{qtype} {name}: Timeout")
        return list(self.records.get((name, qtype.upper()), []))

    def add(self, name: str, qtype: str, *values: str) -> None:
        """Publish records."""
        self.records.setdefault((name.lower(), qtype.upper()), []).extend(values)


@cache
def _key() -> tuple[bytes, str]:
    """One generated 2048-bit RSA key per test run (generation takes a moment)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, base64.b64encode(public).decode("ascii")


def private_key_pem() -> bytes:
    """The test signing key, PEM."""
    return _key()[0]


def dkim_record() -> str:
    """The TXT record publishing the test key."""
    return f"v=DKIM1; k=rsa; p={_key()[1]}"


def publish_domain(
    dns: FakeDns,
    domain: str,
    *,
    spf: str | None = "v=spf1 ip4:192.0.2.10 -all",
    dmarc: str | None = "v=DMARC1; p=reject",
    selector: str = "s1",
) -> None:
    """A domain with its DKIM key, SPF and DMARC records in the fake DNS."""
    dns.add(f"{selector}._domainkey.{domain}", "TXT", dkim_record())
    if spf is not None:
        dns.add(domain, "TXT", spf)
    if dmarc is not None:
        dns.add(f"_dmarc.{domain}", "TXT", dmarc)


def signed(raw: bytes, domain: str, selector: str = "s1") -> bytes:
    """The message with a DKIM-Signature by ``domain`` on top."""
    signature = dkim.sign(
        raw,
        selector.encode("ascii"),
        domain.encode("ascii"),
        private_key_pem(),
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
    )
    return bytes(signature) + raw


def email(
    sender: str = "Bea Jones <bea@customer.example>",
    body: str = "Please withdraw my complaint.",
    *,
    subject: str = "Re: Your complaint",
    message_id: str = "<m1@customer.example>",
    extra_headers: str = "",
) -> bytes:
    """A plain message as a mail client writes it (CRLF line ends)."""
    head = (
        f"{extra_headers}From: {sender}\r\nTo: complaints@shop.example\r\n"
        f"Subject: {subject}\r\nDate: Fri, 20 Mar 2026 10:00:00 +0000\r\n"
        f"Message-ID: {message_id}\r\nContent-Type: text/plain; charset=utf-8\r\n"
    )
    return (head + "\r\n" + body + "\r\n").encode("utf-8")
