"""Whether a customer's address can be written to: STOP and START, a blocked Telegram bot.

Each change is recorded on the identity (nothing is sent to an opted-out or unreachable
address) and as an event on the customer's open cases, with a line in each case's thread so
staff know the customer cannot be reached there.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.notices import NoticeWriter, event_line_context
from bot.storage.models import Case, CaseEvent, Identity
from workflows.lifecycle import CaseStatus, is_open

OPTED_OUT = "customer_opted_out"
OPTED_IN = "customer_opted_in"
UNREACHABLE = "customer_unreachable"
REACHABLE = "customer_reachable"


async def record_reachability(
    session: AsyncSession,
    identity: Identity,
    kind: str,
    notices: NoticeWriter,
    reason: str | None = None,
) -> list[Case]:
    """Mark ``identity`` (un)reachable as ``kind`` says; returns the open cases told of it."""
    now = notices.now
    identity.opted_out_at = now if kind in {OPTED_OUT, UNREACHABLE} else None
    open_statuses = [status.value for status in CaseStatus if is_open(status)]
    cases = (
        await session.scalars(
            select(Case)
            .where(Case.customer_id == identity.customer_id, Case.status.in_(open_statuses))
            .order_by(Case.opened_at.desc())
        )
    ).all()
    data = {"address": identity.address, "channel": identity.channel}
    if reason:
        data["reason"] = reason
    for case in cases:
        session.add(
            CaseEvent(
                case_id=case.id,
                kind=kind,
                actor="customer",
                channel=identity.channel,
                data=data,
                created_at=now,
            )
        )
        notices.thread_line(
            case, "staff/case_event", event_line_context(case, kind, "customer", data, None)
        )
    notices.add_to_session()
    return list(cases)


async def mark_unreachable(
    session: AsyncSession, channel: str, address: str, reason: str, notices: NoticeWriter
) -> None:
    """The channel says ``address`` can no longer be reached (the bot was blocked)."""
    identity = await session.scalar(
        select(Identity).where(Identity.channel == channel, Identity.address == address)
    )
    if identity is not None and identity.opted_out_at is None:
        await record_reachability(session, identity, UNREACHABLE, notices, reason)
