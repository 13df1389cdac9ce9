"""What is wrong with one case's events: the checks ``audit verify`` makes, row by row.

Pure: given a case's events in the order written (with the stored text of each one's data)
and the key, the findings. Two passes: the first follows the chain and takes, from each
erasure event whose own seal holds, the new digests of the events it blanked; the second
checks every event's content, place and seal.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.storage.audit_chain import ERASURE_EVENT, link
from bot.storage.models import CaseEvent
from bot.storage.sealing import event_digest


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the record: where, and what."""

    # changed, removed, inserted, seal (inserted or resealed), unsealed, orphaned, anchor,
    # anchor_missing, legacy_reset
    problem: str
    reference: str | None = None
    position: int | None = None
    event_id: int | None = None
    kind: str | None = None
    # removed: how many; orphaned: how many; anchor: events then and now, from, when.
    count: int | None = None
    now: int | None = None
    first_event_id: int | None = None
    anchored_at: datetime | None = None


@dataclass(frozen=True)
class Row:
    """One event as verify reads it: the row, its case's reference, its data as stored."""

    event: CaseEvent
    reference: str | None
    stored: str | None


def check_case(key: bytes, rows: list[Row]) -> list[Finding]:
    """What is wrong with one case's events, in the order they were written."""
    reference = rows[0].reference
    if reference is None:
        first = rows[0].event
        return [Finding("orphaned", None, None, first.id, first.kind, len(rows))]
    erased = _vouched_erasures(key, rows)
    findings: list[Finding] = []
    seq, chain = 0, ""
    for row in rows:
        event = row.event
        try:
            findings.extend(_check(key, row, reference, seq, chain, erased))
        except (TypeError, ValueError, AttributeError, KeyError):
            # Rows no product would write (a date that is not one, data that is not JSON).
            findings.append(Finding("changed", reference, event.seq, event.id, event.kind))
        if event.chain is not None and event.seq is not None:
            seq, chain = event.seq, event.chain
    return findings


def _vouched_erasures(key: bytes, rows: list[Row]) -> dict[int, str]:
    """Blanked events and their content's digest after blanking, from erasure events that
    are themselves intact and in the chain; only for events written before each erasure."""
    erased: dict[int, str] = {}
    seq, chain = 0, ""
    for row in rows:
        event = row.event
        if event.chain is None or event.seq is None or event.digest is None:
            continue
        linked = event.seq == seq + 1 and link(key, chain, event.seq, event.digest) == event.chain
        seq, chain = event.seq, event.chain
        if not linked or event.kind != ERASURE_EVENT:
            continue
        try:
            intact = (
                _unique_keys(row.stored)
                and event_digest(row.reference or "", event) == event.digest
            )
            listed = (event.data or {}).get("events", {})
            if intact and isinstance(listed, dict):
                for number, digest in listed.items():
                    if int(number) < event.id and isinstance(digest, str):
                        erased[int(number)] = digest
        except (TypeError, ValueError, AttributeError):
            continue
    return erased


def _check(
    key: bytes, row: Row, reference: str, seq: int, chain: str, erased: dict[int, str]
) -> list[Finding]:
    """What is wrong with one event, given the place and chain of the one before it."""
    event = row.event

    def found(problem: str, position: int | None, count: int | None = None) -> list[Finding]:
        return [Finding(problem, reference, position, event.id, event.kind, count)]

    if event.chain is None or event.seq is None or event.digest is None:
        return found("unsealed", seq + 1)
    content = event_digest(reference, event)
    blanked = erased.get(event.id) == content
    if not _unique_keys(row.stored) or (content != event.digest and not blanked):
        return found("changed", event.seq)
    if event.seq > seq + 1:
        return found("removed", seq + 1, event.seq - seq - 1)
    if event.seq <= seq:
        return found("inserted", event.seq)
    if link(key, chain, event.seq, event.digest) != event.chain:
        return found("seal", event.seq)  # inserted, or changed with its digest rewritten
    return []


def _unique_keys(stored: str | None) -> bool:
    """Whether the data as stored names each key once (SQLite reads the first of two, Python
    the last: a doubled key would show reports one thing and the seal another)."""
    if stored is None:
        return True

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [key for key, _ in items]
        if len(keys) != len(set(keys)):
            raise ValueError("a key named twice")
        return dict(items)

    try:
        json.loads(stored, object_pairs_hook=pairs)
    except ValueError:
        return False
    return True
