"""The audit trail proves itself: every kind of tampering with the database is found."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import delete, insert, select, text, update

from bot.services import audit
from bot.services.app import App
from bot.services.audit_export import export_case
from bot.storage.audit_chain import LEGACY, content_digest, link
from bot.storage.models import AuditAnchor, Case, CaseEvent
from fakes import FakeClock
from tests.bot.conversation import register_complaint, staff_action
from tests.support.apps import migrated_app
from workflows.staff import StaffActionKind


async def note(app: App, reference: str, words: str) -> None:
    """A member of staff adds an internal note (one more event on the case)."""
    await staff_action(app, reference, StaffActionKind.NOTE, text=words)


async def case_with_history(app: App, address: str = "alice") -> tuple[str, list[CaseEvent]]:
    """A registered complaint with three notes: five or more events in its chain."""
    reference = await register_complaint(app, address)
    for words in ("Called the courier", "Courier says it went to a neighbour", "Refund agreed"):
        await note(app, reference, words)
    async with app.sessions() as session:
        case_id = await session.scalar(select(Case.id).where(Case.reference == reference))
        events = (
            await session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)
            )
        ).all()
    return reference, list(events)


async def sql(app: App, statement: object) -> None:
    """Change the database directly, as someone with access to it (not through the product)."""
    async with app.engine.begin() as connection:
        await connection.execute(statement)  # type: ignore[call-overload]


async def test_events_are_sealed_in_order_as_they_are_written(app: App) -> None:
    _, events = await case_with_history(app)
    assert [event.seq for event in events] == list(range(1, len(events) + 1))
    assert all(event.digest and event.chain for event in events)
    assert len({event.chain for event in events}) == len(events)
    checked = await audit.verify(app)
    assert checked.intact, checked.findings
    assert (checked.cases, checked.events) == (1, len(events))


async def test_a_changed_event_is_found_with_its_case_and_place(app: App) -> None:
    reference, events = await case_with_history(app)
    await case_with_history(app, "bob")
    target = events[3]
    await sql(
        app, update(CaseEvent).where(CaseEvent.id == target.id).values(data={"text": "Nothing"})
    )
    checked = await audit.verify(app)
    [finding] = checked.findings
    assert (finding.problem, finding.reference, finding.position) == ("changed", reference, 4)


async def test_a_changed_event_with_its_digest_recomputed_is_still_found(app: App) -> None:
    # Whoever edits the database knows how digests are made; only the key makes a chain.
    reference, events = await case_with_history(app)
    target = events[2]
    forged = {**target.data, "text": "All fine"}
    digest = content_digest(
        target.case_id,
        reference,
        target.kind,
        target.from_status,
        target.to_status,
        target.actor,
        target.channel,
        forged,
        target.created_at,
    )
    await sql(
        app,
        update(CaseEvent).where(CaseEvent.id == target.id).values(data=forged, digest=digest),
    )
    [finding] = (await audit.verify(app)).findings
    assert (finding.problem, finding.reference, finding.position) == ("seal", reference, 3)


async def test_a_removed_event_is_found(app: App) -> None:
    reference, events = await case_with_history(app)
    await sql(app, delete(CaseEvent).where(CaseEvent.id == events[1].id))
    [finding] = (await audit.verify(app)).findings
    assert (finding.problem, finding.reference, finding.position, finding.count) == (
        "removed",
        reference,
        2,
        1,
    )


async def test_an_inserted_event_is_found_whatever_it_claims(app: App) -> None:
    reference, events = await case_with_history(app)
    last = events[-1]
    forged = {"text": "Customer withdrew the complaint"}
    digest = content_digest(
        last.case_id, reference, "note", None, None, "carol", "cli", forged, last.created_at
    )
    await sql(
        app,
        insert(CaseEvent).values(
            case_id=last.case_id,
            kind="note",
            actor="carol",
            channel="cli",
            data=forged,
            created_at=last.created_at,
            seq=len(events) + 1,
            digest=digest,
            chain=link(b"a guessed key", last.chain or "", len(events) + 1, digest),
        ),
    )
    # And one written without any seal at all.
    await sql(
        app,
        insert(CaseEvent).values(
            case_id=last.case_id,
            kind="note",
            actor="carol",
            channel="cli",
            data=forged,
            created_at=last.created_at,
        ),
    )
    findings = (await audit.verify(app)).findings
    assert [(f.problem, f.reference, f.position) for f in findings] == [
        ("seal", reference, len(events) + 1),
        ("unsealed", reference, len(events) + 2),
    ]


async def test_the_newest_events_removed_are_found_by_the_anchor(
    app: App, clock: FakeClock
) -> None:
    # A case's own chain cannot show its last events gone: the anchor over all of them can.
    _, events = await case_with_history(app)
    clock.advance(minutes=10)
    made = await audit.anchor(app)
    assert made is not None
    assert made.events == len(events)
    assert (await audit.verify(app)).intact
    await sql(app, delete(CaseEvent).where(CaseEvent.id == events[-1].id))
    [finding] = (await audit.verify(app)).findings
    assert (finding.problem, finding.count, finding.now) == ("anchor", len(events), len(events) - 1)


async def test_an_anchor_waits_for_events_to_settle_and_chains_to_the_one_before(
    app: App, clock: FakeClock
) -> None:
    await case_with_history(app)
    assert await audit.anchor(app) is None  # all written in the last five minutes
    clock.advance(minutes=10)
    first = await audit.anchor(app)
    reference, _ = await case_with_history(app, "bob")
    clock.advance(minutes=10)
    second = await audit.anchor(app)
    assert first is not None
    assert second is not None
    assert second.up_to_event_id > first.up_to_event_id
    assert await audit.anchor(app) is None
    checked = await audit.verify(app)
    assert checked.intact
    assert (checked.anchors, checked.unanchored) == (3, 0)  # with the first, of no events
    # Re-made anchors do not verify without the key.
    await sql(app, update(AuditAnchor).where(AuditAnchor.id == first.id).values(events=1))
    assert (await audit.verify(app)).intact  # the count is informative; the digest is the proof
    await sql(app, update(AuditAnchor).where(AuditAnchor.id == first.id).values(digest="0" * 64))
    problems = [f.problem for f in (await audit.verify(app)).findings]
    assert problems == ["anchor", "anchor_missing"]  # and the log beside the key disagrees
    assert reference


async def test_events_from_before_the_chain_are_sealed_once_in_order(
    app: App, clock: FakeClock
) -> None:
    reference, events = await case_with_history(app)
    other, others = await case_with_history(app, "bob")
    # As the database was before migration 0014: no seals, and the first anchor marks them.
    await sql(app, update(CaseEvent).values(seq=None, digest=None, chain=None))
    await sql(app, delete(AuditAnchor))
    await sql(
        app,
        insert(AuditAnchor).values(
            up_to_event_id=others[-1].id,
            events=len(events) + len(others),
            digest=LEGACY,
            created_at=clock(),
        ),
    )
    # The application started again after the upgrade, with the same key file: the first
    # event it writes seals everything from before, in order, first.
    async with migrated_app(app.settings, clock) as upgraded:
        await note(upgraded, reference, "A note after the upgrade")
        checked = await audit.verify(upgraded)
        assert checked.intact, checked.findings
        assert checked.events == len(events) + 1 + len(others)
        async with upgraded.sessions() as session:
            seqs = (await session.scalars(select(CaseEvent.seq).order_by(CaseEvent.id))).all()
    assert list(seqs) == [*range(1, len(events) + 1), *range(1, len(others) + 1), len(events) + 1]
    assert other


async def test_two_writers_on_one_case_at_once_keep_one_chain(app: App) -> None:
    reference, _ = await case_with_history(app)
    await asyncio.gather(*(note(app, reference, f"note {n}") for n in range(8)))
    checked = await audit.verify(app)
    assert checked.intact, checked.findings


async def test_an_auditor_gets_a_cases_whole_history_with_its_seals(app: App) -> None:
    reference, events = await case_with_history(app)
    exported = await export_case(app, reference)
    assert exported["reference"] == reference
    assert exported["chain_intact"] is True
    assert [event["place"] for event in exported["events"]] == list(range(1, len(events) + 1))
    assert exported["events"][-1]["data"]["text"] == "Refund agreed"
    assert exported["messages_in"]
    assert exported["messages_out"]
    json.dumps(exported)  # all of it is plain JSON
    await sql(app, delete(CaseEvent).where(CaseEvent.id == events[2].id))
    broken = await export_case(app, reference)
    assert broken["chain_intact"] is False
    assert broken["findings"][0]["problem"] == "removed"


async def test_the_key_is_made_once_readable_by_its_owner_only(app: App) -> None:
    await case_with_history(app)
    key_file = app.settings.audit_key_file
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(key_file.read_text().strip()) == 64
    await sql(app, text("SELECT 1"))
