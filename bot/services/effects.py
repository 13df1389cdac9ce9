"""Carrying out a decision's effects inside the event's transaction."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.destinations import StaffDestinations
from bot.rendering import Renderer
from bot.services.case_updates import mark_case, update_details
from bot.services.grading import cancel_timers, regrade
from bot.services.notices import (
    EVENT_LINES,
    SHOWN_AT_SOURCE,
    NoticeWriter,
    card_facts,
    event_line_context,
)
from bot.services.opening import open_case
from bot.services.replies import replies_in_last_hour, sent_since, thread_ids
from bot.storage.models import (
    AttachmentRow,
    Case,
    CaseEvent,
    Identity,
    MessageIn,
    Outbox,
    Timer,
)
from workflows.effects import (
    Assign,
    AttachMessage,
    CancelTimers,
    ChangeStatus,
    Decision,
    MarkCase,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Refuse,
    Regrade,
    Reply,
    ScheduleTimer,
    UpdateCase,
)
from workflows.lifecycle import CaseStatus, can_transition

if TYPE_CHECKING:
    from bot.locales import Locales

# Timers after which a card is redrawn (its time left, "overdue").
CARD_TIMERS = frozenset({"sla_warning", "sla_breach"})
CUSTOMER_MESSAGE = "staff/customer_message"
# Channels whose replies carry the provider's threading (email In-Reply-To/References).
THREADED_CHANNELS = frozenset({"email"})
# The answer an unproven sender gets (workflows.unverified), at most once a day per address.
UNPROVEN_ANSWER = "customer/reference_unknown"
UNPROVEN_ANSWER_EVERY = timedelta(days=1)
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Actor:
    """Who caused the event, for the audit trail."""

    name: str
    channel: str


@dataclass
class Applied:
    """What applying a decision did, for the caller to report."""

    outbox_ids: list[int] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)


@dataclass
class EffectApplier:
    """Applies effects for one event; knows the customer identity replies go to."""

    session: AsyncSession
    # Staff text (the default language's).
    renderer: Renderer
    now: datetime
    actor: Actor
    # Where staff notices go (each queue's destinations, the escalation destination).
    staff: StaffDestinations
    # Each customer language's renderer: replies are written in the customer's.
    locales: Locales
    # The identity replies go to: the sender of an inbound message, else the case's identity.
    identity: Identity | None = None
    message: MessageIn | None = None
    conversation_started: datetime | None = None
    cases: dict[str, Case] = field(default_factory=dict)
    # Automatic replies allowed per customer address per hour (None: no cap, e.g. staff).
    replies_per_hour: int | None = None
    # False when a person caused this event (a staff action): their messages are not auto-replies.
    automatic: bool = True
    result: Applied = field(default_factory=Applied)
    written: list[Outbox] = field(default_factory=list)
    # What each case's card showed before this event (None: a case opened by it).
    _before: dict[str, tuple[object, ...] | None] = field(default_factory=dict)
    _notices: NoticeWriter | None = None
    # Cases whose card shows time left and must be redrawn though nothing else changed.
    _refresh: set[str] = field(default_factory=set)

    @property
    def notices(self) -> NoticeWriter:
        """The writer of this event's staff notices."""
        if self._notices is None:
            self._notices = NoticeWriter(
                self.session, self.renderer, self.staff, self.now, self.automatic
            )
        return self._notices

    async def apply(self, decision: Decision) -> Applied:
        """Apply every effect in order."""
        for reference, case in self.cases.items():
            self._before.setdefault(reference, card_facts(case))
        for effect in decision.effects:
            match effect:
                case OpenCase():
                    await self._open(effect)
                case UpdateCase():
                    await self._update(effect)
                case MarkCase():
                    await self._mark(effect)
                case ChangeStatus():
                    await self._change_status(effect)
                case Reply():
                    await self._reply(effect)
                case NotifyStaff():
                    await self._notify(effect)
                case RecordEvent():
                    case = await self._case(effect.reference)
                    self._event(case, effect.kind, data=dict(effect.data))
                case AttachMessage():
                    case = await self._case(effect.reference)
                    if self.message is not None:
                        self.message.case_id = case.id
                case Assign():
                    case = await self._case(effect.reference)
                    self._event(
                        case, "assigned", data={"from": case.assignee, "to": effect.assignee}
                    )
                    case.assignee = effect.assignee
                    case.updated_at = self.now
                case ScheduleTimer():
                    case = await self._case(effect.reference)
                    self.session.add(
                        Timer(
                            case_id=case.id,
                            kind=effect.kind,
                            due_at=effect.due_at,
                            status="pending",
                            created_at=self.now,
                        )
                    )
                case Regrade():
                    await self._regrade(effect)
                case CancelTimers():
                    await self._cancel_timers(effect)
                case Refuse():
                    rendered = self.renderer.render(effect.template, effect.context, "cli")
                    self.result.refusals.append(rendered.text)
        if not self.result.refusals:
            await self._staff_view()
        await self.session.flush()
        self.result.outbox_ids = [row.id for row in self.written]
        return self.result

    async def _staff_view(self) -> None:
        """The cards this event changed (their thread lines were written as it went)."""
        for reference, case in self.cases.items():
            if reference in self._refresh or self._before.get(reference) != card_facts(case):
                await self.notices.cards(case)
        self.written += self.notices.add_to_session()

    async def _case(self, reference: str) -> Case:
        if reference not in self.cases:
            found = await self.session.scalar(select(Case).where(Case.reference == reference))
            if found is None:
                raise LookupError(f"no case {reference}")
            self.cases[reference] = found
            self._before[reference] = card_facts(found)
        return self.cases[reference]

    async def _open(self, effect: OpenCase) -> None:
        if self.identity is None:
            raise RuntimeError("a case can only be opened from a customer's message")
        since = self.conversation_started or self.now
        case = await open_case(self.session, self.identity, effect, self.now, since, self.message)
        self.cases[case.reference] = case
        self._before[case.reference] = None
        self.result.opened.append(case.reference)
        self._event(
            case,
            "received",
            to_status=CaseStatus.RECEIVED.value,
            data={
                "category": case.category,
                "severity": case.severity,
                "queue": case.queue,
                "reasons": case.triage,
            },
        )

    async def _change_status(self, effect: ChangeStatus) -> None:
        case = await self._case(effect.reference)
        before = case.status
        if not can_transition(CaseStatus(before), effect.status):
            # The decision was made on a status that has since changed; the table wins.
            log.warning(
                "%s: %s -> %s not allowed; not applied", case.reference, before, effect.status.value
            )
            self._event(
                case,
                "status_change_skipped",
                from_status=before,
                to_status=effect.status.value,
                data={"note": effect.note or ""},
            )
            return
        case.status = effect.status.value
        case.updated_at = self.now
        if effect.status is CaseStatus.RESOLVED:
            case.resolved_at = self.now
        elif effect.status is CaseStatus.REOPENED:
            case.resolved_at = None
        data = {"note": effect.note} if effect.note else {}
        self._event(case, "status_changed", from_status=before, to_status=case.status, data=data)

    async def _regrade(self, effect: Regrade) -> None:
        case = await self._case(effect.reference)
        data = regrade(case, effect)
        case.updated_at = self.now
        self._event(case, "regraded", data=data)

    async def _cancel_timers(self, effect: CancelTimers) -> None:
        case = await self._case(effect.reference)
        await cancel_timers(self.session, case, effect.kinds)

    async def _reply(self, effect: Reply) -> None:
        reference = effect.context.get("reference")
        case = await self._case(str(reference)) if isinstance(reference, str) else None
        identity = self.identity
        if identity is None and case is not None:
            identity = await self.session.get_one(Identity, case.identity_id)
        if identity is None:
            raise RuntimeError("a reply needs a customer identity")
        if await self._over_reply_cap(identity, case):
            return
        if effect.template == UNPROVEN_ANSWER and await self._unproven_again(identity):
            return
        rendered = self.locales.renderer(identity.language).render(
            effect.template, effect.context, identity.channel, effect.choices
        )
        row = self._outbox(
            case,
            "customer",
            identity.channel,
            identity.address,
            effect.template,
            rendered.text,
            rendered.subject,
            rendered.html,
            [[choice.value, choice.label] for choice in rendered.choices],
        )
        if identity.channel in THREADED_CHANNELS:
            row.thread_ids = await self._thread(case, identity.channel)
        if case is not None:
            case.last_told_at = self.now
            # Staff see, in the case's thread, every word the customer was sent.
            context = {
                "reference": case.reference,
                "channel": identity.channel,
                "text": row.text,
                "by": None if self.automatic else self.actor.name,
            }
            self.notices.thread_line(case, "staff/sent_to_customer", context)

    async def _unproven_again(self, identity: Identity) -> bool:
        """Whether this answers a sender the checks could not prove, and the address had such
        an answer in the last day: forged mail must not use up the customer's replies."""
        auth = self.message.sender_auth if self.message is not None else None
        if not auth or auth.get("authenticated", True):
            return False
        since = self.now - UNPROVEN_ANSWER_EVERY
        if not await sent_since(self.session, identity, UNPROVEN_ANSWER, since):
            return False
        log.info("an answer to an unproven sender held back: %s", identity.channel)
        return True

    async def _over_reply_cap(self, identity: Identity, case: Case | None) -> bool:
        """Whether this address had its automatic replies for the hour (a mail loop guard)."""
        if self.replies_per_hour is None or identity.channel not in THREADED_CHANNELS:
            return False
        recent = await replies_in_last_hour(self.session, identity, self.now)
        if recent < self.replies_per_hour:
            return False
        log.warning(
            "automatic reply to %s:%s suppressed: %s in the last hour",
            identity.channel,
            identity.address,
            recent,
        )
        if case is not None:
            self._event(case, "auto_reply_suppressed", data={"last_hour": recent})
        return True

    async def _thread(self, case: Case | None, channel: str) -> list[str]:
        return await thread_ids(self.session, case, channel, self.message)

    async def _update(self, effect: UpdateCase) -> None:
        case = await self._case(effect.reference)
        changed = await update_details(self.session, case, effect.details, self.now)
        self._event(case, "details_updated", data=changed)

    async def _mark(self, effect: MarkCase) -> None:
        mark_case(await self._case(effect.reference), effect.facts, self.now)

    async def _notify(self, effect: NotifyStaff) -> None:
        case = await self._case(effect.reference) if effect.reference else None
        context = dict(effect.context)
        if self.message is not None and effect.template == CUSTOMER_MESSAGE:
            # Staff see what came with the message (names and links; the files are stored).
            rows = await self.session.scalars(
                select(AttachmentRow).where(AttachmentRow.message_id == self.message.id)
            )
            context["attachments"] = [{"name": a.filename, "url": a.url} for a in rows]
        self.notices.notify(case, effect.queue, effect.template, context, escalate=effect.escalate)

    def _outbox(
        self,
        case: Case | None,
        audience: str,
        channel: str,
        address: str,
        template: str,
        text: str,
        subject: str | None,
        html: str | None,
        choices: list[list[str]],
    ) -> Outbox:
        row = Outbox(
            case_id=case.id if case else None,
            audience=audience,
            channel=channel,
            address=address,
            template=template,
            subject=subject,
            text=text,
            html=html,
            choices=choices,
            thread_ids=[],
            automatic=self.automatic,
            status="pending",
            attempts=0,
            next_attempt_at=self.now,
            created_at=self.now,
        )
        self.session.add(row)
        self.written.append(row)
        return row

    def _event(
        self,
        case: Case,
        kind: str,
        *,
        from_status: str | None = None,
        to_status: str | None = None,
        data: Mapping[str, object] | None = None,
    ) -> None:
        if kind in EVENT_LINES and self.actor.channel not in SHOWN_AT_SOURCE:
            context = event_line_context(case, kind, self.actor.name, data or {}, to_status)
            self.notices.thread_line(case, "staff/case_event", context)
        if kind in CARD_TIMERS:
            self._refresh.add(case.reference)
        self.session.add(
            CaseEvent(
                case_id=case.id,
                kind=kind,
                from_status=from_status,
                to_status=to_status,
                actor=self.actor.name,
                channel=self.actor.channel,
                data=dict(data or {}),
                created_at=self.now,
            )
        )
