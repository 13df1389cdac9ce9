"""Decisions: what the core wants done, as data the shell carries out in one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from workflows.lifecycle import CaseStatus

if TYPE_CHECKING:
    # Types only: a staff command rendering a menu need not load the triage lexicon's code.
    from workflows.classification import Classification
    from workflows.conversation import Conversation
    from workflows.triage import Reason

Context = Mapping[str, object]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ChoiceSpec:
    """A choice offered with a reply: the value we accept and the label key it is shown with."""

    value: str
    label: str


@dataclass(frozen=True, slots=True)
class Reply:
    """Send the customer template ``template`` (on the channel of the event, or of the case)."""

    template: str
    context: Context = field(default_factory=dict)
    choices: tuple[ChoiceSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class CaseDetails:
    """What a registered complaint says."""

    description: str
    product: str | None
    occurred_on: date | None
    occurred_text: str | None
    outcome: str | None
    outcome_detail: str | None
    customer_name: str | None
    contact: str | None
    consent: bool


@dataclass(frozen=True, slots=True)
class OpenCase:
    """Register a new case with this reference (it starts as received)."""

    reference: str
    details: CaseDetails
    classification: Classification
    due_at: datetime


@dataclass(frozen=True, slots=True)
class UpdateCase:
    """Add details the customer gave after registration (keys: CaseDetails field names)."""

    reference: str
    details: Context


@dataclass(frozen=True, slots=True)
class ChangeStatus:
    """Move a case to another lifecycle stage (the shell writes the event row)."""

    reference: str
    status: CaseStatus
    note: str | None = None


@dataclass(frozen=True, slots=True)
class MarkCase:
    """Set what a case records after staff respond (keys: ``AFTERCARE_FACTS``).

    The remedy offered, the customer's decision, the satisfaction score, when it was asked,
    and a new response target on reopening. The audit event is the decision's own RecordEvent.
    """

    reference: str
    facts: Context


AFTERCARE_FACTS = frozenset(
    {
        "remedy",
        "remedy_amount",
        "customer_decision",
        "satisfaction",
        "satisfaction_asked_at",
        "due_at",
        "paused_at",
        "paused_seconds",
    }
)


@dataclass(frozen=True, slots=True)
class RecordEvent:
    """Add an audit event to a case that is not a status change."""

    reference: str
    kind: str
    data: Context = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class AttachMessage:
    """Link the inbound message being handled to a case."""

    reference: str


@dataclass(frozen=True, slots=True)
class Assign:
    """Give the case to a member of staff (None: unassign)."""

    reference: str
    assignee: str | None


@dataclass(frozen=True, slots=True)
class NotifyStaff:
    """Tell a staff queue something, with a staff-facing template.

    ``escalate``: it also goes to the escalation destination (a critical case on arrival, an
    SLA reminder or breach, a person pressing Escalate), where the on-call group is called.
    """

    queue: str
    template: str
    context: Context = field(default_factory=dict)
    reference: str | None = None
    escalate: bool = False


@dataclass(frozen=True, slots=True)
class ScheduleTimer:
    """Fire ``kind`` for a case at ``due_at`` (the shell stores it; the scheduler fires it)."""

    reference: str
    kind: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class CancelTimers:
    """Cancel a case's pending timers of these kinds (its response target moved)."""

    reference: str
    kinds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Regrade:
    """Give a case another severity, category and queue (and response target), saying why.

    ``reasons`` are triage's (a follow-up revealed a hazard); ``note`` is a person's reason.
    """

    reference: str
    severity: str
    category: str
    queue: str
    due_at: datetime | None
    reasons: tuple[Reason, ...] = ()
    note: str | None = None
    # The member of staff who decided it (None: triage raised it on what the customer wrote).
    decided_by: str | None = None


@dataclass(frozen=True, slots=True)
class Refuse:
    """A staff request the rules do not allow; the template explains why."""

    template: str
    context: Context = field(default_factory=dict)


Effect = (
    Reply
    | OpenCase
    | UpdateCase
    | MarkCase
    | ChangeStatus
    | RecordEvent
    | AttachMessage
    | Assign
    | NotifyStaff
    | ScheduleTimer
    | CancelTimers
    | Regrade
    | Refuse
)


@dataclass(frozen=True)
class Decision:
    """The outcome of one event: the conversation to keep (if any) and the effects, in order."""

    effects: tuple[Effect, ...]
    conversation: Conversation | None = None

    def of_type(self, kind: type[T]) -> list[T]:
        """The effects of one kind, in order."""
        return [effect for effect in self.effects if isinstance(effect, kind)]


def refusal(template: str, **context: object) -> Decision:
    """A decision that changes nothing and says why (a staff request the rules do not allow)."""
    return Decision((Refuse(template, context),))
