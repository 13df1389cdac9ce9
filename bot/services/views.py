"""What the workflow sees of stored rows."""

from __future__ import annotations

from bot.storage.models import Case
from workflows.cases import CaseView
from workflows.lifecycle import CaseStatus
from workflows.triage import STAFF_GRADE


def case_view(case: Case) -> CaseView:
    """What the workflow sees of a stored case."""
    return CaseView(
        reference=case.reference,
        status=CaseStatus(case.status),
        opened_at=case.opened_at,
        queue=case.queue,
        category=case.category,
        severity=case.severity,
        due_at=case.due_at,
        assignee=case.assignee,
        customer_name=case.customer_name,
        channel=case.channel,
        graded_by_staff=any(
            isinstance(reason, dict) and reason.get("kind") == STAFF_GRADE for reason in case.triage
        ),
        resolved_at=case.resolved_at,
        satisfaction_asked=case.satisfaction_asked_at is not None,
        satisfaction=case.satisfaction,
        paused_at=case.paused_at,
        paused_seconds=case.paused_seconds or 0,
        last_told_at=case.last_told_at,
    )
