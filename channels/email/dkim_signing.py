"""DKIM signatures on our own mail, for operators who send straight out rather than through a
relay that signs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dkim

# What the signature covers: what a receiver shows or threads by, so none of it can be changed.
SIGNED_HEADERS = (
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"in-reply-to",
    b"references",
    b"reply-to",
    b"mime-version",
    b"content-type",
    b"auto-submitted",
)


@dataclass(frozen=True)
class DkimSigner:
    """Signs messages for ``domain`` with the key published at ``selector._domainkey.domain``."""

    domain: str
    selector: str
    private_key: bytes

    @staticmethod
    def load(key_path: Path, selector: str, domain: str) -> DkimSigner:
        """The signer with the PEM key at ``key_path`` (OSError if it cannot be read)."""
        return DkimSigner(domain=domain, selector=selector, private_key=key_path.read_bytes())

    def sign(self, raw: bytes) -> bytes:
        """The message with its DKIM-Signature header on top (relaxed/relaxed, rsa-sha256)."""
        header = dkim.sign(
            raw,
            self.selector.encode("ascii"),
            self.domain.encode("ascii"),
            self.private_key,
            canonicalize=(b"relaxed", b"relaxed"),
            include_headers=list(SIGNED_HEADERS),
        )
        return bytes(header) + raw
