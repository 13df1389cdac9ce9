"""Storing an inbound message: made to fit its columns, deduplicated, never a replay."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager

from bot.services.once import first_time
from bot.storage.models import AttachmentRow, Customer, Identity, MessageIn
from channels.base import InboundMessage, SenderCheck
from workflows.sender_trust import SenderAuthentication

log = logging.getLogger(__name__)


def proven_sender(check: SenderCheck) -> SenderAuthentication:
    """The core's reading of what an email's sender checks found."""
    return SenderAuthentication.from_dict(asdict(check))


def unproven(message: InboundMessage) -> bool:
    """An email whose sender the checks could not prove: it may change nothing of the
    identity it claims (its name, its language)."""
    return message.sender is not None and not proven_sender(message.sender).authenticated


# Set by a channel where any message proves the address works again (Telegram: a customer
# who blocked the bot and has unblocked it).
REACHABLE_AGAIN = "reachable-again"
MAX_DISPLAY_NAME = 200
# Column sizes for values a sender controls (see bot.storage.models).
MAX_KEY = 255
MAX_ADDRESS = 320


def storable(message: InboundMessage) -> InboundMessage:
    """The message with NUL removed from its text fields (PostgreSQL text cannot hold it).

    The raw bytes keep exactly what arrived; the flag says the text was changed.
    """
    message = _bounded(message)
    fields = (message.text, message.address, message.subject or "", message.display_name or "")
    if not any("\x00" in value for value in fields):
        return message

    def clean(value: str | None) -> str | None:
        return None if value is None else value.replace("\x00", "\ufffd")

    return replace(
        message,
        text=message.text.replace("\x00", "\ufffd"),
        address=message.address.replace("\x00", "\ufffd"),
        subject=clean(message.subject),
        display_name=clean(message.display_name),
        flags=(*message.flags, "nul-removed"),
    )


def _bounded(message: InboundMessage) -> InboundMessage:
    """Values longer than their columns, which a sender controls, made to fit (and flagged).

    Otherwise PostgreSQL refuses the row and the message could never be stored.
    """
    flags = list(message.flags)
    provider_id, address = message.provider_id, message.address
    if len(provider_id) > MAX_KEY:
        # Hashed, not cut: the same long id must still deduplicate, two different ones not.
        provider_id = "sha256:" + hashlib.sha256(provider_id.encode()).hexdigest()
        flags.append("long-provider-id")
    if len(address) > MAX_ADDRESS:
        digest = hashlib.sha256(address.encode()).hexdigest()[:16]
        address = f"{address[: MAX_ADDRESS - 17]}#{digest}"
        flags.append("long-address")
    # A display name is a courtesy, not a key: shortened without a flag.
    shown = message.display_name[:MAX_DISPLAY_NAME] if message.display_name else None
    return replace(
        message,
        provider_id=provider_id,
        address=address,
        display_name=shown,
        attachments=tuple(
            replace(a, filename=a.filename[:MAX_KEY], content_type=a.content_type[:MAX_KEY])
            for a in message.attachments
        ),
        flags=tuple(flags),
    )


async def identity_of(session: AsyncSession, message: InboundMessage) -> Identity:
    """Find or create the sender's identity, locked for the rest of the transaction.

    On SQLite its customer and conversation come in the same round trip: every message reads
    them next, and the session then has them without asking again.
    """
    query = select(Identity).where(
        Identity.channel == message.channel, Identity.address == message.address
    )
    # FOR UPDATE serialises two messages from one sender on PostgreSQL; SQLite already holds
    # the database write lock from BEGIN IMMEDIATE and ignores the clause.
    known = query.with_for_update()
    if session.get_bind().dialect.name == "sqlite":
        # Under that lock nothing read can be stale, so the customer and conversation come in
        # the same round trip. Not on PostgreSQL: rows joined to a locked row are read as
        # they were before waiting for the lock (a second message would lose the first's).
        known = (
            known.join(Identity.customer)
            .outerjoin(Identity.conversation)
            # Held by the identity, so the session keeps them for the transaction.
            .options(contains_eager(Identity.customer), contains_eager(Identity.conversation))
        )
    found = await session.scalar(known)
    if found is not None:
        renamed = message.display_name and found.display_name != message.display_name
        if renamed and not unproven(message):
            found.display_name = message.display_name
        return found
    try:
        async with session.begin_nested():
            customer = Customer(created_at=message.received_at)
            session.add(customer)
            await session.flush()
            identity = Identity(
                customer_id=customer.id,
                channel=message.channel,
                address=message.address,
                display_name=message.display_name,
                created_at=message.received_at,
            )
            session.add(identity)
            await session.flush()
            return identity
    except IntegrityError:
        # Another transaction created it first; theirs is the one.
        found = await session.scalar(query.with_for_update())
        if found is None:
            raise
        return found


async def store(
    session: AsyncSession, message: InboundMessage, identity: Identity, now: datetime
) -> MessageIn | None:
    """Insert the message unless its provider id was seen; None for a duplicate."""
    values = {
        "channel": message.channel,
        "provider_id": message.provider_id,
        "identity_id": identity.id,
        "subject": message.subject,
        "text": message.text,
        "raw": message.raw,
        # REACHABLE_AGAIN is an instruction to the service, not something about the message.
        "flags": [flag for flag in message.flags if flag != REACHABLE_AGAIN],
        "sender_auth": None if message.sender is None else proven_sender(message.sender).to_dict(),
        "received_at": message.received_at,
        "stored_at": now,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(MessageIn)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["channel", "provider_id"])
        # The stored row itself, in one round trip: the ORM keeps it as it would a loaded one.
        .returning(MessageIn)
    )
    signed = f"{message.channel}-signature"
    if message.proof is not None and not await first_time(session, signed, message.proof, now):
        # A signed request seen before, perhaps re-cut into other fields (another
        # "MessageSid"): not a new message, whatever its fields now say. The same message
        # again (a journaled copy of one that committed late) is only a duplicate.
        known = await session.scalar(
            select(MessageIn.id).where(
                MessageIn.channel == message.channel,
                MessageIn.provider_id == message.provider_id,
            )
        )
        if known is None:
            log.warning("refused a replayed %s request (signature seen before)", message.channel)
        return None
    stored = await session.scalar(statement)
    if stored is None:
        return None
    for attachment in message.attachments:
        session.add(
            AttachmentRow(
                message_id=stored.id,
                filename=attachment.filename,
                content_type=attachment.content_type,
                size=attachment.size,
                content=attachment.content,
                url=attachment.url,
            )
        )
    return stored
