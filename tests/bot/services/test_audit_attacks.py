"""The audit trail against someone who can write to the database but has not the key.

Each test is an attack an independent review found going unreported (issue 13); each must
now be reported, with the case and the place where it can be named.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, text, update

from bot.services import audit
from bot.services.app import App
from bot.services.audit_export import export_case
from bot.services.erasure import erase_person
from bot.storage.audit_chain import ERASURE_EVENT, LEGACY, content_digest
from bot.storage.models import AuditAnchor, Case, CaseEvent
from fakes import FakeClock
from tests.bot.services.test_audit_service import case_with_history, sql
from tests.support.apps import migrated_app


def problems(checked: audit.Verification) -> set[str]:
    return {finding.problem for finding in checked.findings}


async def anchored(app: App, clock: FakeClock) -> None:
    clock.advance(minutes=10)
    assert await audit.anchor(app) is not None


async def test_deleting_the_newest_anchor_with_the_events_it_covered_is_found(
    app: App, clock: FakeClock
) -> None:
    _, events = await case_with_history(app)
    await anchored(app, clock)
    await sql(app, delete(CaseEvent).where(CaseEvent.id == events[-1].id))
    newest = select(AuditAnchor.id).order_by(AuditAnchor.id.desc()).limit(1).scalar_subquery()
    await sql(app, delete(AuditAnchor).where(AuditAnchor.id == newest))
    assert problems(await audit.verify(app)) == {"anchor_missing"}
    await anchored(app, clock)  # the next anchor does not paper over it
    assert "anchor_missing" in problems(await audit.verify(app))


async def test_a_first_anchor_reset_to_legacy_seals_no_forgery(app: App, clock: FakeClock) -> None:
    reference, events = await case_with_history(app)
    await case_with_history(app, "bob")
    await anchored(app, clock)
    # Rewrite a note, blank the case's seals, and claim the events are from before the chain.
    await sql(
        app, update(CaseEvent).where(CaseEvent.id == events[2].id).values(data={"text": "ok"})
    )
    await sql(
        app,
        update(CaseEvent)
        .where(CaseEvent.case_id == events[0].case_id)
        .values(seq=None, digest=None, chain=None),
    )
    await sql(app, delete(AuditAnchor).where(AuditAnchor.id > 1))
    await sql(app, update(AuditAnchor).values(digest=LEGACY, up_to_event_id=10_000))
    async with migrated_app(app.settings, clock) as fresh:  # as `audit verify` would start
        checked = await audit.verify(fresh)
        again = await audit.verify(fresh)
    assert {"unsealed", "legacy_reset", "anchor_missing"} <= problems(checked)
    assert problems(again) == problems(checked)  # verify sealed nothing
    assert any(f.reference == reference for f in checked.findings)


async def test_an_erased_event_edited_after_the_erasure_is_found(
    app: App, clock: FakeClock
) -> None:
    reference, events = await case_with_history(app)
    await erase_person(app, "alice", "dpo", "asked")
    await anchored(app, clock)
    assert (await audit.verify(app)).intact
    await sql(
        app,
        update(CaseEvent)
        .where(CaseEvent.id == events[0].id)
        .values(actor="mallory", data={"severity": "low", "erased": True}),
    )
    [finding] = (await audit.verify(app)).findings
    assert (finding.problem, finding.reference, finding.position) == ("changed", reference, 1)


async def test_a_forged_erasure_vouches_for_nothing(app: App, clock: FakeClock) -> None:
    reference, events = await case_with_history(app)
    when = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    forged = {"reason": "asked", "events": {str(event.id): "0" * 64 for event in events}}
    await sql(
        app,
        update(CaseEvent)
        .where(CaseEvent.case_id == events[0].case_id)
        .values(data={"erased": True}),
    )
    digest = content_digest(
        events[0].case_id, reference, ERASURE_EVENT, None, None, "dpo", "cli", forged, when
    )
    await sql(
        app,
        insert(CaseEvent).values(
            case_id=events[0].case_id,
            kind=ERASURE_EVENT,
            actor="dpo",
            channel="cli",
            data=forged,
            created_at=when,
            seq=len(events) + 1,
            digest=digest,
            chain="0" * 64,
        ),
    )
    found = (await audit.verify(app)).findings
    # Every rewritten event is named, and the forgery itself.
    assert {f.event_id for f in found if f.problem == "changed"} == {e.id for e in events}
    assert any(f.problem == "seal" and f.kind == ERASURE_EVENT for f in found)


async def without_foreign_keys(app: App, *statements: object) -> None:
    """Change the database as its owner can: foreign keys not enforced (SQLite's own
    default for a plain connection; on PostgreSQL, replication mode skips them)."""
    if app.engine.dialect.name == "sqlite":
        path = app.settings.sqlite_path
        assert path is not None
        with contextlib.closing(sqlite3.connect(path)) as connection:
            for statement in statements:
                compiled = statement.compile(  # type: ignore[attr-defined]
                    dialect=app.engine.dialect, compile_kwargs={"literal_binds": True}
                )
                connection.execute(str(compiled))
            connection.commit()
        return
    async with app.engine.begin() as connection:
        await connection.execute(text("SET LOCAL session_replication_role = replica"))
        for statement in statements:
            await connection.execute(statement)  # type: ignore[call-overload]


async def test_events_moved_off_their_case_or_left_by_a_deleted_case_are_found(
    app: App,
) -> None:
    reference, events = await case_with_history(app)
    other, others = await case_with_history(app, "bob")
    await without_foreign_keys(
        app,
        update(CaseEvent).where(CaseEvent.id == events[-1].id).values(case_id=999_999),
        delete(Case).where(Case.reference == other),
    )
    checked = await audit.verify(app)
    assert problems(checked) == {"orphaned"}
    assert {f.count for f in checked.findings} == {1, len(others)}
    assert checked.events == len(events) + len(others)  # every row walked
    exported = await export_case(app, reference)
    assert exported["chain_intact"] is True  # its own chain cannot tell; verify did


async def test_swapping_two_cases_references_is_found(app: App) -> None:
    first, _ = await case_with_history(app)
    second, _ = await case_with_history(app, "bob")
    await sql(app, update(Case).where(Case.reference == first).values(reference="CB-TEMP-0000"))
    await sql(app, update(Case).where(Case.reference == second).values(reference=first))
    await sql(app, update(Case).where(Case.reference == "CB-TEMP-0000").values(reference=second))
    assert problems(await audit.verify(app)) == {"changed"}
    assert (await export_case(app, first))["chain_intact"] is False


async def test_rows_no_product_would_write_are_reported_not_crashed_on(app: App) -> None:
    _, events = await case_with_history(app)
    await erase_person(app, "alice", "dpo", "asked")
    await sql(
        app,
        update(CaseEvent)
        .where(CaseEvent.kind == ERASURE_EVENT)
        .values(data={"reason": "x", "events": ["x"]}),
    )
    await sql(app, update(CaseEvent).where(CaseEvent.id == events[1].id).values(data=[1, 2]))
    checked = await audit.verify(app)
    assert not checked.intact
    assert problems(checked) <= {"changed", "seal"}


async def test_a_key_named_twice_in_stored_data_is_found(app: App) -> None:
    reference, events = await case_with_history(app)
    doubled = '{"text": "Nothing sent", "text": "Refund agreed"}'
    if app.engine.dialect.name == "sqlite":
        statement = text("UPDATE case_events SET data = :doubled WHERE id = :id")
    else:
        statement = text("UPDATE case_events SET data = CAST(:doubled AS json) WHERE id = :id")
    async with app.engine.begin() as connection:
        await connection.execute(statement, {"doubled": doubled, "id": events[-1].id})
    [finding] = (await audit.verify(app)).findings
    assert (finding.problem, finding.reference) == ("changed", reference)
    assert json.loads(doubled) == {"text": "Refund agreed"}  # what Python alone would see
