"""The case lifecycle: ISO 10002 stages and the one table of allowed transitions."""

from __future__ import annotations

from enum import StrEnum


class CaseStatus(StrEnum):
    """Where a case stands in the complaints-handling process."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    ASSESSED = "assessed"
    INVESTIGATING = "investigating"
    AWAITING_CUSTOMER = "awaiting_customer"
    RESPONSE_PROPOSED = "response_proposed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    ESCALATED = "escalated"
    REOPENED = "reopened"


S = CaseStatus
_WORKING = (S.ASSESSED, S.INVESTIGATING, S.ESCALATED)

# from-status -> the statuses it may move to. The only place transitions are defined.
TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    S.RECEIVED: frozenset({S.ACKNOWLEDGED, S.WITHDRAWN}),
    # Staff may need something from the customer at any working stage, even before assessing.
    S.ACKNOWLEDGED: frozenset(
        {*_WORKING, S.AWAITING_CUSTOMER, S.RESPONSE_PROPOSED, S.RESOLVED, S.WITHDRAWN}
    ),
    S.ASSESSED: frozenset(
        {
            S.INVESTIGATING,
            S.AWAITING_CUSTOMER,
            S.ESCALATED,
            S.RESPONSE_PROPOSED,
            S.RESOLVED,
            S.WITHDRAWN,
        }
    ),
    S.INVESTIGATING: frozenset(
        {S.AWAITING_CUSTOMER, S.RESPONSE_PROPOSED, S.ESCALATED, S.RESOLVED, S.WITHDRAWN}
    ),
    S.AWAITING_CUSTOMER: frozenset(
        {S.INVESTIGATING, S.ESCALATED, S.RESPONSE_PROPOSED, S.RESOLVED, S.WITHDRAWN}
    ),
    S.RESPONSE_PROPOSED: frozenset({S.RESOLVED, S.INVESTIGATING, S.ESCALATED, S.WITHDRAWN}),
    S.ESCALATED: frozenset(
        {S.INVESTIGATING, S.AWAITING_CUSTOMER, S.RESPONSE_PROPOSED, S.RESOLVED, S.WITHDRAWN}
    ),
    S.RESOLVED: frozenset({S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.WITHDRAWN: frozenset({S.REOPENED}),
    S.REOPENED: frozenset(
        {*_WORKING, S.AWAITING_CUSTOMER, S.RESPONSE_PROPOSED, S.RESOLVED, S.WITHDRAWN}
    ),
}

# Cases in these statuses need nothing more from staff; SLA clocks stop.
FINISHED = frozenset({S.RESOLVED, S.CLOSED, S.WITHDRAWN})
# Every stage a case can be moved to is told to the customer (received is only ever the start).
CUSTOMER_ANNOUNCED = frozenset(set(CaseStatus) - {S.RECEIVED})


def can_transition(current: CaseStatus, target: CaseStatus) -> bool:
    """Whether the lifecycle allows moving from ``current`` to ``target``."""
    return target in TRANSITIONS[current]


def allowed_targets(current: CaseStatus) -> list[CaseStatus]:
    """The statuses reachable from ``current``, in lifecycle order."""
    return [status for status in CaseStatus if status in TRANSITIONS[current]]


def is_open(status: CaseStatus) -> bool:
    """Whether a case in ``status`` is still being handled."""
    return status not in FINISHED
