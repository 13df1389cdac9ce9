"""Continual improvement: actions against root causes, overdue ones, and their effect."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.reports import review
from bot.services.app import App
from bot.services.improvement import (
    DONE,
    DROPPED,
    UnknownAction,
    UnknownRootCause,
    add_action,
    finish_action,
    progress,
)
from fakes import FakeClock
from tests.bot.conversation import register_complaint, staff_action
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffActionKind


async def resolved_for(app: App, address: str, cause: str) -> None:
    """A complaint resolved with ``cause`` recorded as its root cause."""
    reference = await register_complaint(app, address)
    await staff_action(
        app, reference, StaffActionKind.STATUS, status=CaseStatus.RESOLVED, root_cause=cause
    )


async def test_an_action_needs_a_root_cause_the_installation_records(app: App) -> None:
    with pytest.raises(UnknownRootCause):
        await add_action(app, "gremlins", "Exorcise", "dee", app.clock().date(), "carol")
    with pytest.raises(UnknownAction):
        await finish_action(app, 99, DONE)


async def test_an_open_action_past_its_day_is_overdue(app: App, clock: FakeClock) -> None:
    late = await add_action(
        app, "delivery", "New courier", "dee", clock().date() + timedelta(days=7), "carol"
    )
    dropped = await add_action(app, "billing_error", "Fix invoices", "eve", clock().date(), "carol")
    await finish_action(app, dropped.id, DROPPED)
    clock.advance(days=8)
    shown = {found.action.id: found for found in await progress(app, clock())}
    assert shown[late.id].overdue
    assert not shown[dropped.id].overdue  # dropped is not overdue
    assert shown[dropped.id].before is None


async def test_a_done_action_shows_whether_its_root_cause_fell(app: App, clock: FakeClock) -> None:
    for name in ("ann", "ben", "cat"):
        await resolved_for(app, name, "delivery")
    await resolved_for(app, "dot", "billing_error")  # another root cause: not counted
    action = await add_action(app, "delivery", "New courier", "dee", clock().date(), "carol")
    clock.advance(days=1)
    await finish_action(app, action.id, DONE)
    clock.advance(days=5)
    await resolved_for(app, "eve", "delivery")
    clock.advance(days=1)
    [found] = await progress(app, clock())
    assert (found.before, found.after, found.days) == (3, 1, 6)
    page = review.as_html(await review.build(app), app.renderer)
    assert "New courier" in page
    assert "3 / 1 (6 days each)" in page
