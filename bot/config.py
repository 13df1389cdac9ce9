"""Loading the operator's files: vocabulary (per locale) and classification rules."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from bot.config_files import ConfigError, read_toml
from bot.settings import Settings
from bot.working_hours import working_time_in
from workflows.classification import Rules
from workflows.intake import IntakeSettings
from workflows.lexicon import Lexicon
from workflows.opinion import SecondOpinion
from workflows.questions import OUTCOMES
from workflows.vocabulary import Vocabulary
from workflows.wish_model import WishModel

# ConfigError is what every loader here raises (it lives in bot.config_files).
__all__ = [
    "ConfigError",
    "load_intake_settings",
    "load_lexicon",
    "load_opinion",
    "load_rules",
    "load_vocabulary",
]


def load_vocabulary(settings: Settings, language: str | None = None) -> Vocabulary:
    """The customer vocabulary for a language (the configured locale's by default)."""
    code = language or settings.locale
    path = settings.templates_dir / code / "vocabulary.toml"
    try:
        vocab = Vocabulary.from_mapping(read_toml(path), code)
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
        return Lexicon.from_mapping(read_toml(path))
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
    data = read_toml(settings.routing_file)
    working = working_time_in(settings, data.pop("working_hours", {}))
    try:
        return replace(Rules.from_mapping(data, lexicon, opinion), working=working)
    except (KeyError, ValueError, TypeError) as error:
        raise ConfigError(f"{settings.routing_file}: {error}") from None


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
