"""Reading the operator's TOML files, and the staff destinations they name.

Kept apart from ``bot.config`` so that a staff command that reads no customer text (``cases
list``) does not import the intake's words, lexicons and models just to start.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from bot.destinations import StaffDestinations

if TYPE_CHECKING:
    from bot.settings import Settings


class ConfigError(Exception):
    """A configuration file is missing or wrong; the message says which and why."""


def read_toml(path: Path) -> dict[str, object]:
    """A TOML file's tables, or a ConfigError saying why it cannot be read."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None


def load_destinations(settings: Settings) -> StaffDestinations:
    """Where each queue's staff notices go (config/staff.toml)."""
    try:
        return StaffDestinations.from_mapping(
            read_toml(settings.staff_file), slack_on=settings.slack_problem is None
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigError(f"{settings.staff_file}: {error}") from None
