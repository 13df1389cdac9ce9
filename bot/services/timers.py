"""Firing due timers (SLA warnings and breaches) through the workflow."""

from __future__ import annotations

import logging
from datetime import timedelta

from sqlalchemy import or_, select

from bot.services.app import App
from bot.services.effects import Actor, EffectApplier, case_view
from bot.storage.database import supports_skip_locked
from bot.storage.models import Case, Timer
from workflows.timers import decide_timer

log = logging.getLogger(__name__)
BATCH = 50
LEASE = timedelta(minutes=5)


async def fire_due_timers(app: App) -> int:
    """Fire every timer that is due; returns how many fired. Safe to run in several processes."""
    fired = 0
    while True:
        batch = await _claim(app)
        if not batch:
            return fired
        for timer_id in batch:
            await _fire(app, timer_id)
            fired += 1


async def _claim(app: App) -> list[int]:
    now = app.clock()
    async with app.transaction() as session:
        query = (
            select(Timer)
            .where(
                Timer.due_at <= now,
                or_(
                    Timer.status == "pending",
                    (Timer.status == "firing") & (Timer.locked_until < now),
                ),
            )
            .order_by(Timer.due_at)
            .limit(BATCH)
        )
        if supports_skip_locked(app.engine):
            query = query.with_for_update(skip_locked=True)
        timers = (await session.scalars(query)).all()
        for timer in timers:
            timer.status = "firing"
            timer.locked_until = now + LEASE
        return [timer.id for timer in timers]


async def _fire(app: App, timer_id: int) -> None:
    async with app.transaction() as session:
        timer = await session.get_one(Timer, timer_id, with_for_update=True)
        if timer.status != "firing":
            return
        case = await session.get_one(Case, timer.case_id, with_for_update=True)
        now = app.clock()
        decision = decide_timer(case_view(case), timer.kind, now)
        applier = EffectApplier(
            session=session,
            renderer=app.renderer,
            now=now,
            actor=Actor("system", "timer"),
            cases={case.reference: case},
        )
        await applier.apply(decision)
        timer.status = "fired"
        timer.fired_at = now
        log.info("timer %s fired for %s", timer.kind, case.reference)
