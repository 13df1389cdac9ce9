"""Whether an email's sender is who its From says: the checks' results, and what they allow.

A channel that proves its sender itself (a signed Twilio or Telegram webhook, the terminal)
gives no ``SenderAuthentication``; email gives one per message, checked as the MX (SPF, DKIM,
DMARC) or read from the operator's own mail server's Authentication-Results.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class AuthResult(StrEnum):
    """One method's result, as RFC 8601 names them."""

    PASS = "pass"  # noqa: S105 (a result word, not a password)
    FAIL = "fail"
    SOFTFAIL = "softfail"
    NEUTRAL = "neutral"
    NONE = "none"
    TEMPERROR = "temperror"
    PERMERROR = "permerror"
    # A DKIM signature that verifies but does not cover all we read (a body length limit, a
    # doubled header): not a pass.
    POLICY = "policy"


class DmarcPolicy(StrEnum):
    """What the From domain asks receivers to do with mail failing DMARC."""

    NONE = "none"
    QUARANTINE = "quarantine"
    REJECT = "reject"


class CheckedBy(StrEnum):
    """How the result was reached."""

    MX = "mx"  # this server checked SPF, DKIM and DMARC itself
    FORWARDED = "forwarded"  # the operator's mail server's Authentication-Results
    TRUSTED_PEER = "trusted-peer"  # handed over by a host the operator trusts (localhost)


@dataclass(frozen=True, slots=True)
class SenderAuthentication:
    """The result of checking an email's sender, per method, with the identity that aligned."""

    spf: AuthResult
    dkim: AuthResult
    dmarc: AuthResult
    from_domain: str
    checked_by: CheckedBy
    policy: DmarcPolicy | None = None
    # "dkim:example.com" or "spf:example.com": the identity that vouches for the From domain.
    aligned: str | None = None

    @property
    def authenticated(self) -> bool:
        """DMARC passed; or, where the domain publishes no DMARC, an aligned DKIM or SPF pass."""
        if self.checked_by is CheckedBy.TRUSTED_PEER or self.dmarc is AuthResult.PASS:
            return True
        return self.dmarc is AuthResult.NONE and self.aligned is not None

    @property
    def domain_rejects(self) -> bool:
        """The From domain asks for mail like this to be rejected or quarantined."""
        failed = self.dmarc is AuthResult.FAIL
        return failed and self.policy in (DmarcPolicy.QUARANTINE, DmarcPolicy.REJECT)

    def summary(self) -> str:
        """One line for staff: "spf=pass dkim=fail dmarc=fail (p=reject) example.com"."""
        policy = f" (p={self.policy})" if self.policy else ""
        return (
            f"spf={self.spf} dkim={self.dkim} dmarc={self.dmarc}{policy} "
            f"{self.from_domain or '-'} [{self.checked_by}]"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, for the stored message and its events."""
        return {
            "spf": str(self.spf),
            "dkim": str(self.dkim),
            "dmarc": str(self.dmarc),
            "from_domain": self.from_domain,
            "checked_by": str(self.checked_by),
            "policy": str(self.policy) if self.policy else None,
            "aligned": self.aligned,
            "authenticated": self.authenticated,
        }

    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> SenderAuthentication:
        """The inverse of ``to_dict``; also reads a channel's check (RFC 8601 words)."""
        return SenderAuthentication(
            spf=result_named(data.get("spf")),
            dkim=result_named(data.get("dkim")),
            dmarc=result_named(data.get("dmarc")),
            from_domain=str(data.get("from_domain") or ""),
            checked_by=CheckedBy(data["checked_by"]),
            policy=policy_named(data.get("policy")),
            aligned=data.get("aligned"),
        )


def result_named(value: str | None) -> AuthResult:
    """A result word as a library or header gives it; anything unknown is a permerror."""
    if not value:
        return AuthResult.NONE
    try:
        return AuthResult(value.strip().lower())
    except ValueError:
        # "hardfail" is what some software writes for fail; anything else is not a pass.
        return AuthResult.FAIL if value.strip().lower() == "hardfail" else AuthResult.PERMERROR


def policy_named(value: str | None) -> DmarcPolicy | None:
    """A DMARC p= value, or None when absent or not one of the three."""
    try:
        return DmarcPolicy(value.strip().lower()) if value else None
    except ValueError:
        return None
