"""Firing due timers (SLA, the customer's reminder, closing) through the workflow."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy import or_, select

from bot.services.app import App
from bot.services.effects import Actor, EffectApplier
from bot.services.views import case_view
from bot.storage.database import supports_skip_locked
from bot.storage.models import Case, CaseEvent, Timer
from workflows.timers import decide_timer

log = logging.getLogger(__name__)
BATCH = 50
LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 5


async def fire_due_timers(app: App, stop: asyncio.Event | None = None) -> int:
    """Fire every timer that is due; returns how many fired. Safe to run in several processes.

    A timer whose firing fails is tried again after its lease, and after MAX_ATTEMPTS it is
    marked failed with an event on its case, so it never loops unseen.
    """
    fired = 0
    while stop is None or not stop.is_set():
        batch = await _claim(app)
        if not batch:
            break
        for timer_id in batch:
            try:
                await _fire(app, timer_id)
                fired += 1
            except Exception as error:
                log.exception("timer %s failed to fire", timer_id)
                await _failed(app, timer_id, f"{type(error).__name__}: {error}")
    return fired


async def _failed(app: App, timer_id: int, reason: str) -> None:
    async with app.transaction() as session:
        timer = await session.get_one(Timer, timer_id)
        timer.attempts += 1
        timer.last_error = reason[:2000]
        if timer.attempts < MAX_ATTEMPTS:
            return  # claimed still: tried again once the lease runs out
        timer.status = "failed"
        session.add(
            CaseEvent(
                case_id=timer.case_id,
                kind="timer_failed",
                actor="system",
                channel="timer",
                created_at=app.clock(),
                data={"timer": timer.kind, "reason": timer.last_error},
            )
        )


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
        decision = decide_timer(
            case_view(case), timer.kind, now, app.intake.rules, app.intake.timezone
        )
        applier = EffectApplier(
            session=session,
            renderer=app.renderer,
            locales=app.locales,
            now=now,
            actor=Actor("system", "timer"),
            staff=app.staff,
            cases={case.reference: case},
        )
        await applier.apply(decision)
        timer.status = "fired"
        timer.fired_at = now
        log.info("timer %s fired for %s", timer.kind, case.reference)
