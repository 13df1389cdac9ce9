"""Settings: every one documented, database URLs accepted in their common forms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import PROJECT_ROOT, Settings


def test_env_example_documents_every_setting() -> None:
    text = (PROJECT_ROOT / ".env.example").read_text()
    documented = set(re.findall(r"^#?\s*([A-Z_]+)=", text, flags=re.MULTILINE))
    expected = {"DATABASE_URL"} | {
        f"COMPLAINTBOT_{name.upper()}" for name in Settings.model_fields if name != "database_url"
    }
    assert documented == expected


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u:p@db/complaints", "postgresql+asyncpg://u:p@db/complaints"),
        ("postgres://u:p@db/complaints", "postgresql+asyncpg://u:p@db/complaints"),
        ("postgresql+asyncpg://db/x", "postgresql+asyncpg://db/x"),
        ("sqlite:////srv/x.db", "sqlite+aiosqlite:////srv/x.db"),
        ("sqlite:///x.db", f"sqlite+aiosqlite:///{PROJECT_ROOT / 'x.db'}"),
        ("sqlite+aiosqlite:///:memory:", "sqlite+aiosqlite:///:memory:"),
    ],
)
def test_database_urls_in_common_forms(given: str, used: str) -> None:
    assert Settings(_env_file=None, database_url=given).database == used  # type: ignore[call-arg]


def test_sqlite_in_the_data_folder_by_default(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    assert settings.database == f"sqlite+aiosqlite:///{tmp_path / 'complaintbot.db'}"


def test_database_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://env-host/db")
    assert Settings(_env_file=None).database == "postgresql+asyncpg://env-host/db"  # type: ignore[call-arg]


def test_a_bad_reference_prefix_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(_env_file=None, reference_prefix="C-1")  # type: ignore[call-arg]
    assert Settings(_env_file=None, reference_prefix="acme").reference_prefix == "ACME"  # type: ignore[call-arg]


def test_smtp_auth_or_required_starttls_without_a_certificate_is_refused() -> None:
    with pytest.raises(ValidationError, match="TLS_CERT"):
        Settings(_env_file=None, smtp_auth_username="relay")  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="TLS_CERT"):
        Settings(_env_file=None, smtp_require_starttls=True)  # type: ignore[call-arg]


def test_the_data_folder_does_not_depend_on_where_a_command_is_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None, data_dir=Path("data"))  # type: ignore[call-arg]
    assert settings.data_dir == PROJECT_ROOT / "data"
    assert str(PROJECT_ROOT / "data" / "complaintbot.db") in settings.database


def test_a_relative_sqlite_url_is_the_projects_wherever_a_command_is_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(_env_file=None, database_url="sqlite:///data/shared.db")  # type: ignore[call-arg]
    assert settings.sqlite_path == PROJECT_ROOT / "data" / "shared.db"
