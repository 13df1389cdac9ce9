"""Inbound customer messages: one transaction from dedupe to outbox rows."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.app import App
from bot.services.effects import Actor, EffectApplier
from bot.services.notices import NoticeWriter
from bot.services.reachability import (
    OPTED_IN,
    OPTED_OUT,
    REACHABLE,
    record_reachability,
)
from bot.services.storing import (
    REACHABLE_AGAIN,
    identity_of,
    proven_sender,
    storable,
    store,
    unproven,
)
from bot.services.views import case_view
from bot.storage.models import (
    Case,
    ConversationState,
    Customer,
    Identity,
    MessageIn,
    Outbox,
)
from channels.base import InboundMessage
from workflows.conversation import Conversation, Mode
from workflows.idle_intake import next_look
from workflows.intake import CustomerContext, CustomerMessage, decide_message
from workflows.references import generate_reference

log = logging.getLogger(__name__)
# A fresh reference collides with an existing one about once in billions; retry the whole
# event with another rather than check-then-insert.
REFERENCE_ATTEMPTS = 3


# Flags a channel adapter sets on a message that is about consent to be messaged, not a
# complaint (SMS STOP / START): the service records it and the workflow never sees it.
OPT_OUT = "opt-out"
OPT_IN = "opt-in"
# Prefix of flags an adapter sets on mail a machine sent ("auto:list", "auto:auto-submitted").
AUTOMATED = "auto:"
PROCESSING_FAILED = "processing-failed"
# A chat complaint is registered from its summary (a "yes" in CONFIRMING): only then does
# triage need the earlier messages, so other messages do not pay for the query.
_REGISTERING_MODES = frozenset({Mode.CONFIRMING})
# An intake is a handful of messages; this only bounds a customer who never stops typing.
_EARLIER_LIMIT = 50


@dataclass
class IntakeResult:
    """What handling one inbound message did."""

    duplicate: bool
    message_id: int | None = None
    outbox_ids: list[int] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    failed: bool = False


async def handle_inbound(app: App, message: InboundMessage) -> IntakeResult:
    """Store the message, run the workflow and write effects, all in one commit.

    If handling fails for any reason but the database, the message is still stored, raw and
    flagged "processing-failed", so the provider can be told it arrived and staff can see it.
    """
    message = storable(message)
    try:
        return await _handle_with_retries(app, message)
    except (OperationalError, InterfaceError, OSError):
        # The database is down or unreachable (asyncpg's resets are OSError): the caller
        # journals it or has the provider retry later.
        raise
    except Exception:
        log.exception(
            "handling %s message %s failed; storing it raw", message.channel, message.provider_id
        )
        flagged = replace(message, flags=(*message.flags, PROCESSING_FAILED))
        async with app.transaction() as session:
            identity = await identity_of(session, flagged)
            stored = await store(session, flagged, identity, app.clock())
        return IntakeResult(
            duplicate=stored is None, message_id=stored.id if stored else None, failed=True
        )


async def store_only(app: App, message: InboundMessage) -> int | None:
    """Keep a message that gets no answer (a group post, an edit, a stale button press).

    Deduplicated like any other; returns the stored id, or None for a duplicate.
    """
    message = storable(message)
    async with app.transaction() as session:
        identity = await identity_of(session, message)
        stored = await store(session, message, identity, app.clock())
        return stored.id if stored is not None else None


async def _handle_with_retries(app: App, message: InboundMessage) -> IntakeResult:
    for attempt in range(1, REFERENCE_ATTEMPTS + 1):
        try:
            async with app.transaction() as session:
                return await _handle(app, session, message)
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS:
                raise
            log.warning("reference collision or concurrent insert; retrying the message")
    raise AssertionError("unreachable")


async def _handle(app: App, session: AsyncSession, message: InboundMessage) -> IntakeResult:
    now = app.clock()
    identity = await identity_of(session, message)
    stored = await store(session, message, identity, now)
    if stored is None:
        log.info("duplicate %s message %s ignored", message.channel, message.provider_id)
        return IntakeResult(duplicate=True)
    if OPT_OUT in message.flags or (OPT_IN in message.flags and identity.opted_out_at):
        notices = NoticeWriter(session, app.renderer, app.staff, now)
        kind = OPTED_OUT if OPT_OUT in message.flags else OPTED_IN
        told = await record_reachability(session, identity, kind, notices)
        if told:
            stored.case_id = told[0].id
        return IntakeResult(False, stored.id)
    if REACHABLE_AGAIN in message.flags and identity.opted_out_at is not None:
        # A Telegram customer who blocked the bot wrote again: they can be reached, and what
        # they wrote is handled as usual.
        notices = NoticeWriter(session, app.renderer, app.staff, now)
        await record_reachability(session, identity, REACHABLE, notices)
    # The language this customer is answered in from now on (message.language is the
    # channel's hint: Telegram's language code, an email's Content-Language).
    language = app.locales.picker.pick(message.text, identity.language, message.language)
    if identity.language != language and not (
        unproven(message) and await _known(session, identity)
    ):
        # Someone unproven writing as a known customer does not choose their language.
        identity.language = language
    conversation_row = await session.get(ConversationState, identity.id)
    conversation = Conversation.from_dict(conversation_row.state if conversation_row else {})
    customer = await session.get_one(Customer, identity.customer_id)
    cases = (
        await session.scalars(
            select(Case)
            .where(Case.customer_id == identity.customer_id)
            .order_by(Case.opened_at.desc())
            # A staff action on one of them waits for this message, and the other way round,
            # so neither decides on a status the other is changing.
            .with_for_update()
        )
    ).all()
    context = replace(
        customer_context(app, now, customer, cases),
        thread_reference=await _thread_reference(session, message),
        earlier_messages=await _earlier_messages(session, identity, conversation, stored),
    )
    incoming = CustomerMessage(
        text=message.text,
        channel=message.channel,
        has_attachments=bool(message.attachments),
        display_name=message.display_name,
        lasting_address=message.lasting_address,
        batch=message.batch,
        subject=message.subject or "",
        automated=any(flag.startswith(AUTOMATED) for flag in message.flags),
        sender=None if message.sender is None else proven_sender(message.sender),
    )
    decision = decide_message(conversation, incoming, context, app.locales.intake(language))
    applier = EffectApplier(
        session=session,
        renderer=app.renderer,
        locales=app.locales,
        now=now,
        actor=Actor("customer", message.channel),
        staff=app.staff,
        identity=identity,
        message=stored,
        conversation_started=conversation.started_at,
        cases={case.reference: case for case in cases},
        replies_per_hour=app.settings.auto_replies_per_hour,
    )
    applied = await applier.apply(decision)
    if decision.conversation is not None:
        state = decision.conversation.to_dict()
        wake_at = next_look(decision.conversation, app.intake)
        if conversation_row is None:
            conversation_row = ConversationState(identity_id=identity.id, state=state)
            session.add(conversation_row)
        conversation_row.state = state
        conversation_row.updated_at = now
        conversation_row.wake_at = wake_at
    await session.flush()
    return IntakeResult(False, stored.id, applied.outbox_ids, applied.opened)


def customer_context(
    app: App, now: datetime, customer: Customer, cases: Sequence[Case]
) -> CustomerContext:
    """What the workflow is told about a customer: their cases, name, contact and consent."""
    return CustomerContext(
        now=now,
        new_reference=generate_reference(app.settings.reference_prefix, app.random),
        cases=tuple(case_view(case) for case in cases),
        known_name=customer.name,
        known_contact=customer.contact,
        consented_before=customer.consented_at is not None,
    )


async def _earlier_messages(
    session: AsyncSession, identity: Identity, conversation: Conversation, current: MessageIn
) -> tuple[str, ...]:
    """What the customer wrote earlier in the intake under way: triage reads all of it.

    These are the messages a new case will take as its own (see EffectApplier._open).
    """
    if conversation.started_at is None or conversation.mode not in _REGISTERING_MODES:
        return ()
    texts = await session.scalars(
        select(MessageIn.text)
        .where(
            MessageIn.identity_id == identity.id,
            MessageIn.case_id.is_(None),
            MessageIn.stored_at >= conversation.started_at,
            MessageIn.id != current.id,
        )
        .order_by(MessageIn.id)
        .limit(_EARLIER_LIMIT)
    )
    return tuple(texts)


async def _thread_reference(session: AsyncSession, message: InboundMessage) -> str | None:
    """The case the provider's threading points at: a message of ours or of the case's.

    Whoever owns it: the workflow trusts it only for the sender's own cases.
    """
    if not message.thread_ids:
        return None
    ids = list(message.thread_ids)
    ours = select(Outbox.case_id).where(
        Outbox.channel == message.channel,
        Outbox.provider_id.in_(ids),
        Outbox.case_id.is_not(None),
    )
    theirs = select(MessageIn.case_id).where(
        MessageIn.channel == message.channel,
        MessageIn.provider_id.in_(ids),
        MessageIn.case_id.is_not(None),
    )
    # In-Reply-To (the last id) names the message answered; earlier References are older.
    found: dict[str, int] = {}
    for query in (ours, theirs):
        column = Outbox.provider_id if query is ours else MessageIn.provider_id
        rows = await session.execute(query.add_columns(column))
        for case_id, provider_id in rows:
            found.setdefault(str(provider_id), int(case_id))
    case_id = next((found[i] for i in reversed(ids) if i in found), None)
    if case_id is None:
        return None
    return await session.scalar(select(Case.reference).where(Case.id == case_id))


async def _known(session: AsyncSession, identity: Identity) -> bool:
    """Whether this identity's customer has any case (it is no stranger's first message)."""
    found = await session.scalar(
        select(Case.id).where(Case.customer_id == identity.customer_id).limit(1)
    )
    return found is not None
