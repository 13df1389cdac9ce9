"""The audit chain's arithmetic: what an event's seal is made of, and an anchor's.

An event's ``digest`` is a SHA-256 of its content (case, kind, statuses, who, which channel,
data, when) in one canonical form. Its ``chain`` is a keyed hash (HMAC-SHA-256) of the chain
before it in the same case, its place in the case and its digest. Changing an event's content
breaks its digest; removing, inserting or reordering events breaks the places or the chain;
and without the key, which is kept outside the database, nobody can write a new chain that
verifies. Erasing personal data later keeps the digest, so the chain still verifies and the
erasure is itself an event in it.

An anchor is a keyed hash over the chains of every event since the anchor before, chained to
that anchor: removing a case's newest events, which its own chain cannot show, breaks it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

__all__ = ["ERASURE_EVENT", "LEGACY", "anchor_digest", "content_digest", "link"]

# The first anchor's digest until the events from before the chain are sealed.
LEGACY = "legacy"

# The event recording an erasure: its data names each event whose personal data it blanked,
# with the digest of its content after blanking (``{"events": {id: digest}, "reason": ...}``);
# those keep their original digest, and verify accepts exactly that new content.
ERASURE_EVENT = "personal_data_erased"


def content_digest(
    case_id: int,
    reference: str,
    kind: str,
    from_status: str | None,
    to_status: str | None,
    actor: str,
    channel: str,
    data: Mapping[str, object],
    created_at: datetime,
) -> str:
    """The SHA-256 (hex) of an event's content in canonical form (its case's reference too)."""
    when = created_at if created_at.tzinfo else created_at.replace(tzinfo=UTC)
    content = [
        case_id,
        reference,
        kind,
        from_status,
        to_status,
        actor,
        channel,
        # As the database gives it back: keys are text ({1: …} is read back as {"1": …}).
        json.loads(json.dumps(data, default=str)),
        when.astimezone(UTC).isoformat(timespec="microseconds"),
    ]
    # Sorted keys and no spaces: the same content always hashes the same, on either database.
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def link(key: bytes, previous: str, seq: int, digest: str) -> str:
    """The chain value of the event at ``seq`` whose predecessor's chain is ``previous``."""
    return hmac.new(key, f"{previous}|{seq}|{digest}".encode("ascii"), hashlib.sha256).hexdigest()


def anchor_digest(key: bytes, previous: str, up_to_event_id: int, chains: Iterable[str]) -> str:
    """The anchor over the chains of the events since the previous anchor, in id order."""
    mac = hmac.new(key, f"{previous}|{up_to_event_id}|".encode("ascii"), hashlib.sha256)
    for chain in chains:
        mac.update(chain.encode("ascii"))
    return mac.hexdigest()
