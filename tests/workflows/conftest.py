"""Shared fixtures for the pure-core tests.

The vocabulary, the routing rules and the triage lexicon are the real shipped files
(templates/en/vocabulary.toml, config/routing.toml, config/triage/en.toml), so the tests prove
what a customer of this installation would see.
Time is fixed and randomness is seeded, so every test is deterministic.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from fakes import SeededRandom
from tests.workflows.chat import Chat
from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.intake import IntakeSettings
from workflows.lexicon import Lexicon
from workflows.lifecycle import CaseStatus
from workflows.opinion import SecondOpinion
from workflows.questions import OUTCOMES
from workflows.references import generate_reference
from workflows.vocabulary import Vocabulary
from workflows.wish_model import WishModel

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VOCABULARY_FILE = PROJECT_ROOT / "templates" / "en" / "vocabulary.toml"
ROUTING_FILE = PROJECT_ROOT / "config" / "routing.toml"
LEXICON_FILE = PROJECT_ROOT / "config" / "triage" / "en.toml"
MODEL_FILE = PROJECT_ROOT / "config" / "triage" / "en.model.json"
WISHES_DIR = PROJECT_ROOT / "config" / "wishes"
PREFIX = "CB"
# A Friday morning, timezone-aware UTC as everywhere in the product.
NOW = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)


def load_toml(path: Path) -> dict[str, Any]:
    """Parse one of the project's TOML files as the shell does."""
    with path.open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="session")
def vocabulary_data() -> dict[str, Any]:
    """The parsed vocabulary file (copy it before changing it)."""
    return load_toml(VOCABULARY_FILE)


@pytest.fixture(scope="session")
def routing_data() -> dict[str, Any]:
    """The parsed routing file (copy it before changing it)."""
    return load_toml(ROUTING_FILE)


def shipped_wish_model(code: str) -> WishModel:
    """A language's shipped wish model (config/wishes/<code>.model.json)."""
    data = json.loads((WISHES_DIR / f"{code}.model.json").read_text(encoding="utf-8"))
    return WishModel.from_mapping(data, OUTCOMES)


@pytest.fixture(scope="session")
def vocab(vocabulary_data: dict[str, Any]) -> Vocabulary:
    """The shipped English vocabulary, with its wish model, as the shell loads it."""
    return replace(Vocabulary.from_mapping(vocabulary_data), wish_model=shipped_wish_model("en"))


# The languages the product ships templates and vocabularies for.
LANGUAGES_SHIPPED = ("en", "fr", "de", "es")


@functools.cache
def shipped_vocabulary(code: str) -> Vocabulary:
    """A shipped language's vocabulary, with its wish model, as the shell loads it."""
    return replace(
        Vocabulary.from_mapping(
            load_toml(VOCABULARY_FILE.parents[1] / code / VOCABULARY_FILE.name), code
        ),
        wish_model=shipped_wish_model(code),
    )


@pytest.fixture(scope="session")
def vocabularies() -> dict[str, Vocabulary]:
    """Every shipped language's vocabulary (with its wish model), by code."""
    return {code: shipped_vocabulary(code) for code in LANGUAGES_SHIPPED}


@functools.cache
def shipped_lexicon() -> Lexicon:
    """The shipped English triage lexicon (parsed once)."""
    return Lexicon.from_mapping(load_toml(LEXICON_FILE))


@functools.cache
def shipped_opinion() -> SecondOpinion:
    """The shipped learnt second opinion for English (parsed once)."""
    return SecondOpinion.from_mapping(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


@functools.cache
def shipped_rules() -> Rules:
    """The shipped classification, routing and response-time rules (parsed once)."""
    return Rules.from_mapping(load_toml(ROUTING_FILE), shipped_lexicon(), shipped_opinion())


@pytest.fixture(scope="session")
def lexicon() -> Lexicon:
    """The shipped English triage lexicon."""
    return shipped_lexicon()


@pytest.fixture(scope="session")
def rules() -> Rules:
    """The shipped classification, routing and response-time rules."""
    return shipped_rules()


@pytest.fixture(scope="session")
def intake_settings(vocab: Vocabulary, rules: Rules) -> IntakeSettings:
    """Intake settings as the shell builds them with the default prefix."""
    return IntakeSettings(vocab=vocab, rules=rules, reference_prefix=PREFIX)


@pytest.fixture(scope="session")
def now() -> datetime:
    """The fixed clock reading every test uses."""
    return NOW


@pytest.fixture(scope="session")
def seeded_random() -> Callable[[int], SeededRandom]:
    """Make a deterministic RandomSource from a seed."""
    return SeededRandom


@pytest.fixture
def new_reference() -> Callable[[], str]:
    """Generate distinct valid references (deterministic within a test)."""
    source = SeededRandom(20260320)

    def make() -> str:
        return generate_reference(PREFIX, source)

    return make


@pytest.fixture
def make_case(now: datetime, new_reference: Callable[[], str]) -> Callable[..., CaseView]:
    """Build a CaseView with sensible defaults; any field may be given by keyword."""

    def make(
        *,
        reference: str | None = None,
        status: CaseStatus = CaseStatus.ACKNOWLEDGED,
        opened_at: datetime | None = None,
        queue: str = "complaints",
        category: str = "general",
        severity: str = "normal",
        due_at: datetime | None = None,
        assignee: str | None = None,
        customer_name: str | None = None,
        channel: str | None = "sms",
        graded_by_staff: bool = False,
        resolved_at: datetime | None = None,
        satisfaction_asked: bool = False,
        satisfaction: int | None = None,
        paused_at: datetime | None = None,
        paused_seconds: int = 0,
        last_told_at: datetime | None = None,
    ) -> CaseView:
        return CaseView(
            reference=reference or new_reference(),
            status=status,
            opened_at=opened_at or now,
            queue=queue,
            category=category,
            severity=severity,
            due_at=due_at,
            assignee=assignee,
            customer_name=customer_name,
            channel=channel,
            graded_by_staff=graded_by_staff,
            resolved_at=resolved_at,
            satisfaction_asked=satisfaction_asked,
            satisfaction=satisfaction,
            paused_at=paused_at,
            paused_seconds=paused_seconds,
            last_told_at=last_told_at,
        )

    return make


@pytest.fixture
def chat(intake_settings: IntakeSettings, now: datetime, new_reference: Callable[[], str]) -> Chat:
    """A new customer on SMS, with no cases yet."""
    return Chat(settings=intake_settings, now=now, new_reference=new_reference())
