"""A fake DNS for sender checks, and domains that sign their mail with generated DKIM keys."""

from __future__ import annotations

import base64
import math
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


@dataclass(frozen=True)
class SigningKey:
    """A generated RSA key: the private half to sign with, the public half for DNS."""

    private_pem: bytes
    public_der: bytes

    def record(self) -> str:
        """The TXT record publishing this key."""
        return f"v=DKIM1; k=rsa; p={base64.b64encode(self.public_der).decode('ascii')}"


@cache
def signing_key(bits: int = 2048, exponent: int = 65537) -> SigningKey:
    """A key generated once per test run; an exponent other than 65537 is made by hand (a
    sender's DNS may publish any key, however costly to verify with)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    if exponent != 65537:
        numbers = key.private_numbers()
        p, q = numbers.p, numbers.q
        phi = (p - 1) * (q - 1)
        while math.gcd(exponent, phi) != 1:
            exponent += 2
        d = pow(exponent, -1, phi)
        public = rsa.RSAPublicNumbers(exponent, p * q)
        key = rsa.RSAPrivateNumbers(
            p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p), public
        ).private_key()
    return SigningKey(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        ),
        key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
    )


def private_key_pem() -> bytes:
    """The test signing key, PEM."""
    return signing_key().private_pem


def dkim_record() -> str:
    """The TXT record publishing the test key."""
    return signing_key().record()


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


def signed(
    raw: bytes,
    domain: str,
    selector: str = "s1",
    *,
    key: SigningKey | None = None,
    length: bool = False,
) -> bytes:
    """The message with a DKIM-Signature by ``domain`` on top (``length``: with an "l=" tag)."""
    signature = dkim.sign(
        raw,
        selector.encode("ascii"),
        domain.encode("ascii"),
        (key or signing_key()).private_pem,
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
        length=length,
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
