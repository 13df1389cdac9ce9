"""Staff notices as outbox rows, on every destination a queue maps to.

A rich destination (Slack) shows each case as a card, updated in place, with everything that
happens to the case as lines in the card's thread; the staff feed gets the notices as text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.destinations import SLACK, STAFF_FEED, Destination, StaffDestinations
from bot.rendering import Renderer, visible_controls
from bot.storage.models import Case, Outbox, StaffPost
from workflows.lifecycle import CaseStatus, allowed_targets, is_open

# Kinds of notice on a rich destination (Outbox.notice).
CARD = "card"
THREAD = "thread"
ESCALATION = "escalation"
NEW_CASE = "staff/new_case"
# Events that are a line in the card's thread (what changed, and who did it). Others either
# come with a notice of their own (a customer's message, a re-grade) or are bookkeeping.
# A staff reply is shown with its text, as sent to the customer (staff/sent_to_customer).
EVENT_LINES = frozenset(
    {
        "status_changed",
        "assigned",
        "note",
        "root_cause",
        "delivery_failed",
        "registered_incomplete",
        "target_extended",
        "follows",
        "followed_by",
        "unverified_message",
        "sender_unverified",
    }
)
# Where an action came from that shows it already: a note typed in a card's thread is not
# echoed back into that thread.
SHOWN_AT_SOURCE = frozenset({"slack-thread"})
SUMMARY_LENGTH = 600


def card_facts(case: Case) -> tuple[object, ...]:
    """What a case's card shows: when any of it changes, the card is updated."""
    return (
        case.status,
        case.severity,
        case.category,
        case.queue,
        case.assignee,
        case.due_at,
        case.description,
        case.product,
        case.customer_name,
        case.outcome,
        case.outcome_detail,
    )


def card_context(case: Case, now: datetime) -> dict[str, object]:
    """The values the card template shows, and which actions it offers now."""
    status = CaseStatus(case.status)
    allowed = [target.value for target in allowed_targets(status)]
    hours_left = None
    if case.due_at is not None and is_open(status):
        hours_left = round((case.due_at - now).total_seconds() / 3600)
    summary = case.description
    return {
        "reference": case.reference,
        "status": case.status,
        "severity": case.severity,
        "category": case.category,
        "queue": case.queue,
        "channel": case.channel,
        "assignee": case.assignee,
        "due_at": case.due_at if is_open(status) else None,
        "hours_left": hours_left,
        "customer_name": case.customer_name,
        "product": case.product,
        "outcome": case.outcome,
        "outcome_detail": case.outcome_detail,
        "summary": summary[:SUMMARY_LENGTH],
        # Why it has its grade (triage's reasons, a person's re-grade): shown on the card.
        "reasons": list(case.triage),
        "truncated": len(summary) > SUMMARY_LENGTH,
        "open": is_open(status),
        "allowed": allowed,
        "can_escalate": CaseStatus.ESCALATED.value in allowed,
        "can_resolve": CaseStatus.RESOLVED.value in allowed,
        # A response can be sent, or sent again while the customer has not decided.
        "can_respond": CaseStatus.RESPONSE_PROPOSED.value in allowed
        or status is CaseStatus.RESPONSE_PROPOSED,
        "as_of": now,
    }


@dataclass
class NoticeWriter:
    """Writes staff notices for one transaction as outbox rows.

    Rows are held until ``add_to_session``, which adds cards first: a new case's card is then
    sent before the lines of its thread.
    """

    session: AsyncSession
    renderer: Renderer
    staff: StaffDestinations
    now: datetime
    automatic: bool = True
    rows: list[Outbox] = field(default_factory=list)
    card_rows: list[Outbox] = field(default_factory=list)

    def add_to_session(self) -> list[Outbox]:
        """Add every row written so far (cards first); returns them."""
        written = [*self.card_rows, *self.rows]
        self.session.add_all(written)
        self.card_rows, self.rows = [], []
        return written

    def row(
        self,
        case: Case | None,
        destination: Destination,
        template: str,
        context: Mapping[str, object],
        notice: str | None = None,
        files: Sequence[Mapping[str, object]] = (),
    ) -> Outbox:
        """One staff message to one destination, rendered in that destination's format;
        ``files`` (see bot/outbox_files.py) go with it where the destination takes files
        (Slack); the text must read right without them too (a workspace may refuse files)."""
        files = files if destination.channel == SLACK else ()
        rendered = self.renderer.render(template, context, destination.channel)
        row = Outbox(
            case_id=case.id if case else None,
            audience="staff",
            channel=destination.channel,
            address=destination.address,
            template=template,
            subject=None,
            text=rendered.text,
            html=None,
            choices=[],
            thread_ids=[],
            notice=notice,
            blocks=list(rendered.blocks),
            attachments=[dict(entry) for entry in files],
            automatic=self.automatic,
            status="pending",
            attempts=0,
            next_attempt_at=self.now,
            created_at=self.now,
        )
        (self.card_rows if notice == CARD else self.rows).append(row)
        return row

    def notify(
        self,
        case: Case | None,
        queue: str,
        template: str,
        context: Mapping[str, object],
        *,
        escalate: bool = False,
        files: Sequence[Mapping[str, object]] = (),
    ) -> list[Outbox]:
        """A notice to a queue's destinations (and the escalation destination when asked)."""
        rows: list[Outbox] = []
        for destination in self.staff.for_queue(queue):
            if destination.channel != SLACK:
                rows.append(self.row(case, destination, template, context))
            elif case is None:
                rows.append(self.row(None, destination, template, context, files=files))
            elif template != NEW_CASE:  # on Slack, the case's card is the new-case notice
                rows.append(self.row(case, destination, template, context, THREAD))
        if escalate:
            rows += self.escalate(case, template, context)
        return rows

    def escalate(
        self, case: Case | None, template: str, context: Mapping[str, object]
    ) -> list[Outbox]:
        """Call the escalation destination: the notice, the on-call group, the card's link."""
        rows: list[Outbox] = []
        for destination in self.staff.for_escalation():
            if destination.channel != SLACK:
                rows.append(self.row(case, destination, template, context))
                continue
            body = Markup(self.renderer.render(template, context, SLACK).text)  # noqa: S704
            wrapper = {"body": body, "oncall": self.staff.mention}
            rows.append(self.row(case, destination, "staff/escalation", wrapper, ESCALATION))
        return rows

    def thread_line(self, case: Case, template: str, context: Mapping[str, object]) -> None:
        """A line in the case's card thread (rich destinations only; the feed has the events)."""
        channel = self.staff.slack_channel(case.queue)
        if channel is not None:
            self.row(case, Destination(SLACK, channel), template, context, THREAD)

    async def cards(self, case: Case) -> None:
        """Post or update the case's card wherever it is shown (its queue's channel)."""
        if not self.staff.slack_on:
            return
        addresses = set(
            (
                await self.session.scalars(
                    select(StaffPost.address).where(
                        StaffPost.case_id == case.id, StaffPost.channel == SLACK
                    )
                )
            ).all()
        )
        current = self.staff.slack_channel(case.queue)
        if current is not None:
            addresses.add(current)
        context = {"card": card_context(case, self.now), "reference": case.reference}
        for address in sorted(addresses):
            self.row(case, Destination(SLACK, address), "staff/case_card", context, CARD)


def event_line_context(
    case: Case, kind: str, actor: str, data: Mapping[str, Any], to_status: str | None
) -> dict[str, object]:
    """What the thread line for one event shows."""
    return {
        "reference": case.reference,
        "kind": kind,
        "actor": actor,
        "data": dict(data),
        "to_status": to_status,
    }


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a staff row goes on a rich destination, decided just before it is sent."""

    # "send", "defer" (its case's card is not posted yet) or "skip" (a newer card replaces it)
    action: str
    thread_ids: tuple[str, ...] = ()
    replace: str | None = None
    link_to: str | None = None
    # Said before the text: the case, for a thread line that has no card to go under.
    lead: str | None = None


SEND = Placement("send")
DEFER = Placement("defer")
SKIP = Placement("skip")


async def place(session: AsyncSession, row: Outbox) -> Placement:
    """Put a card, thread line or escalation where its case's card is."""
    if row.notice is None or row.case_id is None:
        return SEND
    if row.notice == CARD:
        if await _newer_card(session, row):
            return SKIP  # sending this older card would overwrite a newer one
        post = await _post(session, row.case_id, row.channel, row.address)
        return Placement("send", replace=post.provider_id if post else None)
    address = row.address if row.notice == THREAD else None
    post = await _post(session, row.case_id, row.channel, address)
    if post is None:
        # Wait for the card while it is still on its way; if it failed, post on its own,
        # saying which case it is about.
        if await _card_coming(session, row, address):
            return DEFER
        return Placement(
            "send", lead=await session.scalar(select(Case.reference).where(Case.id == row.case_id))
        )
    if row.notice == THREAD:
        return Placement("send", thread_ids=(post.provider_id,))
    return Placement("send", link_to=post.provider_id)


async def forget_card(session: AsyncSession, row: Outbox) -> None:
    """The card was deleted in Slack: forget it, so the next attempt posts a new one."""
    post = await _post(session, row.case_id or 0, row.channel, row.address)
    if post is not None:
        await session.delete(post)


async def record_card(session: AsyncSession, row: Outbox, provider_id: str, now: datetime) -> None:
    """Remember where a newly posted card is, so later notices thread under it."""
    if await _post(session, row.case_id or 0, row.channel, row.address) is not None:
        return
    session.add(
        StaffPost(
            case_id=row.case_id,
            channel=row.channel,
            address=row.address,
            provider_id=provider_id,
            created_at=now,
        )
    )


async def _post(
    session: AsyncSession, case_id: int, channel: str, address: str | None
) -> StaffPost | None:
    query = select(StaffPost).where(StaffPost.case_id == case_id, StaffPost.channel == channel)
    if address is not None:
        query = query.where(StaffPost.address == address)
    return await session.scalar(query.order_by(StaffPost.id).limit(1))


def _cards_of(row: Outbox) -> Any:
    return (
        (Outbox.case_id == row.case_id) & (Outbox.channel == row.channel) & (Outbox.notice == CARD)
    )


async def _newer_card(session: AsyncSession, row: Outbox) -> bool:
    found = await session.scalar(
        select(Outbox.id)
        .where(
            _cards_of(row),
            Outbox.address == row.address,
            Outbox.id > row.id,
            Outbox.status.in_(("pending", "sending", "sent")),
        )
        .limit(1)
    )
    return found is not None


async def _card_coming(session: AsyncSession, row: Outbox, address: str | None) -> bool:
    query = select(Outbox.id).where(_cards_of(row), Outbox.status.in_(("pending", "sending")))
    if address is not None:
        query = query.where(Outbox.address == address)
    return await session.scalar(query.limit(1)) is not None


async def delivery_failed_line(
    session: AsyncSession,
    renderer: Renderer,
    staff: StaffDestinations,
    row: Outbox,
    reason: str,
    now: datetime,
) -> None:
    """Show in the case's thread that a message to the customer did not arrive."""
    if row.audience != "customer" or row.case_id is None or not staff.slack_on:
        return
    case = await session.get_one(Case, row.case_id)
    writer = NoticeWriter(session, renderer, staff, now)
    context = event_line_context(case, "delivery_failed", "system", {"reason": reason}, None)
    writer.thread_line(case, "staff/case_event", context)
    writer.add_to_session()


def feed_fallback(row: Outbox, queue: str, now: datetime) -> Outbox:
    """A staff message a rich destination refused for good, written to the staff feed."""
    # The text was written for Slack: the feed is read in a terminal.
    text = visible_controls(
        row.text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    )
    return Outbox(
        case_id=row.case_id,
        audience="staff",
        channel=STAFF_FEED,
        address=queue,
        template=row.template,
        subject=None,
        text=text,
        html=None,
        choices=[],
        thread_ids=[],
        notice=None,
        blocks=[],
        automatic=row.automatic,
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
