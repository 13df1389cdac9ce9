"""The database schema: customers, identities, cases, messages, events, outbox, timers."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.storage.types import UTCDateTime

# Named constraints, so migrations can refer to them on every database.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets 64-bit ids.
Id = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)
    # SQLAlchemy reads this class attribute by name; it is never mutated.
    type_annotation_map = {  # noqa: RUF012
        datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class Customer(Base):
    """A person who complained, over one or more identities."""

    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(320))
    consented_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    identities: Mapped[list[Identity]] = relationship(back_populates="customer")


class Identity(Base):
    """An address a customer writes from: (channel, address), unique."""

    __tablename__ = "identities"
    __table_args__ = (UniqueConstraint("channel", "address"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str | None] = mapped_column(String(200))
    # Set by a STOP, or when the channel says the address can no longer be reached (a
    # Telegram user who blocked the bot): nothing is sent there until they write again.
    opted_out_at: Mapped[datetime | None]
    # The language the channel reported for the customer (Telegram's language_code).
    language: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    customer: Mapped[Customer] = relationship(back_populates="identities")
    # Loaded with the identity where a message is taken in (see services.storing), never
    # lazily: the intake writes the row itself.
    conversation: Mapped[ConversationState | None] = relationship(viewonly=True, lazy="raise")


class Case(Base):
    """A registered complaint."""

    __tablename__ = "cases"
    # Staff list cases newest first, often of one status or queue: at a million cases a
    # full scan and sort took 1.9 s.
    __table_args__ = (
        Index("ix_cases_opened", "opened_at"),
        Index("ix_cases_status_opened", "status", "opened_at"),
        Index("ix_cases_queue_opened", "queue", "opened_at"),
        # The management review counts cases resolved in a period.
        Index("ix_cases_resolved", "resolved_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("customers.id"), index=True)
    # The identity updates go to: the one the customer complained from.
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32), index=True)
    category: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    queue: Mapped[str] = mapped_column(String(64))
    # Why triage graded the case as it did: [{kind, rule, level, words, note?}, ...].
    triage: Mapped[list[Any]] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(Text)
    product: Mapped[str | None] = mapped_column(Text)
    occurred_on: Mapped[date | None] = mapped_column(Date)
    occurred_text: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_detail: Mapped[str | None] = mapped_column(Text)
    customer_name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(320))
    assignee: Mapped[str | None] = mapped_column(String(200))
    # After staff respond (ISO 10002 7.8, 7.9, 8.3): the remedy offered, what the customer
    # decided, when the case was last resolved, and the satisfaction question and score.
    remedy: Mapped[str | None] = mapped_column(String(32))
    remedy_amount: Mapped[str | None] = mapped_column(String(32))
    customer_decision: Mapped[str | None] = mapped_column(String(16))
    resolved_at: Mapped[datetime | None]
    satisfaction_asked_at: Mapped[datetime | None]
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    # The response clock stops while the case waits for the customer (since ``paused_at``);
    # ``paused_seconds`` is the time waited in all, by which the target has moved.
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the customer was last sent anything about the case (progress updates count from it).
    last_told_at: Mapped[datetime | None]
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime | None]
    updated_at: Mapped[datetime]
    identity: Mapped[Identity] = relationship()


class MessageIn(Base):
    """Every inbound message, raw bytes included; unique per provider id (the dedupe key)."""

    __tablename__ = "messages_in"
    __table_args__ = (UniqueConstraint("channel", "provider_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    provider_id: Mapped[str] = mapped_column(String(255))
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    flags: Mapped[list[Any]] = mapped_column(default=list)
    # Email: who the checks say sent it (workflows.sender_trust.SenderAuthentication.to_dict).
    sender_auth: Mapped[dict[str, Any] | None] = mapped_column(default=None)
    received_at: Mapped[datetime]
    stored_at: Mapped[datetime]


class AttachmentRow(Base):
    """A file that came with an inbound message."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("messages_in.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    url: Mapped[str | None] = mapped_column(Text)


class CaseEvent(Base):
    """One step in a case's history: who did what, when, from which channel (the audit trail)."""

    __tablename__ = "case_events"
    # The management review counts root causes and reopenings recorded in a period.
    __table_args__ = (Index("ix_case_events_kind_created", "kind", "created_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    from_status: Mapped[str | None] = mapped_column(String(32))
    to_status: Mapped[str | None] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    # The audit chain (bot/storage/sealing.py), set as the event is written: its place in
    # the case's history (1, 2, …), a hash of its content, and a keyed hash linking it to
    # the event before. Empty only on events written before the chain existed, until sealed.
    seq: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[str | None] = mapped_column(String(64))
    chain: Mapped[str | None] = mapped_column(String(64))


class AuditAnchor(Base):
    """A keyed hash over every event up to one, chained to the anchor before it."""

    __tablename__ = "audit_anchors"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    # Covers events with ids above the previous anchor's and up to this one.
    up_to_event_id: Mapped[int] = mapped_column(BigInteger)
    events: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]


class Outbox(Base):
    """A rendered message waiting to be sent, or the record of one sent or failed."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_due", "status", "channel", "next_attempt_at"),
        # Delivery reports name our message by the provider's id.
        Index("ix_outbox_provider", "channel", "provider_id"),
        # Every email reply counts the address's replies in the last hour (the mail-loop
        # guard): without it, a scan of the whole outbox per message.
        Index("ix_outbox_address", "channel", "address", "created_at"),
    )
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    audience: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(320))
    template: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    choices: Mapped[list[Any]] = mapped_column(default=list)
    thread_ids: Mapped[list[Any]] = mapped_column(default=list)
    # For staff destinations that show cases as cards (Slack): "card" (the case's card, posted
    # once, then updated in place), "thread" (a line in the card's thread), "escalation" (a
    # call to the escalation destination, linking to the card). None: a plain message.
    notice: Mapped[str | None] = mapped_column(String(32))
    # A rich layout (Slack Block Kit blocks); ``text`` is the fallback and notification text.
    blocks: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    # Files sent with the message where the channel takes them (Slack): each a dict of
    # "path" (under the data folder, read when sending), "filename", "content_type", "title".
    attachments: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    # False for what a person wrote (staff replies and updates), True for the bot's own.
    automatic: Mapped[bool] = mapped_column(default=True, server_default=true())
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    provider_id: Mapped[str | None] = mapped_column(String(255))
    delivery_status: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    # A secret of this message's own, the same on every attempt: the email Message-ID is made
    # from it, so nobody can guess one and forge a delivery report against it.
    token: Mapped[str | None] = mapped_column(String(32), default=lambda: secrets.token_hex(16))


class StaffPost(Base):
    """A case's card on a staff destination (a Slack channel and the message's ts)."""

    __tablename__ = "staff_posts"
    __table_args__ = (UniqueConstraint("case_id", "channel", "address"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    channel: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(64))
    # The provider's id for the message (Slack: its ts), for threads and updates in place.
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime]


class ChannelCursor(Base):
    """How far a polled channel has read (Telegram's update offset), and who polls it."""

    __tablename__ = "channel_cursors"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(BigInteger)
    # The process holding the polling lease, and until when; another may take it after.
    holder: Mapped[str | None] = mapped_column(String(64))
    lease_until: Mapped[datetime | None]
    updated_at: Mapped[datetime]


class ConversationState(Base):
    """The intake conversation of one identity (the workflow's state, as JSON)."""

    __tablename__ = "conversations"
    identity_id: Mapped[int] = mapped_column(ForeignKey("identities.id"), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime]
    # When an intake under way, left unanswered, is next looked at (a reminder, then giving
    # up); None when no intake is under way.
    wake_at: Mapped[datetime | None] = mapped_column(index=True)


class Timer(Base):
    """Something to decide later for a case (an SLA warning, a breach)."""

    __tablename__ = "timers"
    __table_args__ = (Index("ix_timers_due", "status", "due_at"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))
    locked_until: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    fired_at: Mapped[datetime | None]
    created_at: Mapped[datetime]


class ProcessedEvent(Base):
    """Provider and staff event ids already handled (Slack actions, status callbacks, CLI)."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("source", "event_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime]


class EarlyReport(Base):
    """A delivery report that arrived before we recorded the provider's id for the message.

    Twilio can report a failure before its answer to our send is stored; such a report waits
    here and is applied as soon as the send is recorded.
    """

    __tablename__ = "early_reports"
    __table_args__ = (Index("ix_early_reports_provider", "channel", "provider_id"),)
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    provider_id: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]


class ImprovementAction(Base):
    """What the organisation will change about a recurring root cause (ISO 10002 8.7)."""

    __tablename__ = "improvement_actions"
    id: Mapped[int] = mapped_column(Id, primary_key=True)
    root_cause: Mapped[str] = mapped_column(String(64), index=True)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    # open, done or dropped
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
