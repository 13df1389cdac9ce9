"""Read-only views of cases for staff (the CLI, the Slack console)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select

from bot.attention import LOOK_BACK, needs_attention
from bot.services.app import App
from bot.services.lookup import find_case
from bot.storage.models import (
    AttachmentRow,
    Case,
    CaseEvent,
    Identity,
    MessageIn,
    Outbox,
    StaffPost,
)
from workflows.lifecycle import FINISHED


@dataclass(frozen=True)
class CaseFile:
    """Everything recorded about one case."""

    case: Case
    identity: Identity
    events: list[CaseEvent]
    messages: list[MessageIn]
    attachments: list[AttachmentRow]
    outbox: list[Outbox]


async def list_cases(
    app: App, status: str | None = None, queue: str | None = None, limit: int = 50
) -> list[Case]:
    """Cases, newest first, optionally filtered."""
    query = select(Case).order_by(Case.opened_at.desc()).limit(limit)
    if status:
        query = query.where(Case.status == status)
    if queue:
        query = query.where(Case.queue == queue)
    async with app.sessions() as session:
        return list((await session.scalars(query)).all())


async def case_file(app: App, reference: str) -> CaseFile:
    """The case with its history, messages and outbound messages."""
    async with app.sessions() as session:
        case = await find_case(session, reference, app.settings.reference_prefix)
        identity = await session.get_one(Identity, case.identity_id)
        events = (
            await session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            )
        ).all()
        messages = (
            await session.scalars(
                select(MessageIn).where(MessageIn.case_id == case.id).order_by(MessageIn.id)
            )
        ).all()
        attachments = (
            await session.scalars(
                select(AttachmentRow).where(AttachmentRow.message_id.in_([m.id for m in messages]))
            )
        ).all()
        outbox = (
            await session.scalars(
                select(Outbox).where(Outbox.case_id == case.id).order_by(Outbox.id)
            )
        ).all()
        return CaseFile(
            case, identity, list(events), list(messages), list(attachments), list(outbox)
        )


async def unfiled_messages(app: App, limit: int = 50) -> list[tuple[MessageIn, Identity]]:
    """Messages on no case that need a person's eye, newest first: from strangers (people with
    no case), automated or broken mail, failed processing, what a channel could not place.

    A customer's routine words on no case ("yes", "status", "cancel") are left out.
    """
    has_case = exists().where(Case.customer_id == Identity.customer_id)
    found: list[tuple[MessageIn, Identity]] = []
    async with app.sessions() as session:
        rows = await session.execute(
            select(MessageIn, Identity, has_case)
            .join(Identity, Identity.id == MessageIn.identity_id)
            .where(MessageIn.case_id.is_(None))
            .order_by(MessageIn.id.desc())
            .limit(limit * LOOK_BACK)
        )
        for message, identity, known in rows:
            if needs_attention(message.flags, known_customer=bool(known)):
                found.append((message, identity))
            if len(found) == limit:
                break
    return found


async def cases_for_staff(
    app: App,
    *,
    queues: list[str],
    assignee_id: str | None = None,
    overdue_at: datetime | None = None,
    limit: int = 20,
) -> list[Case]:
    """Open cases in ``queues``, oldest target first: a person's, or the overdue ones."""
    query = (
        select(Case)
        .where(Case.queue.in_(queues), Case.status.not_in([s.value for s in FINISHED]))
        .order_by(Case.due_at.is_(None), Case.due_at, Case.id)
        .limit(limit)
    )
    if assignee_id is not None:
        query = query.where(Case.assignee.endswith(f"(slack:{assignee_id})", autoescape=True))
    if overdue_at is not None:
        query = query.where(Case.due_at < overdue_at)
    async with app.sessions() as session:
        return list((await session.scalars(query)).all())


async def card_of(app: App, channel: str, message_id: str) -> Case | None:
    """The case whose card is the message ``message_id`` on ``channel`` (a Slack thread)."""
    async with app.sessions() as session:
        return await session.scalar(
            select(Case)
            .join(StaffPost, StaffPost.case_id == Case.id)
            .where(StaffPost.channel == channel, StaffPost.provider_id == message_id)
        )


async def card_links(app: App, case_ids: list[int], channel: str) -> dict[int, str]:
    """Each case's card (its provider id) on a staff channel, where it has one."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(StaffPost.case_id, StaffPost.provider_id).where(
                StaffPost.case_id.in_(case_ids), StaffPost.channel == channel
            )
        )
        return {case_id: provider_id for case_id, provider_id in rows}
