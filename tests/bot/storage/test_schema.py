"""Migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError, StatementError

from bot.services.app import App
from bot.settings import Settings
from bot.storage.migrate import SchemaOutOfDate, current_revision, ensure_schema
from bot.storage.models import Base, Customer, Identity
from bot.storage.revisions import head_revision


async def test_migrations_reach_head_and_match_the_models(app: App) -> None:
    assert await current_revision(app.engine) == head_revision()

    def differences(connection: Connection) -> list[object]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))

    async with app.engine.connect() as connection:
        assert await connection.run_sync(differences) == []


def test_the_newest_revision_is_the_one_alembic_finds() -> None:
    # Commands read it from the files without Alembic (to start faster): the two must agree.
    from alembic.script import ScriptDirectory

    from bot.storage.migrate import alembic_config

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_times_come_back_timezone_aware_in_utc(app: App) -> None:
    paris = timezone(timedelta(hours=1))
    async with app.sessions() as session, session.begin():
        session.add(Customer(created_at=datetime(2026, 3, 1, 10, 0, tzinfo=paris)))
    async with app.sessions() as session:
        customer = (await session.scalars(select(Customer))).one()
    assert customer.created_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert customer.created_at.utcoffset() == timedelta(0)


async def test_a_naive_time_is_refused(app: App) -> None:
    with pytest.raises(StatementError, match="naive datetime"):
        async with app.sessions() as session, session.begin():
            session.add(Customer(created_at=datetime(2026, 3, 1, 10, 0)))


async def test_an_identity_is_unique_per_channel_and_address(app: App) -> None:
    now = datetime.now(UTC)
    async with app.sessions() as session:
        customer = Customer(created_at=now)
        session.add(customer)
        await session.flush()
        for _ in range(2):
            session.add(
                Identity(
                    customer_id=customer.id,
                    channel="sms",
                    address="+447700900123",
                    created_at=now,
                )
            )
        with pytest.raises(IntegrityError):
            await session.flush()


@pytest.mark.postgres
async def test_a_shared_database_is_not_upgraded_behind_the_operators_back(
    postgres_url: str,
) -> None:
    settings = Settings(_env_file=None, database_url=postgres_url)  # type: ignore[call-arg]
    application = App.create(settings)
    try:
        with pytest.raises(SchemaOutOfDate, match="complaintbot db upgrade"):
            await ensure_schema(application.engine)
    finally:
        await application.close()


async def test_sqlite_is_brought_up_to_date_by_itself(tmp_path: object) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    application = App.create(settings)
    try:
        assert await current_revision(application.engine) is None
        await ensure_schema(application.engine)
        assert await current_revision(application.engine) == head_revision()
    finally:
        await application.close()


@pytest.mark.parametrize("where", ["", "WHERE status = 'investigating'", "WHERE queue = 'billing'"])
async def test_the_case_list_is_read_from_an_index_not_sorted(
    app: App, database_url: str, where: str
) -> None:
    # benchmarks/case_list.py: at a million cases the sort took 1.2 s, the index 2 ms.
    if not database_url.startswith("sqlite"):
        pytest.skip("the plan is checked on SQLite; PostgreSQL may sort a table this small")
    query = f"SELECT id FROM cases {where} ORDER BY opened_at DESC LIMIT 50"
    async with app.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}")
        )
    assert "INDEX ix_cases_" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


async def test_an_address_recent_replies_are_counted_from_an_index(
    app: App, database_url: str
) -> None:
    # The mail-loop guard counts them before every automatic email reply (services.replies):
    # a scan of the whole outbox per message otherwise.
    if not database_url.startswith("sqlite"):
        pytest.skip("the plan is checked on SQLite; PostgreSQL may scan a table this small")
    query = (
        "SELECT count(*) FROM outbox WHERE automatic = 1 AND audience = 'customer'"
        " AND channel = 'email' AND address = 'sam@example.net'"
        " AND created_at > '2026-03-20 09:00:00'"
    )
    async with app.engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {query}")
        )
    assert "INDEX ix_outbox_address" in plan, plan
