"""What the operator sets about a case after staff respond: reminders, closing, reopening."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from workflows.lifecycle import CaseStatus


class Remedy(StrEnum):
    """What staff offer in a response (ISO 10002 7.8: the decision and any remedy)."""

    REFUND = "refund"
    REPLACEMENT = "replacement"
    REPAIR = "repair"
    EXPLANATION = "explanation"
    APOLOGY = "apology"
    OTHER = "other"


class CustomerDecision(StrEnum):
    """What the customer made of a response (or of the whole complaint)."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NO_REPLY = "no_reply"
    WITHDRAWN = "withdrawn"


# Where a rejected response sends the case back to.
REJECTED_TO = frozenset({CaseStatus.INVESTIGATING, CaseStatus.ESCALATED})


@dataclass(frozen=True, slots=True)
class Aftercare:
    """The ``[aftercare]`` table of the routing file, with its defaults."""

    # No answer to a response: one reminder after this, then resolved as "no reply" after
    # ``decision_lapse`` more.
    decision_reminder: timedelta = timedelta(days=5)
    decision_lapse: timedelta = timedelta(days=5)
    # A resolved case closes after this long with nothing from the customer.
    close_after: timedelta = timedelta(days=14)
    # Until this long after resolution the customer reopens it by replying; after, a reply
    # starts a new complaint.
    reopen_within: timedelta = timedelta(days=30)
    rejected_to: CaseStatus = CaseStatus.INVESTIGATING
    # Ask how satisfied the customer is with the handling once the case is resolved.
    ask_satisfaction: bool = True

    @staticmethod
    def from_mapping(data: Mapping[str, object]) -> Aftercare:
        """Read the table (every key optional); a wrong value names the key."""
        known = {"decision_reminder_days", "decision_lapse_days", "close_after_days"}
        known |= {"reopen_within_days", "rejected_goes_to", "ask_satisfaction"}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"[aftercare]: unknown {sorted(unknown)}; known: {sorted(known)}")
        base = Aftercare()
        rejected = str(data.get("rejected_goes_to", base.rejected_to.value))
        if rejected not in {status.value for status in REJECTED_TO}:
            raise ValueError("[aftercare] rejected_goes_to must be investigating or escalated")
        asking = data.get("ask_satisfaction", base.ask_satisfaction)
        if not isinstance(asking, bool):
            raise ValueError("[aftercare] ask_satisfaction must be true or false")
        return Aftercare(
            decision_reminder=_days(data, "decision_reminder_days", base.decision_reminder),
            decision_lapse=_days(data, "decision_lapse_days", base.decision_lapse),
            close_after=_days(data, "close_after_days", base.close_after),
            reopen_within=_days(data, "reopen_within_days", base.reopen_within),
            rejected_to=CaseStatus(rejected),
            ask_satisfaction=asking,
        )


def _days(data: Mapping[str, object], name: str, default: timedelta) -> timedelta:
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"[aftercare] {name} must be a positive number of days")
    return timedelta(days=float(value))
