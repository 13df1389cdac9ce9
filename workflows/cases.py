"""What the core sees of a case, and what a customer's message about an existing case does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from workflows.effects import AttachMessage, ChangeStatus, Effect, NotifyStaff, RecordEvent, Reply
from workflows.lifecycle import CaseStatus, is_open

# How much of a customer's follow-up goes into a staff notification (the whole is on the case).
PREVIEW_LENGTH = 500


@dataclass(frozen=True, slots=True)
class CaseView:
    """The facts about a case the rules need; loaded by the shell."""

    reference: str
    status: CaseStatus
    opened_at: datetime
    queue: str
    category: str
    severity: str
    due_at: datetime | None = None
    assignee: str | None = None
    customer_name: str | None = None
    channel: str | None = None
    # A member of staff has set the grade: triage no longer changes it on its own.
    graded_by_staff: bool = False
    # When it was last resolved (None while it never was, or since it reopened).
    resolved_at: datetime | None = None
    # The satisfaction question was sent (it is asked once) and the score given, if any.
    satisfaction_asked: bool = False
    satisfaction: int | None = None
    # The response clock: stopped since ``paused_at`` while the case waits for the customer;
    # ``paused_seconds`` in all, for the record (the target has moved on by as much).
    paused_at: datetime | None = None
    paused_seconds: int = 0
    # When the customer was last sent anything about this case (progress updates count from it).
    last_told_at: datetime | None = None


def open_cases(cases: tuple[CaseView, ...]) -> list[CaseView]:
    """The cases still being handled, newest first."""
    return sorted(
        (case for case in cases if is_open(case.status)), key=lambda c: c.opened_at, reverse=True
    )


def kept_on_case(case: CaseView, channel: str) -> list[Effect]:
    """The message being handled joins ``case``, and its history says the customer wrote."""
    return [
        AttachMessage(case.reference),
        RecordEvent(case.reference, "customer_message", {"channel": channel}),
    ]


def staff_shown(case: CaseView, text: str, channel: str) -> NotifyStaff:
    """The case's staff see what the customer wrote (its start; the whole is on the case)."""
    facts = {
        "reference": case.reference,
        "text": text[:PREVIEW_LENGTH],
        "channel": channel,
        "truncated": len(text) > PREVIEW_LENGTH,
    }
    return NotifyStaff(case.queue, "staff/customer_message", facts, case.reference)


def follow_up(case: CaseView, text: str, channel: str) -> list[Effect]:
    """A customer wrote again about ``case``: keep it on the case and tell its staff."""
    effects = kept_on_case(case, channel)
    if case.status is CaseStatus.AWAITING_CUSTOMER:
        effects.append(
            ChangeStatus(case.reference, CaseStatus.INVESTIGATING, note="the customer replied")
        )
    effects.append(staff_shown(case, text, channel))
    reply = "customer/follow_up_received" if is_open(case.status) else "customer/follow_up_closed"
    effects.append(Reply(reply, {"reference": case.reference}))
    return effects
