"""The few settings a read-only staff command needs, read as ``bot.settings.Settings`` would.

The same sources in the same order (the environment, then the project's ``.env``; names in
any case), without pydantic. ``read_settings`` returns None for anything it would have to
validate beyond what is here: the full command then reads and reports it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from bot.paths import PROJECT_ROOT

_PREFIX = "complaintbot_"
_PREFIX_PATTERN = re.compile(r"^[A-Za-z]{1,5}$")
# Each setting read here, by the names it may be given (without the prefix only where
# ``Settings`` accepts that too), lower case.
_FIELDS = {
    "data_dir": (_PREFIX + "data_dir",),
    "database_url": ("database_url", _PREFIX + "database_url"),
    "reference_prefix": (_PREFIX + "reference_prefix",),
    "timezone": (_PREFIX + "timezone",),
    "templates_dir": (_PREFIX + "templates_dir",),
    "locale": (_PREFIX + "locale",),
    "organisation": (_PREFIX + "organisation",),
}
_SQLITE = re.compile(r"^sqlite(\+aiosqlite)?:///(?P<path>[^?%]+)$")
_POSTGRES = re.compile(r"^(postgres|postgresql|postgresql\+asyncpg)://(?P<rest>[^?]+)$")


@dataclass(frozen=True)
class ReadSettings:
    """Where the cases are, and how staff text is rendered."""

    sqlite_path: Path | None  # the SQLite file, or None on PostgreSQL
    postgres_dsn: str | None  # asyncpg's "postgresql://…", or None on SQLite
    templates_dir: Path
    locale: str
    organisation: str
    reference_prefix: str
    zone: ZoneInfo


def read_settings(
    environ: Mapping[str, str] | None = None, env_file: Path | None = PROJECT_ROOT / ".env"
) -> ReadSettings | None:
    """The settings from the environment and ``env_file``, or None when the full reader must."""
    sources = [_lowered(os.environ if environ is None else environ)]
    if env_file is not None and env_file.is_file():
        sources.append(_lowered(dotenv_values(env_file, encoding="utf-8")))
    found: dict[str, str | None] = {}
    for field, names in _FIELDS.items():
        # The environment first, then the file, as pydantic-settings reads them.
        given = [source[name] for source in sources for name in names if name in source]
        if given and not given[0]:
            return None  # empty, or a bare name in .env: its meaning is pydantic's to decide
        found[field] = given[0] if given else None
    prefix = found["reference_prefix"] or "CB"
    if not _PREFIX_PATTERN.match(prefix):
        return None
    try:
        zone = ZoneInfo(found["timezone"] or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return None
    data_dir = Path(found["data_dir"] or "data")
    data_dir = data_dir if data_dir.is_absolute() else PROJECT_ROOT / data_dir
    sqlite_path, postgres_dsn = _database(found["database_url"], data_dir)
    if sqlite_path is None and postgres_dsn is None:
        return None
    return ReadSettings(
        sqlite_path=sqlite_path,
        postgres_dsn=postgres_dsn,
        templates_dir=Path(found["templates_dir"] or PROJECT_ROOT / "templates"),
        locale=found["locale"] or "en",
        organisation=found["organisation"] or "Example Ltd",
        reference_prefix=prefix.upper(),
        zone=zone,
    )


def _lowered(source: Mapping[str, str | None]) -> dict[str, str | None]:
    """Names in lower case, as pydantic-settings matches them."""
    return {name.lower(): text for name, text in source.items()}


def _database(url: str | None, data_dir: Path) -> tuple[Path | None, str | None]:
    """The SQLite file or the PostgreSQL address ``url`` names; (None, None) when unusual."""
    if url is None:
        return data_dir / "complaintbot.db", None
    if sqlite := _SQLITE.match(url):
        if sqlite["path"] == ":memory:":
            return None, None
        path = Path(sqlite["path"])
        return (path if path.is_absolute() else PROJECT_ROOT / path), None
    if postgres := _POSTGRES.match(url):
        return None, "postgresql://" + postgres["rest"]
    return None, None
