"""Erasing a person's personal data, on request or when the retention period has passed.

``erase_person`` removes the personal data (names, addresses, message text, raw bytes,
attachments, the case's own words) from every case of the person and puts a marker in its
place, keeps the anonymous facts reports need (dates, channel, category, severity, outcome,
remedy, scores), records the erasure as a sealed event on each case (who, when, why, and which
events it blanked, so ``audit verify`` still finds the chain intact), and stops anything still
waiting to be sent to them. ``erase_expired`` does the same, unasked, for people whose cases
were all closed longer ago than the retention period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.app import App
from bot.services.personal_data import ERASED, person
from bot.storage.audit_chain import ERASURE_EVENT
from bot.storage.models import (
    AttachmentRow,
    Case,
    CaseEvent,
    ConversationState,
    Customer,
    Identity,
    MessageIn,
    Outbox,
)
from bot.storage.sealing import event_digest

# Event data that stays after an erasure: what reports count, never what a person wrote.
KEPT_EVENT_KEYS = frozenset(
    {
        "severity",
        "category",
        "queue",
        "remedy",
        "decision",
        "score",
        "root_cause",
        "cause",
        "amount",
        "outcome",
        "due_at",
        "kind",
        "last_hour",
        "from_status",
        "to_status",
    }
)


@dataclass(frozen=True)
class Erasure:
    """What one erasure removed."""

    identities: int
    cases: int
    messages: int
    attachments: int
    outbound: int
    events: int


async def erase_person(
    app: App, address: str, actor: str, reason: str, channel: str = "cli"
) -> Erasure:
    """Erase the personal data of the person behind ``address``; record who, when and why."""
    async with app.transaction() as session:
        identities, cases = await person(session, address)
        return await _erase(session, app.clock(), identities, cases, actor, reason, channel)


async def _erase(
    session: AsyncSession,
    now: datetime,
    identities: list[Identity],
    cases: list[Case],
    actor: str,
    reason: str,
    channel: str,
) -> Erasure:
    ids = [identity.id for identity in identities]
    case_ids = [case.id for case in cases]
    addresses = [identity.address for identity in identities]
    messages = list(
        (await session.scalars(select(MessageIn.id).where(MessageIn.identity_id.in_(ids)))).all()
    )
    attachments = await session.scalar(
        select(func.count())
        .select_from(AttachmentRow)
        .where(AttachmentRow.message_id.in_(messages))
    )
    await session.execute(
        update(AttachmentRow)
        .where(AttachmentRow.message_id.in_(messages))
        .values(filename=ERASED, content=None, url=None)
    )
    await session.execute(
        update(MessageIn)
        .where(MessageIn.id.in_(messages))
        .values(text=ERASED, subject=None, raw=b"", sender_auth=None)
    )
    # Everything about them waiting to be sent is stopped; what was sent keeps no words.
    await session.execute(
        update(Outbox)
        .where(
            (Outbox.case_id.in_(case_ids) | Outbox.address.in_(addresses)),
            Outbox.status.in_(("pending", "sending")),
        )
        .values(status="cancelled", last_error="personal data erased")
    )
    outbound = await session.scalar(
        select(func.count())
        .select_from(Outbox)
        .where(Outbox.case_id.in_(case_ids) | Outbox.address.in_(addresses))
    )
    await session.execute(
        update(Outbox)
        .where(Outbox.case_id.in_(case_ids) | Outbox.address.in_(addresses))
        .values(text=ERASED, html=None, subject=None, blocks=[], choices=[])
    )
    await session.execute(
        update(Outbox).where(Outbox.address.in_(addresses)).values(address=ERASED)
    )
    await session.execute(delete(ConversationState).where(ConversationState.identity_id.in_(ids)))
    customers = {identity.customer_id for identity in identities}
    await session.execute(
        update(Customer).where(Customer.id.in_(customers)).values(name=None, contact=None)
    )
    for identity in identities:
        # The address goes; the row stays (cases point at it), never to be sent to again.
        identity.address = f"{ERASED}{identity.id}"
        identity.display_name = None
        identity.opted_out_at = identity.opted_out_at or now
    blanked = 0
    for each in cases:
        blanked += await _erase_case(session, each, now, actor, reason, channel)
    return Erasure(
        len(identities), len(cases), len(messages), attachments or 0, outbound or 0, blanked
    )


async def _erase_case(
    session: AsyncSession, row: Case, now: datetime, actor: str, reason: str, channel: str
) -> int:
    row.description = ERASED
    row.product = None
    row.occurred_text = None
    row.outcome_detail = None
    row.customer_name = None
    row.contact = None
    # How the case was graded stays; the customer's words that showed it go.
    row.triage = [
        {**found, "words": ERASED} if "words" in found else found
        for found in row.triage
        if isinstance(found, dict)
    ]
    row.updated_at = now
    events = (
        await session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == row.id, CaseEvent.kind != ERASURE_EVENT)
        )
    ).all()
    # Each blanked event keeps its original digest; the erasure vouches for its new content.
    blanked: dict[str, str] = {}
    for event in events:
        kept = {key: value for key, value in (event.data or {}).items() if key in KEPT_EVENT_KEYS}
        if kept != (event.data or {}):
            event.data = {**kept, "erased": True}
            blanked[str(event.id)] = event_digest(row.reference, event)
    session.add(
        CaseEvent(
            case_id=row.id,
            kind=ERASURE_EVENT,
            actor=actor,
            channel=channel,
            data={"reason": reason, "events": blanked},
            created_at=now,
        )
    )
    return len(blanked)


# A person's data waits until every one of their cases is over with.
_DONE = ("closed", "withdrawn")


async def erase_expired(app: App, retention: timedelta, now: datetime) -> int:
    """Erase the people whose every case closed longer ago than ``retention``; how many."""
    cutoff = now - retention
    async with app.sessions() as session:
        # People with cases, all closed before the cutoff, not yet erased.
        waiting = (
            await session.scalars(
                select(Case.customer_id)
                .group_by(Case.customer_id)
                .having(
                    func.sum(
                        case((Case.status.not_in(_DONE) | (Case.updated_at >= cutoff), 1), else_=0)
                    )
                    == 0,
                    func.sum(case((Case.description != ERASED, 1), else_=0)) > 0,
                )
                .limit(100)
            )
        ).all()
    erased = 0
    for customer_id in waiting:
        async with app.transaction() as session:
            identities = list(
                (
                    await session.scalars(
                        select(Identity).where(Identity.customer_id == customer_id)
                    )
                ).all()
            )
            cases = list(
                (await session.scalars(select(Case).where(Case.customer_id == customer_id))).all()
            )
            days = retention.days
            why = f"retention: every case closed over {days} days ago"
            await _erase(session, now, identities, cases, "system", why, "timer")
        erased += 1
    return erased
