"""Sealing case events into the audit chain as they are written (see audit_chain).

Every session the application makes carries the key (``session.info[AUDIT_KEY]``); before
each flush, new events get their place in their case's history, their digest and their chain,
computed from the case's last sealed event. On PostgreSQL the case row is locked first, so
two transactions adding to one case cannot both build on the same predecessor.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, event, inspect, select, update
from sqlalchemy.orm import Session

from bot.storage.audit_chain import LEGACY, anchor_digest, content_digest, link
from bot.storage.models import AuditAnchor, Case, CaseEvent

__all__ = ["AUDIT_KEY", "KeyFile", "event_digest", "legacy_pending", "seal", "seal_legacy"]

AUDIT_KEY = "complaintbot_audit_key"


class KeyFile:
    """The audit key: given, or read from its file (made, readable by the owner only, once)."""

    def __init__(self, path: Path, given: str | None = None) -> None:
        self._path = path
        self._key = given.encode("utf-8") if given else None
        # Whether events from before the chain wait to be sealed (read once per process).
        self.legacy_pending: bool | None = None

    def __call__(self) -> bytes:
        """The key's bytes."""
        if self._key is None:
            self._key = self._read_or_make()
        return self._key

    def _read_or_make(self) -> bytes:
        try:
            return self._path.read_bytes().strip()
        except FileNotFoundError:
            pass
        self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            # O_EXCL: of two processes starting together, one makes it and both read it.
            handle = os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return self._path.read_bytes().strip()
        with os.fdopen(handle, "w") as file:
            file.write(secrets.token_hex(32) + "\n")
        return self._path.read_bytes().strip()


@event.listens_for(Session, "before_flush")
def _seal_new_events(session: Session, _context: object, _instances: object) -> None:
    new = [row for row in session.new if isinstance(row, CaseEvent)]
    if new:
        seal(session, sorted(new, key=lambda row: inspect(row).insert_order or 0))


def seal(session: Session, events: list[CaseEvent]) -> None:
    """Give ``events`` (in the order written) their place, digest and chain."""
    source = session.info.get(AUDIT_KEY)
    if source is None:
        raise RuntimeError("case events can only be written by a session with the audit key")
    connection = session.connection()
    if source.legacy_pending is None:
        source.legacy_pending = legacy_pending(connection)
    if source.legacy_pending:
        # The first event written after the upgrade: what came before is sealed first.
        seal_legacy(connection, source)
        source.legacy_pending = False
    by_case: dict[int, list[CaseEvent]] = {}
    for row in events:
        by_case.setdefault(row.case_id, []).append(row)
    for case_id, rows in by_case.items():
        # Locked (on PostgreSQL) so two transactions adding to one case keep one chain.
        reference = connection.execute(
            select(Case.reference).where(Case.id == case_id).with_for_update()
        ).scalar_one()
        last = connection.execute(
            select(CaseEvent.seq, CaseEvent.chain)
            .where(CaseEvent.case_id == case_id, CaseEvent.chain.is_not(None))
            .order_by(CaseEvent.seq.desc())
            .limit(1)
        ).first()
        seq: int = (last[0] or 0) if last else 0
        chain: str = (last[1] or "") if last else ""
        for row in rows:
            seq += 1
            row.seq = seq
            row.digest = event_digest(reference, row)
            row.chain = chain = link(source(), chain, seq, row.digest)


def legacy_pending(connection: Connection) -> bool:
    """Whether events from before the chain wait to be sealed: the first anchor says
    "legacy" and no event anywhere is sealed yet (a database as migration 0014 left it)."""
    genesis = connection.execute(
        select(AuditAnchor.digest).order_by(AuditAnchor.id).limit(1)
    ).scalar()
    if genesis != LEGACY:
        return False
    sealed = connection.execute(
        select(CaseEvent.id).where(CaseEvent.chain.is_not(None)).limit(1)
    ).first()
    # Once anything is sealed, a "legacy" first anchor is not the upgrade's but someone's
    # reset: nothing is sealed on its say-so (verify reports it).
    return sealed is None


def seal_legacy(connection: Connection, source: KeyFile) -> int:
    """Seal every event from before the chain, case by case in order, and the first anchor."""
    genesis = connection.execute(select(AuditAnchor).order_by(AuditAnchor.id).limit(1)).one()
    rows: Sequence[Any] = connection.execute(
        select(CaseEvent.__table__, Case.reference)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.id <= genesis.up_to_event_id)
        .order_by(CaseEvent.case_id, CaseEvent.id)
    ).all()
    places: dict[int, tuple[int, str]] = {}
    sealed: dict[int, str] = {}
    for row in rows:
        seq, chain = places.get(row.case_id, (0, ""))
        digest = event_digest(row.reference, row)
        chain = link(source(), chain, seq + 1, digest)
        places[row.case_id] = (seq + 1, chain)
        sealed[row.id] = chain
        connection.execute(
            update(CaseEvent)
            .where(CaseEvent.id == row.id)
            .values(seq=seq + 1, digest=digest, chain=chain)
        )
    chains = [sealed.get(number, "") for number in sorted(sealed)]
    connection.execute(
        update(AuditAnchor)
        .where(AuditAnchor.id == genesis.id)
        .values(
            events=len(chains),
            digest=anchor_digest(source(), "", genesis.up_to_event_id, chains),
        )
    )
    return len(rows)


def event_digest(reference: str, row: CaseEvent | Row[Any]) -> str:
    """The digest of an event's content, with its case's reference."""
    return content_digest(
        row.case_id,
        reference,
        row.kind,
        row.from_status,
        row.to_status,
        row.actor,
        row.channel,
        row.data or {},
        row.created_at,
    )
