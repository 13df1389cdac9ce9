"""The audit trail: checking the chain of case events, anchoring it, exporting a case.

Events are sealed as they are written (bot/storage/sealing.py). ``verify`` walks every case's
events in order and every anchor, and reports each event changed, removed, inserted or
written around the application, with the case and its place in it. ``anchor`` seals every
event written since the last anchor under one keyed hash (``serve`` does it on a schedule),
so that removing a case's newest events, which the case's own chain cannot show, is found.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, select, text, update
from sqlalchemy.orm import Session

from bot.services.app import App
from bot.services.queries import case_file
from bot.storage.audit_chain import ERASURE_EVENT, anchor_digest, content_digest, link
from bot.storage.models import AuditAnchor, Case, CaseEvent
from bot.storage.sealing import AUDIT_KEY, KeyFile, legacy_boundary, seal_legacy_of_case

log = logging.getLogger(__name__)

# The first anchor's digest until the events from before the chain are sealed.
LEGACY = "legacy"
# Events this recent are left to the next anchor: a transaction that took a lower id may
# still be committing (PostgreSQL hands out ids before commit).
SETTLE = timedelta(minutes=5)
# A PostgreSQL advisory lock: one anchor at a time across every server.
_ANCHOR_LOCK = 0x0A0D17
_BATCH = 5_000


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the record: where, and what."""

    # changed, removed, inserted (or resealed: "seal"), unsealed, anchor
    problem: str
    reference: str | None = None
    position: int | None = None
    event_id: int | None = None
    kind: str | None = None
    # removed: how many; anchor: events then and now, events from, when anchored.
    count: int | None = None
    now: int | None = None
    first_event_id: int | None = None
    anchored_at: datetime | None = None


@dataclass
class Verification:
    """What ``verify`` walked and found."""

    cases: int = 0
    events: int = 0
    anchors: int = 0
    # Events newer than the last anchor: their cases' chains cover them, no anchor yet.
    unanchored: int = 0
    legacy_sealed: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        """Whether nothing was found."""
        return not self.findings


async def seal_legacy(app: App) -> int:
    """Seal the events written before the chain existed (once); how many were sealed."""
    async with app.transaction() as session:
        return await session.run_sync(_seal_legacy)


def _seal_legacy(session: Session) -> int:
    connection = session.connection()
    genesis = connection.execute(select(AuditAnchor).order_by(AuditAnchor.id).limit(1)).first()
    if genesis is None or genesis.digest != LEGACY:
        return 0
    source = _key(session)
    boundary = legacy_boundary(connection)
    cases = connection.scalars(
        select(CaseEvent.case_id)
        .where(CaseEvent.id <= boundary, CaseEvent.chain.is_(None))
        .distinct()
    ).all()
    for case_id in cases:
        seal_legacy_of_case(connection, source, case_id)
    chains = _chains(connection, 0, boundary)
    digest = anchor_digest(source(), "", boundary, chains)
    connection.execute(
        update(AuditAnchor).where(AuditAnchor.id == genesis.id).values(digest=digest)
    )
    return int(genesis.events)


async def anchor(app: App) -> AuditAnchor | None:
    """Anchor every settled event since the last anchor (None: nothing new to anchor)."""
    await seal_legacy(app)
    cutoff = app.clock() - SETTLE
    async with app.transaction() as session:
        made = await session.run_sync(_anchor, cutoff, app.clock())
    if made is not None:
        log.info(
            "audit anchor %s: %s events up to event %s, digest %s",
            made.id,
            made.events,
            made.up_to_event_id,
            made.digest,
        )
    return made


def _anchor(session: Session, cutoff: datetime, now: datetime) -> AuditAnchor | None:
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ANCHOR_LOCK})
    last = session.scalar(select(AuditAnchor).order_by(AuditAnchor.id.desc()).limit(1))
    after, previous = (last.up_to_event_id, last.digest) if last else (0, "")
    up_to = connection.scalar(
        select(CaseEvent.id)
        .where(CaseEvent.id > after, CaseEvent.created_at < cutoff)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    )
    if up_to is None:
        return None
    chains = list(_chains(connection, after, up_to))
    made = AuditAnchor(
        up_to_event_id=up_to,
        events=len(chains),
        digest=anchor_digest(_key(session)(), previous, up_to, chains),
        created_at=now,
    )
    session.add(made)
    session.flush()
    return made


async def verify(app: App) -> Verification:
    """Walk every case's chain and every anchor; report what does not add up."""
    result = Verification(legacy_sealed=await seal_legacy(app))
    async with app.sessions() as session:
        await session.run_sync(_verify_cases, result)
        await session.run_sync(_verify_anchors, result)
    return result


def _verify_cases(session: Session, result: Verification) -> None:
    key = _key(session)()
    query = (
        select(CaseEvent, Case.reference)
        .join(Case, Case.id == CaseEvent.case_id)
        .order_by(CaseEvent.case_id, CaseEvent.id)
        .execution_options(yield_per=_BATCH)
    )
    events: list[CaseEvent] = []
    reference = ""
    for event, found in session.execute(query):
        if events and event.case_id != events[0].case_id:
            result.findings.extend(_check_case(key, events, reference))
            result.cases += 1
            events = []
        events.append(event)
        reference = found
        result.events += 1
        session.expunge(event)
    if events:
        result.findings.extend(_check_case(key, events, reference))
        result.cases += 1


def _check_case(key: bytes, events: list[CaseEvent], reference: str) -> list[Finding]:
    """What is wrong with one case's events, in the order they were written."""
    # Events an erasure blanked, as recorded by an erasure event nobody has changed since.
    erased = {
        int(blanked)
        for event in events
        if event.kind == ERASURE_EVENT and event.digest == _digest(event)
        for blanked in (event.data or {}).get("events", [])
    }
    findings: list[Finding] = []
    seq, chain = 0, ""
    for event in events:
        findings.extend(_check(key, event, reference, seq, chain, erased))
        if event.chain is not None and event.seq is not None:
            seq, chain = event.seq, event.chain
    return findings


def _check(
    key: bytes, event: CaseEvent, reference: str, seq: int, chain: str, erased: set[int]
) -> list[Finding]:
    """What is wrong with one event, given the place and chain of the one before it."""

    def found(problem: str, position: int | None, count: int | None = None) -> list[Finding]:
        return [Finding(problem, reference, position, event.id, event.kind, count)]

    if event.chain is None or event.seq is None or event.digest is None:
        return found("unsealed", seq + 1)
    blanked = event.id in erased and (event.data or {}).get("erased") is True
    if _digest(event) != event.digest and not blanked:
        return found("changed", event.seq)
    if event.seq > seq + 1:
        return found("removed", seq + 1, event.seq - seq - 1)
    if event.seq <= seq:
        return found("inserted", event.seq)
    if link(key, chain, event.seq, event.digest) != event.chain:
        return found("seal", event.seq)  # inserted, or changed with its digest rewritten
    return []


def _verify_anchors(session: Session, result: Verification) -> None:
    connection = session.connection()
    key = _key(session)()
    after, previous = 0, ""
    anchors = session.scalars(select(AuditAnchor).order_by(AuditAnchor.id)).all()
    for made in anchors:
        result.anchors += 1
        chains = list(_chains(connection, after, made.up_to_event_id))
        recomputed = anchor_digest(key, previous, made.up_to_event_id, chains)
        if recomputed != made.digest:
            result.findings.append(
                Finding(
                    "anchor",
                    event_id=made.up_to_event_id,
                    count=made.events,
                    now=len(chains),
                    first_event_id=after + 1,
                    anchored_at=made.created_at,
                )
            )
        # The next anchor was made from this one's true digest: one broken anchor, one finding.
        after, previous = made.up_to_event_id, recomputed
    result.unanchored = int(
        connection.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.id > after))
        or 0
    )


def _chains(connection: Connection, after: int, up_to: int) -> Iterator[str]:
    """The chains of the events with ids in (after, up_to], in id order ("" where unsealed)."""
    rows = connection.execution_options(yield_per=_BATCH).execute(
        select(CaseEvent.chain)
        .where(CaseEvent.id > after, CaseEvent.id <= up_to)
        .order_by(CaseEvent.id)
    )
    for (chain,) in rows:
        yield chain or ""


def _digest(event: CaseEvent) -> str:
    return content_digest(
        event.case_id,
        event.kind,
        event.from_status,
        event.to_status,
        event.actor,
        event.channel,
        event.data or {},
        event.created_at,
    )


def _key(session: Session) -> KeyFile:
    source = session.info.get(AUDIT_KEY)
    if not isinstance(source, KeyFile):
        raise RuntimeError("the audit trail needs a session with the audit key")
    return source


async def export_case(app: App, reference: str) -> dict[str, Any]:
    """A case's full history for an auditor: the case, every event with its seal, messages."""
    found = await case_file(app, reference)
    checked = await verify_case(app, found.case.id)
    case = found.case
    return {
        "reference": case.reference,
        "channel": case.channel,
        "status": case.status,
        "severity": case.severity,
        "category": case.category,
        "queue": case.queue,
        "opened_at": case.opened_at.isoformat(),
        "chain_intact": not checked,
        "findings": [
            {"problem": f.problem, "place": f.position, "event_id": f.event_id, "kind": f.kind}
            for f in checked
        ],
        "events": [
            {
                "id": event.id,
                "place": event.seq,
                "kind": event.kind,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "actor": event.actor,
                "channel": event.channel,
                "data": event.data,
                "at": event.created_at.isoformat(),
                "digest": event.digest,
                "chain": event.chain,
            }
            for event in found.events
        ],
        "messages_in": [
            {
                "id": message.id,
                "channel": message.channel,
                "received_at": message.received_at.isoformat(),
                "subject": message.subject,
                "text": message.text,
                "flags": message.flags,
            }
            for message in found.messages
        ],
        "messages_out": [
            {
                "id": row.id,
                "audience": row.audience,
                "channel": row.channel,
                "template": row.template,
                "text": row.text,
                "status": row.status,
                "created_at": row.created_at.isoformat(),
            }
            for row in found.outbox
        ],
    }


async def verify_case(app: App, case_id: int) -> list[Finding]:
    """What is wrong with one case's chain (empty: intact)."""
    await seal_legacy(app)
    async with app.sessions() as session:
        return await session.run_sync(_verify_one, case_id)


def _verify_one(session: Session, case_id: int) -> list[Finding]:
    reference = session.scalar(select(Case.reference).where(Case.id == case_id)) or ""
    query = select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
    return _check_case(_key(session)(), list(session.scalars(query)), reference)
