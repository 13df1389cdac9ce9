"""The ISO 10002 case lifecycle: which stage may follow which."""

from __future__ import annotations

from collections import deque

import pytest

from workflows.lifecycle import (
    CUSTOMER_ANNOUNCED,
    FINISHED,
    TRANSITIONS,
    CaseStatus,
    allowed_targets,
    can_transition,
    is_open,
)

S = CaseStatus

# The lifecycle as specified, written out independently of the module's table: a change to the
# table must be a deliberate change here too.
EXPECTED: dict[str, set[str]] = {
    "received": {"acknowledged", "withdrawn"},
    "acknowledged": {
        "assessed",
        "investigating",
        "awaiting_customer",
        "escalated",
        # Staff may answer straight away, before any formal assessment.
        "response_proposed",
        "resolved",
        "withdrawn",
    },
    "assessed": {
        "investigating",
        "awaiting_customer",
        "escalated",
        "response_proposed",
        "resolved",
        "withdrawn",
    },
    "investigating": {
        "awaiting_customer",
        "response_proposed",
        "escalated",
        "resolved",
        "withdrawn",
    },
    # What the customer sent may be all staff needed to respond.
    "awaiting_customer": {
        "investigating",
        "escalated",
        "response_proposed",
        "resolved",
        "withdrawn",
    },
    "response_proposed": {"resolved", "investigating", "escalated", "withdrawn"},
    "escalated": {
        "investigating",
        "awaiting_customer",
        "response_proposed",
        "resolved",
        "withdrawn",
    },
    "resolved": {"closed", "reopened"},
    "closed": {"reopened"},
    "withdrawn": {"reopened"},
    "reopened": {
        "assessed",
        "investigating",
        "awaiting_customer",
        "escalated",
        "response_proposed",
        "resolved",
        "withdrawn",
    },
}

ALL_PAIRS = [(current, target) for current in CaseStatus for target in CaseStatus]


def reachable_from(start: CaseStatus) -> set[CaseStatus]:
    seen = {start}
    queue = deque([start])
    while queue:
        for target in allowed_targets(queue.popleft()):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_the_table_covers_every_status_and_names_only_known_statuses() -> None:
    assert set(TRANSITIONS) == set(CaseStatus)
    for targets in TRANSITIONS.values():
        assert targets <= set(CaseStatus)
    assert set(EXPECTED) == {status.value for status in CaseStatus}


def test_the_iso_10002_stages_all_exist() -> None:
    assert {status.value for status in CaseStatus} == {
        "received",
        "acknowledged",
        "assessed",
        "investigating",
        "awaiting_customer",
        "response_proposed",
        "resolved",
        "closed",
        "withdrawn",
        "escalated",
        "reopened",
    }


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=lambda s: s.value)
def test_a_move_is_allowed_exactly_when_the_lifecycle_says_so(
    current: CaseStatus, target: CaseStatus
) -> None:
    assert can_transition(current, target) is (target.value in EXPECTED[current.value])


@pytest.mark.parametrize("status", list(CaseStatus), ids=lambda s: s.value)
def test_no_status_moves_to_itself(status: CaseStatus) -> None:
    assert not can_transition(status, status)


@pytest.mark.parametrize("status", [S.CLOSED, S.WITHDRAWN], ids=lambda s: s.value)
def test_closed_and_withdrawn_cases_can_only_be_reopened(status: CaseStatus) -> None:
    assert [target for target in CaseStatus if can_transition(status, target)] == [S.REOPENED]


def test_a_resolved_case_can_be_closed_or_reopened() -> None:
    assert can_transition(S.RESOLVED, S.CLOSED)
    assert can_transition(S.RESOLVED, S.REOPENED)
    assert not can_transition(S.RESOLVED, S.INVESTIGATING)


def test_a_new_case_must_be_acknowledged_before_work_starts() -> None:
    assert allowed_targets(S.RECEIVED) == [S.ACKNOWLEDGED, S.WITHDRAWN]


@pytest.mark.parametrize("status", [s for s in CaseStatus if is_open(s)], ids=lambda s: s.value)
def test_a_customer_can_withdraw_any_open_case(status: CaseStatus) -> None:
    assert can_transition(status, S.WITHDRAWN)


@pytest.mark.parametrize("status", list(CaseStatus), ids=lambda s: s.value)
def test_allowed_targets_lists_the_allowed_moves_in_lifecycle_order(status: CaseStatus) -> None:
    targets = allowed_targets(status)
    assert set(targets) == {S(value) for value in EXPECTED[status.value]}
    order = list(CaseStatus)
    assert targets == sorted(targets, key=order.index)


def test_every_stage_is_reachable_from_received() -> None:
    assert reachable_from(S.RECEIVED) == set(CaseStatus)


@pytest.mark.parametrize("status", list(CaseStatus), ids=lambda s: s.value)
def test_no_stage_is_a_dead_end_every_case_can_still_be_resolved(status: CaseStatus) -> None:
    assert reachable_from(status) & FINISHED


def test_only_resolved_closed_and_withdrawn_cases_are_finished() -> None:
    assert {status for status in CaseStatus if not is_open(status)} == {
        S.RESOLVED,
        S.CLOSED,
        S.WITHDRAWN,
    }
    assert is_open(S.REOPENED)
    assert is_open(S.AWAITING_CUSTOMER)


def test_every_stage_a_case_can_move_to_is_announced_to_the_customer() -> None:
    assert S.RECEIVED not in CUSTOMER_ANNOUNCED
    assert set(CaseStatus) - {S.RECEIVED} == CUSTOMER_ANNOUNCED
