"""Loading the operator's files: vocabulary (per locale) and classification rules."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from bot.destinations import StaffDestinations
from bot.settings import Settings
from bot.working_hours import working_time
from workflows.classification import Rules
from workflows.intake import IntakeSettings
from workflows.lexicon import Lexicon
from workflows.opinion import SecondOpinion
from workflows.questions import OUTCOMES
from workflows.vocabulary import Vocabulary
from workflows.wish_model import WishModel


class ConfigError(Exception):
    """A configuration file is missing or wrong; the message says which and why."""


def _toml(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path} is not valid TOML: {error}") from None


def load_vocabulary(settings: Settings, language: str | None = None) -> Vocabulary:
    """The customer vocabulary for a language (the configured locale's by default)."""
    code = language or settings.locale
    path = settings.templates_dir / code / "vocabulary.toml"
    try:
        vocab = Vocabulary.from_mapping(_toml(path), code)
    except (KeyError, ValueError) as error:
        raise ConfigError(f"{path}: {error}") from None
    unknown = set(vocab.outcomes) - set(OUTCOMES)
    if unknown:
        raise ConfigError(
            f"{path} [outcomes]: unknown {sorted(unknown)}; the outcomes are {', '.join(OUTCOMES)}"
        )
    model = settings.wishes_dir / f"{code}.model.json"
    if not model.exists():
        return vocab
    return replace(vocab, wish_model=_wish_model(model, model.stat().st_mtime_ns))


@lru_cache(maxsize=8)
def _wish_model(path: Path, modified: int) -> WishModel:
    try:
        return WishModel.from_mapping(json.loads(path.read_text(encoding="utf-8")), OUTCOMES)
    except (ValueError, TypeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def load_lexicon(settings: Settings, language: str | None = None) -> Lexicon:
    """The triage lexicon for a language (the configured locale's by default)."""
    path = settings.triage_dir / f"{language or settings.locale}.toml"
    try:
        return _lexicon(path, path.stat().st_mtime_ns)
    except FileNotFoundError:
        raise ConfigError(f"{path} does not exist") from None


@lru_cache(maxsize=16)
def _lexicon(path: Path, modified: int) -> Lexicon:
    # One parse per file version for the process (a lexicon is immutable; compiling one
    # takes most of a second, and every App, e.g. in each test, would pay it again).
    try:
        return Lexicon.from_mapping(_toml(path))
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def load_opinion(settings: Settings, language: str | None = None) -> SecondOpinion | None:
    """The learnt second opinion for a language, if its model file is there."""
    path = settings.triage_dir / f"{language or settings.locale}.model.json"
    if not path.exists():
        return None
    return _opinion(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _opinion(path: Path, modified: int) -> SecondOpinion:
    try:
        return SecondOpinion.from_mapping(json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as error:
        raise ConfigError(f"{path}: {error}") from None


def load_rules(settings: Settings) -> Rules:
    """Classification, routing and targets from the routing file and the triage lexicon."""
    lexicon = load_lexicon(settings)
    opinion = load_opinion(settings)
    data = _toml(settings.routing_file)
    hours = data.pop("working_hours", {})
    try:
        if not isinstance(hours, dict):
            raise ValueError("[working_hours] must be a table")
        working = working_time(hours, settings.zone, datetime.now(settings.zone).date())
        return replace(Rules.from_mapping(data, lexicon, opinion), working=working)
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigError(f"{settings.routing_file}: {error}") from None


def load_destinations(settings: Settings) -> StaffDestinations:
    """Where each queue's staff notices go (config/staff.toml)."""
    try:
        return StaffDestinations.from_mapping(
            _toml(settings.staff_file), slack_on=settings.slack_problem is None
        )
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigError(f"{settings.staff_file}: {error}") from None


def load_intake_settings(settings: Settings) -> IntakeSettings:
    """Everything the intake conversation needs from configuration."""
    return IntakeSettings(
        vocab=load_vocabulary(settings),
        rules=load_rules(settings),
        reference_prefix=settings.reference_prefix,
        max_message_length=settings.max_message_length,
        timezone=settings.zone,
        resume_after=timedelta(hours=settings.resume_after_hours),
        remind_after=timedelta(hours=settings.intake_reminder_hours),
        give_up_after=timedelta(hours=settings.intake_give_up_hours),
    )
