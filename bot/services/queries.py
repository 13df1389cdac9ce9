"""Read-only views of cases for staff (the CLI, later Slack)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.services.app import App
from bot.services.staff import find_case
from bot.storage.models import AttachmentRow, Case, CaseEvent, Identity, MessageIn, Outbox


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
    """Messages on no case, newest first: strangers, automated mail, failed processing."""
    async with app.sessions() as session:
        rows = await session.execute(
            select(MessageIn, Identity)
            .join(Identity, Identity.id == MessageIn.identity_id)
            .where(MessageIn.case_id.is_(None))
            .order_by(MessageIn.id.desc())
            .limit(limit)
        )
        return [(message, identity) for message, identity in rows.tuples()]
