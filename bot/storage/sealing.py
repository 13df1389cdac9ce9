"""Sealing case events into the audit chain as they are written (see audit_chain).

Every session the application makes carries the key (``session.info[AUDIT_KEY]``); before
each flush, new events get their place in their case's history, their digest and their chain,
computed from the case's last sealed event. On PostgreSQL the case row is locked first, so
two transactions adding to one case cannot both build on the same predecessor.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Row, event, inspect, select, update
from sqlalchemy.orm import Session

from bot.storage.audit_chain import content_digest, link
from bot.storage.models import AuditAnchor, Case, CaseEvent

__all__ = ["AUDIT_KEY", "KeyFile", "legacy_boundary", "seal", "seal_legacy_of_case"]

AUDIT_KEY = "complaintbot_audit_key"


class KeyFile:
    """The audit key: given, or read from its file (made, readable by the owner only, once)."""

    def __init__(self, path: Path, given: str | None = None) -> None:
        self._path = path
        self._key = given.encode("utf-8") if given else None
        # The last event id from before the chain (read once: it never changes).
        self.boundary: int | None = None

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
    by_case: dict[int, list[CaseEvent]] = {}
    for row in events:
        by_case.setdefault(row.case_id, []).append(row)
    for case_id, rows in by_case.items():
        if connection.dialect.name == "postgresql":
            connection.execute(select(Case.id).where(Case.id == case_id).with_for_update())
        seq, chain = seal_legacy_of_case(connection, source, case_id)
        for row in rows:
            seq += 1
            row.seq = seq
            row.digest = _digest(case_id, row)
            row.chain = chain = link(source(), chain, seq, row.digest)


def seal_legacy_of_case(connection: Connection, source: KeyFile, case_id: int) -> tuple[int, str]:
    """Seal a case's events written before the chain existed; its last place and chain."""
    last = connection.execute(
        select(CaseEvent.seq, CaseEvent.chain)
        .where(CaseEvent.case_id == case_id, CaseEvent.chain.is_not(None))
        .order_by(CaseEvent.seq.desc())
        .limit(1)
    ).first()
    seq: int = (last[0] or 0) if last else 0
    chain: str = (last[1] or "") if last else ""
    if source.boundary is None:
        source.boundary = legacy_boundary(connection)
    boundary = source.boundary
    if not boundary or last is not None:
        return seq, chain  # nothing from before the chain, or already sealed
    legacy = connection.execute(
        select(CaseEvent)
        .where(
            CaseEvent.case_id == case_id,
            CaseEvent.chain.is_(None),
            CaseEvent.id <= boundary,
        )
        .order_by(CaseEvent.id)
    ).all()
    for row in legacy:
        seq += 1
        digest = _digest(case_id, row)
        chain = link(source(), chain, seq, digest)
        connection.execute(
            update(CaseEvent)
            .where(CaseEvent.id == row.id)
            .values(seq=seq, digest=digest, chain=chain)
        )
    return seq, chain


def legacy_boundary(connection: Connection) -> int:
    """The last event id written before the chain existed (0: none), from the first anchor."""
    found = connection.execute(
        select(AuditAnchor.up_to_event_id).order_by(AuditAnchor.id).limit(1)
    ).scalar()
    return int(found or 0)


def _digest(case_id: int, row: CaseEvent | Row[Any]) -> str:
    return content_digest(
        case_id,
        row.kind,
        row.from_status,
        row.to_status,
        row.actor,
        row.channel,
        row.data or {},
        row.created_at,
    )
