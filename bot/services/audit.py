"""The audit trail: checking the chain of case events, and anchoring it.

Events are sealed as they are written (bot/storage/sealing.py). ``verify`` walks every event,
case by case, and every anchor, and reports each event changed, removed, inserted, written
around the application or left without its case, with the case and its place in it
(bot/services/audit_checks.py). ``anchor`` seals every event written since the last anchor
under one keyed hash (``serve`` does it on a schedule), so that removing a case's newest
events, which the case's own chain cannot show, is found; each anchor is also appended to a
log beside the key (``<data_dir>/audit-anchors.log``), so that removing anchors is found too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Text, cast, func, select, text
from sqlalchemy.orm import Session

from bot.services.app import App
from bot.services.audit_checks import Finding, Row, check_case
from bot.storage.audit_chain import LEGACY, anchor_digest
from bot.storage.models import AuditAnchor, Case, CaseEvent
from bot.storage.sealing import AUDIT_KEY, KeyFile, legacy_pending
from bot.storage.sealing import seal_legacy as seal_legacy_rows

__all__ = ["SETTLE", "Finding", "Verification", "anchor", "seal_legacy", "verify"]

log = logging.getLogger(__name__)

# Events this recent are left to the next anchor: a transaction that took a lower id may
# still be committing (PostgreSQL hands out ids before commit).
SETTLE = timedelta(minutes=5)
# A PostgreSQL advisory lock: one anchor at a time across every server.
_ANCHOR_LOCK = 0x0A0D17
_BATCH = 5_000


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
    """Seal the events from before the chain, if a database just upgraded holds some."""
    async with app.transaction() as session:
        return await session.run_sync(_seal_legacy)


def _seal_legacy(session: Session) -> int:
    connection = session.connection()
    if not legacy_pending(connection):
        return 0
    source = _key(session)
    source.legacy_pending = False
    return seal_legacy_rows(connection, source)


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
    # Outside the database: whoever can delete anchors there cannot here.
    async with app.sessions() as session:
        anchors = (await session.scalars(select(AuditAnchor).order_by(AuditAnchor.id))).all()
    _append_to_log(anchor_log(app), [a for a in anchors if a.digest != LEGACY])
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


def anchor_log(app: App) -> Path:
    """Where anchors are kept outside the database: beside the key."""
    return app.settings.audit_key_file.with_name("audit-anchors.log")


def _logged(path: Path) -> dict[int, tuple[int, str]]:
    """The anchors in the log: id -> (up to event id, digest)."""
    if not path.exists():
        return {}
    found: dict[int, tuple[int, str]] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0].isdigit() and parts[1].isdigit():
            found[int(parts[0])] = (int(parts[1]), parts[2])
    return found


def _append_to_log(path: Path, anchors: list[AuditAnchor]) -> None:
    known = _logged(path)
    new = [a for a in anchors if a.id not in known]
    if not new:
        return
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with path.open("a", encoding="ascii") as file:
        for made in new:
            file.write(f"{made.id} {made.up_to_event_id} {made.digest} {made.created_at:%FT%TZ}\n")


async def verify(app: App) -> Verification:
    """Walk every event and every anchor; report what does not add up."""
    result = Verification(legacy_sealed=await seal_legacy(app))
    logged = _logged(anchor_log(app))
    async with app.sessions() as session:
        await session.run_sync(_verify_cases, result)
        await session.run_sync(_verify_anchors, result, logged)
    return result


def _rows(session: Session, *where: object) -> Iterator[list[Row]]:
    """Events case by case, in the order written, with their case's reference (None for a
    case that no longer exists) and their data as stored."""
    query = (
        select(CaseEvent, Case.reference, cast(CaseEvent.data, Text).label("stored"))
        .outerjoin(Case, Case.id == CaseEvent.case_id)
        .where(*where)  # type: ignore[arg-type]
        .order_by(CaseEvent.case_id, CaseEvent.id)
        .execution_options(yield_per=_BATCH)
    )
    rows: list[Row] = []
    for event, reference, stored in session.execute(query):
        if rows and event.case_id != rows[0].event.case_id:
            yield rows
            rows = []
        rows.append(Row(event, reference, stored))
        session.expunge(event)
    if rows:
        yield rows


def _verify_cases(session: Session, result: Verification) -> None:
    key = _key(session)()
    for rows in _rows(session):
        result.findings.extend(check_case(key, rows))
        result.cases += rows[0].reference is not None
        result.events += len(rows)


def _verify_anchors(
    session: Session, result: Verification, logged: dict[int, tuple[int, str]]
) -> None:
    connection = session.connection()
    key = _key(session)()
    after, previous = 0, ""
    anchors = session.scalars(select(AuditAnchor).order_by(AuditAnchor.id)).all()
    for made in anchors:
        result.anchors += 1
        if made.digest == LEGACY:
            # Only a database just upgraded has one (sealed by now); anything else is a reset.
            result.findings.append(Finding("legacy_reset", event_id=made.up_to_event_id))
            after = made.up_to_event_id
            continue
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
    present = {made.id: (made.up_to_event_id, made.digest) for made in anchors}
    for number, (up_to, digest) in sorted(logged.items()):
        if present.get(number) != (up_to, digest):
            result.findings.append(Finding("anchor_missing", event_id=up_to, count=number))
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


def _key(session: Session) -> KeyFile:
    source = session.info.get(AUDIT_KEY)
    if not isinstance(source, KeyFile):
        raise RuntimeError("the audit trail needs a session with the audit key")
    return source


async def verify_case(app: App, case_id: int) -> list[Finding]:
    """What is wrong with one case's chain (empty: intact)."""
    await seal_legacy(app)
    async with app.sessions() as session:
        return await session.run_sync(_verify_one, case_id)


def _verify_one(session: Session, case_id: int) -> list[Finding]:
    key = _key(session)()
    return [
        finding
        for rows in _rows(session, CaseEvent.case_id == case_id)
        for finding in check_case(key, rows)
    ]
