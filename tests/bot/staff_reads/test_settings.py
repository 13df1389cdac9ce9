"""The quick staff commands read the database and rendering settings as Settings does."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings
from bot.staff_reads.settings import ReadSettings, read_settings

# (the environment, the .env file's lines): each as an operator might set them.
CASES = {
    "nothing set": ({}, ""),
    "a data folder of the project's": ({"COMPLAINTBOT_DATA_DIR": "var/cb"}, ""),
    "an absolute data folder in .env": ({}, "COMPLAINTBOT_DATA_DIR=/srv/complaints\n"),
    "the environment over .env": (
        {"COMPLAINTBOT_DATABASE_URL": "sqlite:////srv/env.db"},
        "DATABASE_URL=sqlite:///from-file.db\n",
    ),
    "a relative SQLite file": ({"DATABASE_URL": "sqlite+aiosqlite:///db/cases.db"}, ""),
    "PostgreSQL": ({"DATABASE_URL": "postgresql://staff:s3cret@db.internal:5433/complaints"}, ""),
    "PostgreSQL as SQLAlchemy names it": (
        {},
        'COMPLAINTBOT_DATABASE_URL="postgresql+asyncpg://u:p@localhost/cb"\n',
    ),
    "names in any case, rendering settings": (
        {"complaintbot_organisation": "Acme Kettles plc"},
        "COMPLAINTBOT_TIMEZONE=Europe/Paris\ncomplaintbot_reference_prefix=ak\n"
        "COMPLAINTBOT_LOCALE=fr\nCOMPLAINTBOT_TEMPLATES_DIR=/etc/cb/templates\n",
    ),
}

# Settings the full command reads and explains: the quick one leaves them to it.
UNUSUAL = {
    "an unknown timezone": ({"COMPLAINTBOT_TIMEZONE": "Mars/Olympus"}, ""),
    "a reference prefix too long": ({"COMPLAINTBOT_REFERENCE_PREFIX": "COMPLAINT"}, ""),
    "an empty organisation": ({"COMPLAINTBOT_ORGANISATION": ""}, ""),
    "SQLite in memory": ({"DATABASE_URL": "sqlite:///:memory:"}, ""),
    "a URL with options": ({"DATABASE_URL": "postgresql://u@h/cb?ssl=require"}, ""),
    "another database": ({"DATABASE_URL": "mysql://u@h/cb"}, ""),
}


def _env_file(tmp_path: Path, lines: str) -> Path:
    path = tmp_path / ".env"
    path.write_text(lines, encoding="utf-8")
    return path


def _as_settings_reads_them(settings: Settings) -> ReadSettings:
    postgres = settings.sqlite_path is None
    return ReadSettings(
        sqlite_path=settings.sqlite_path,
        postgres_dsn=settings.database.replace("+asyncpg", "", 1) if postgres else None,
        templates_dir=settings.templates_dir,
        locale=settings.locale,
        organisation=settings.organisation,
        reference_prefix=settings.reference_prefix,
        zone=settings.zone,
    )


@pytest.fixture
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No setting from the machine running the tests."""
    import os

    for name in list(os.environ):
        if name.lower().startswith("complaintbot_") or name.lower() == "database_url":
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_same_database_and_rendering_as_the_full_settings(
    case: str, tmp_path: Path, clean_environment: pytest.MonkeyPatch
) -> None:
    environ, lines = CASES[case]
    for name, value in environ.items():
        clean_environment.setenv(name, value)
    env_file = _env_file(tmp_path, lines)
    full = Settings(_env_file=env_file)  # type: ignore[call-arg]
    assert read_settings(dict(environ), env_file) == _as_settings_reads_them(full)


def test_a_relative_sqlite_file_is_the_projects_wherever_staff_are() -> None:
    found = read_settings({"DATABASE_URL": "sqlite:///db/cases.db"}, env_file=None)
    assert found is not None
    assert found.sqlite_path == PROJECT_ROOT / "db" / "cases.db"


@pytest.mark.parametrize("case", UNUSUAL, ids=list(UNUSUAL))
def test_unusual_settings_are_left_to_the_full_command(case: str, tmp_path: Path) -> None:
    environ, lines = UNUSUAL[case]
    assert read_settings(environ, _env_file(tmp_path, lines)) is None
