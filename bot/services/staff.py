"""Staff actions (from the CLI now, Slack later) through the same workflow and outbox."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from bot.rendering import Renderer
from bot.services.app import App
from bot.services.effects import Actor, EffectApplier
from bot.services.lookup import find_case
from bot.services.once import first_time
from bot.services.views import case_view
from bot.storage.models import Case, Identity
from workflows.staff import StaffAction, decide_staff_action


@dataclass
class StaffResult:
    """What a staff action did: refusals explain why nothing changed."""

    ok: bool
    refusals: list[str] = field(default_factory=list)
    outbox_ids: list[int] = field(default_factory=list)
    duplicate: bool = False


async def handle_staff_action(
    app: App, action: StaffAction, channel: str, event_id: str | None = None
) -> StaffResult:
    """Run one staff action in one transaction; ``event_id`` makes a retried action a no-op."""
    async with app.transaction() as session:
        if event_id is not None and not await first_time(session, channel, event_id, app.clock()):
            return StaffResult(ok=True, duplicate=True)
        case = await find_case(session, action.reference, app.settings.reference_prefix, lock=True)
        now = app.clock()
        decision = decide_staff_action(case_view(case), action, now, app.intake.rules)
        applier = EffectApplier(
            session=session,
            renderer=app.renderer,
            locales=app.locales,
            now=now,
            actor=Actor(action.actor, channel),
            staff=app.staff,
            cases={case.reference: case},
            automatic=False,
        )
        applied = await applier.apply(decision)
        if applied.refusals:
            await session.rollback()
            return StaffResult(ok=False, refusals=applied.refusals)
        return StaffResult(ok=True, outbox_ids=applied.outbox_ids)


async def customer_renderer(app: App, case: Case) -> Renderer:
    """The renderer of what this case's customer reads: in their language (staff previews)."""
    async with app.sessions() as session:
        language = await session.scalar(
            select(Identity.language).where(Identity.id == case.identity_id)
        )
    return app.locales.renderer(language)
