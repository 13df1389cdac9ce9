"""Triage's second opinion: a learnt model that may raise severity and name the category."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from scripts import train_triage
from tests.workflows.conftest import MODEL_FILE, shipped_lexicon, shipped_opinion
from workflows.opinion import LinearModel, SecondOpinion, features
from workflows.triage import SECOND_OPINION, assess


def opinion(critical: dict[str, float], delivery: dict[str, float] | None = None) -> SecondOpinion:
    """A tiny hand-made model: these words make a complaint critical (or about delivery)."""
    return SecondOpinion(
        language="en",
        critical=LinearModel(-4.0, critical),
        critical_threshold=0.7,
        categories={
            "product": LinearModel(-4.0, {}),
            "delivery": LinearModel(-4.0, delivery or {}),
        },
        category_threshold=0.6,
    )


def test_features_are_stems_and_pairs_with_the_words_they_came_from() -> None:
    found = features("The PLUG went black and there was a pop \u2019")
    assert found["plug"] == "plug"
    assert found["went_black"] == "went black"
    assert found["pop"] == "pop"


def test_a_confident_model_raises_to_critical_and_says_why() -> None:
    model = opinion({"orang": 3.0, "light": 3.0, "cabl": 3.0})
    text = "small orange lights jump from the back where the cable is"
    plain = assess(text, shipped_lexicon(), "general")
    assert plain.severity == "normal"
    found = assess(text, shipped_lexicon(), "general", model)
    assert found.severity == "critical"
    [reason] = [r for r in found.reasons if r.rule == SECOND_OPINION and r.kind == "severity"]
    assert reason.level == "critical"
    assert set(reason.words.split(", ")) == {"orange", "lights", "cable"}
    assert "like complaints graded critical" in reason.note


def test_without_an_ordinary_model_the_lexicons_critical_grade_stands() -> None:
    model = opinion({"kettl": -10.0})
    found = assess("The kettle sparked and caught fire", shipped_lexicon(), "general", model)
    assert found.severity == "critical"
    assert not [r for r in found.reasons if r.rule == SECOND_OPINION and r.kind == "severity"]


def test_a_nearly_certain_ordinary_model_holds_a_critical_grade_back_and_says_so() -> None:
    text = "I'm a nurse on the burns unit; your app logged me out again during my shift"
    model = replace(opinion({}), ordinary=LinearModel(6.0, {"app": 1.0}), ordinary_threshold=0.98)
    assert assess(text, shipped_lexicon(), "general").severity == "critical"
    found = assess(text, shipped_lexicon(), "general", model)
    assert found.severity == "normal"
    held = [r for r in found.reasons if r.kind == "ignored" and r.level == "critical"]
    assert held
    assert all(r.note.startswith("held back: 99% like ordinary") for r in held)


def test_holding_back_keeps_a_high_grade_found_beside_it() -> None:
    text = "I'm a nurse on the burns unit and I will take you to court over this app"
    model = replace(opinion({}), ordinary=LinearModel(8.0, {}), ordinary_threshold=0.98)
    assert assess(text, shipped_lexicon(), "general").severity == "critical"
    assert assess(text, shipped_lexicon(), "general", model).severity == "high"


def test_an_unsure_ordinary_model_holds_nothing_back() -> None:
    model = replace(opinion({}), ordinary=LinearModel(2.0, {}), ordinary_threshold=0.98)
    found = assess("The kettle sparked and caught fire", shipped_lexicon(), "general", model)
    assert found.severity == "critical"


def test_an_unsure_model_changes_nothing() -> None:
    model = opinion({"orang": 1.0})
    text = "small orange lights jump from the back"
    assert assess(text, shipped_lexicon(), "general", model) == assess(
        text, shipped_lexicon(), "general"
    )


def test_a_confident_category_replaces_the_lexicons_and_its_reasons() -> None:
    model = opinion({}, delivery={"zip": 6.0})
    text = "the zip on the bag broke after a day"
    assert assess(text, shipped_lexicon(), "general").category == "product"
    found = assess(text, shipped_lexicon(), "general", model)
    assert found.category == "delivery"
    categories = [r for r in found.reasons if r.kind == "category"]
    assert [r.rule for r in categories] == [SECOND_OPINION]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a JSON object"),
        ({}, "needs 'critical' and 'categories'"),
        ({"critical": {"bias": 0, "weights": {}}, "categories": {}}, "threshold"),
        (
            {
                "critical": {"bias": 0, "weights": {"x": "high"}, "threshold": 0.7},
                "categories": {},
                "category_threshold": 0.6,
            },
            "every weight must be a number",
        ),
        (
            {
                "critical": {"bias": 0, "weights": {}, "threshold": 0.3},
                "categories": {},
                "category_threshold": 0.6,
            },
            "from 0.5",
        ),
    ],
)
def test_a_broken_model_file_is_a_clear_error(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        SecondOpinion.from_mapping(data)


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
def test_each_shipped_model_is_what_the_trainer_makes_from_the_tuning_sets_only(
    tmp_path: Path, language: str
) -> None:
    model_file = MODEL_FILE.with_name(f"{language}.model.json")
    shipped = json.loads(model_file.read_text(encoding="utf-8"))
    assert shipped["language"] == language
    assert shipped["trained_on"], "the model says what it learnt from"
    tuning = ("tuning_",) if language == "en" else (f"{language}/tuning.jsonl",)
    assert all(name.startswith(tuning) for name in shipped["trained_on"])
    rebuilt = tmp_path / "model.json"
    train_triage.main(["--language", language, "--output", str(rebuilt)])
    # Tuning data changed without retraining fails here: run python -m scripts.train_triage
    # (with --language for French, German, Spanish).
    assert rebuilt.read_bytes() == model_file.read_bytes()


def test_features_keep_accented_words_whole_outside_english() -> None:
    assert "verbrüht" in features("Das Wasser hat mich verbrüht", "de").values()
    assert "brûlé" in features("Le grille-pain a brûlé la nappe", "fr").values()


ORDINARY = [
    "My card was declined at your till this morning even though I have plenty of money in my "
    "bank account. The cashier said she had no idea why and I had to leave my shopping there.",
    "I was charged twice for the same order, £45.99 came out of my bank two times. Please "
    "refund the second payment to my card.",
    "I rang your helpline today, yesterday and on Friday and each time someone put me on hold "
    "for forty minutes. Nobody has called me back about my complaint and I am fed up.",
    "Last Tuesday my husband Dave ordered a grey sofa from your website and paid with his card. "
    "The bank shows the payment went out the same day. We were given a delivery slot for "
    "Saturday between 8 and 12 so he took the morning off work and I stayed in with the kids. "
    "Nobody came. I rang on Monday and a lady called Sharon said the driver had been and we "
    "were not in, which is not true, our neighbour was in her garden all morning and saw no "
    "van. She said someone would call us back today. Nobody did. I want my money back.",
    "My son bought a games console with his card and it was charged twice to his bank account",
]


@pytest.mark.parametrize("text", ORDINARY, ids=range(len(ORDINARY)))
def test_ordinary_money_and_service_complaints_are_not_raised_to_critical(text: str) -> None:
    found = assess(text, shipped_lexicon(), "general", shipped_opinion())
    assert found.severity != "critical", [r for r in found.reasons if r.kind == "severity"]
