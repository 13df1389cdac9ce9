"""Continual improvement (ISO 10002 8.7): actions against recurring root causes, and their effect.

Staff record what will change about a root cause, who owns it and by when; mark it done or
dropped. ``progress`` tells the management review which root causes recur, which actions are
open or overdue, and, for each action done, how often that root cause was recorded in the
same length of time before and after it (up to 90 days each way).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.app import App
from bot.storage.models import CaseEvent, ImprovementAction

OPEN, DONE, DROPPED = "open", "done", "dropped"
# How far before and after an action is done its effect is looked for.
EFFECT_WINDOW = timedelta(days=90)


class UnknownRootCause(ValueError):
    """The root cause is not one the routing file lists."""


class UnknownAction(LookupError):
    """No improvement action has that number."""


@dataclass(frozen=True)
class ActionProgress:
    """One action as the review shows it."""

    action: ImprovementAction
    overdue: bool
    # Done actions: root causes recorded in the window before and after, and the window's days.
    before: int | None = None
    after: int | None = None
    days: int | None = None


async def add_action(
    app: App, root_cause: str, what: str, owner: str, due_on: date, actor: str
) -> ImprovementAction:
    """Record an action against a root cause."""
    if root_cause not in app.intake.rules.root_causes:
        raise UnknownRootCause(root_cause)
    action = ImprovementAction(
        root_cause=root_cause,
        what=what,
        owner=owner,
        due_on=due_on,
        status=OPEN,
        created_by=actor,
        created_at=app.clock(),
    )
    async with app.transaction() as session:
        session.add(action)
    return action


async def finish_action(app: App, number: int, status: str) -> ImprovementAction:
    """Mark an action done (the effect is measured from now) or dropped."""
    async with app.transaction() as session:
        action = await session.get(ImprovementAction, number, with_for_update=True)
        if action is None:
            raise UnknownAction(number)
        action.status = status
        action.done_at = app.clock() if status == DONE else None
    return action


async def progress(app: App, now: datetime) -> list[ActionProgress]:
    """Every action, newest first, with whether it is overdue and, once done, its effect."""
    today = now.astimezone(app.settings.zone).date()
    found: list[ActionProgress] = []
    async with app.sessions() as session:
        actions = (
            await session.scalars(select(ImprovementAction).order_by(ImprovementAction.id.desc()))
        ).all()
        for action in actions:
            if action.status != DONE or action.done_at is None:
                overdue = action.status == OPEN and action.due_on < today
                found.append(ActionProgress(action, overdue))
                continue
            window = min(EFFECT_WINDOW, now - action.done_at)
            done = action.done_at
            found.append(
                ActionProgress(
                    action,
                    False,
                    before=await _recorded(session, action.root_cause, done - window, done),
                    after=await _recorded(session, action.root_cause, done, done + window),
                    days=window.days,
                )
            )
    return found


async def _recorded(session: AsyncSession, root: str, start: datetime, end: datetime) -> int:
    """How often ``root`` was recorded as a case's root cause in [start, end)."""
    return int(
        await session.scalar(
            select(func.count()).where(
                CaseEvent.kind == "root_cause",
                CaseEvent.data["cause"].as_string() == root,
                CaseEvent.created_at >= start,
                CaseEvent.created_at < end,
            )
        )
        or 0
    )
