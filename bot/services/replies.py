"""What a reply to a customer needs from the database: its thread, the mail-loop count."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Case, Identity, MessageIn, Outbox


async def replies_in_last_hour(session: AsyncSession, identity: Identity, now: datetime) -> int:
    """Automatic messages to this address in the hour before ``now`` (a person's not counted)."""
    count = await session.scalar(
        select(func.count())
        .select_from(Outbox)
        .where(
            Outbox.automatic.is_(True),
            Outbox.audience == "customer",
            Outbox.channel == identity.channel,
            Outbox.address == identity.address,
            Outbox.created_at > now - timedelta(hours=1),
        )
    )
    return int(count or 0)


async def sent_since(
    session: AsyncSession, identity: Identity, template: str, since: datetime
) -> bool:
    """Whether a message of ``template`` went to this address after ``since``."""
    found = await session.scalar(
        select(Outbox.id)
        .where(
            Outbox.audience == "customer",
            Outbox.channel == identity.channel,
            Outbox.address == identity.address,
            Outbox.template == template,
            Outbox.created_at > since,
        )
        .limit(1)
    )
    return found is not None


async def thread_ids(
    session: AsyncSession, case: Case | None, channel: str, message: MessageIn | None
) -> list[str]:
    """Provider ids a reply threads under: the case's first message, our last, this one."""
    ids: list[str] = []
    if case is not None:
        first = await session.scalar(
            select(MessageIn.provider_id)
            .where(MessageIn.case_id == case.id, MessageIn.channel == channel)
            .order_by(MessageIn.id)
            .limit(1)
        )
        last = await session.scalar(
            select(Outbox.provider_id)
            .where(
                Outbox.case_id == case.id,
                Outbox.channel == channel,
                Outbox.provider_id.is_not(None),
            )
            .order_by(Outbox.id.desc())
            .limit(1)
        )
        ids += [value for value in (first, last) if value]
    if message is not None and message.channel == channel:
        ids.append(message.provider_id)
    return list(dict.fromkeys(ids))
