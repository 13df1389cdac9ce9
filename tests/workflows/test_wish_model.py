"""The learnt wish model: the nearest outcome to a wish the phrase lists do not name."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from pathlib import Path

import pytest

from scripts import train_wishes
from tests.workflows.chat import Chat, answer_until_summary, opened, question, summary
from tests.workflows.conftest import WISHES_DIR
from workflows.intake import IntakeSettings
from workflows.opinion import LinearModel
from workflows.questions import OUTCOMES
from workflows.vocabulary import Vocabulary
from workflows.wish_model import WishModel, wish_features

WORDS_NO_LIST_HAS = "new curtains, these ones have faded in a month"


def start(chat: Chat) -> None:
    """Describe the problem and skip to the outcome question."""
    chat.say("The curtains I bought faded within a month of hanging them")
    chat.say("skip")
    chat.say("skip")


def test_a_wish_no_phrase_names_gets_the_nearest_outcome_with_the_words_kept(
    chat: Chat,
) -> None:
    assert chat.settings.vocab.wish_model is not None
    start(chat)
    decision = answer_until_summary(chat, chat.say(WORDS_NO_LIST_HAS))
    # Not asked again: the customer sees the choice on the summary, where it can be changed.
    assert summary(decision)["outcome"]["label"] == "outcome.replacement"
    details = opened(chat.say("yes")).details
    assert (details.outcome, details.outcome_detail) == ("replacement", WORDS_NO_LIST_HAS)


def test_without_the_model_the_same_words_are_kept_as_other(
    chat: Chat, intake_settings: IntakeSettings
) -> None:
    chat.settings = replace(intake_settings, vocab=replace(intake_settings.vocab, wish_model=None))
    start(chat)
    decision = answer_until_summary(chat, chat.say(WORDS_NO_LIST_HAS))
    assert summary(decision)["outcome"]["label"] == "outcome.other"


@pytest.mark.parametrize(
    "answer", ["a free pony for my daughter", "nothing really", "retrain your staff"]
)
def test_a_wish_that_is_no_standard_outcome_is_not_forced_into_one(chat: Chat, answer: str) -> None:
    start(chat)
    decision = chat.say(answer)
    if (again := question(decision)) is not None and again.template == "customer/ask_outcome":
        decision = chat.say(answer)  # a short answer is asked about once more
    decision = answer_until_summary(chat, decision)
    assert summary(decision)["outcome"]["label"] == "outcome.other"


def test_a_phrase_the_lists_know_is_read_by_the_lists_not_the_model(chat: Chat) -> None:
    model = chat.settings.vocab.wish_model
    assert model is not None
    # A model that would call everything an apology changes nothing the lists name.
    apologetic = replace(
        model, outcomes={"apology": model.outcomes["apology"]}, threshold=0.0, overrule=None
    )
    vocab = replace(chat.settings.vocab, wish_model=apologetic)
    assert vocab.answered_outcome("I just want my money back") == "refund"
    assert vocab.answered_outcome(WORDS_NO_LIST_HAS) == "apology"


def test_a_model_all_but_certain_overrules_the_lists(vocabularies: dict[str, Vocabulary]) -> None:
    # Money back for a thing lost is compensation; the lists read "me devuelvan" as a refund.
    compensating = WishModel(
        language="es",
        outcomes={
            "other": LinearModel(bias=-4.0, weights={"refri": 8.0}),
            "refund": LinearModel(bias=-1.0, weights={}),
        },
        threshold=0.4,
        overrule=0.95,
    )
    lists = replace(vocabularies["es"], wish_model=replace(compensating, overrule=None))
    vocab = replace(vocabularies["es"], wish_model=compensating)
    answer = "que me devuelvan lo que valía el refri"
    assert lists.answered_outcome(answer) == "refund"
    assert vocab.answered_outcome(answer) == "other"
    # Less than all but certain (no "refri": 0.02), the lists decide.
    assert vocab.answered_outcome("que me devuelvan lo que valía el dinero") == "refund"


def test_the_model_does_not_read_a_clause_that_refuses(chat: Chat) -> None:
    model = chat.settings.vocab.wish_model
    assert model is not None
    shown: list[str] = []

    class Reading(type(model)):  # type: ignore[misc]
        def nearest(self, text: str) -> str | None:
            shown.append(text)
            return None

    # Never all but certain (whatever the shipped model learnt): the lists and then the
    # model's nearest reading decide.
    reading = Reading(
        **{f.name: getattr(model, f.name) for f in fields(model)} | {"overrule": None}
    )
    vocab = replace(chat.settings.vocab, wish_model=reading)
    vocab.answered_outcome("I don't want my money back, I want the sofa I ordered")
    # "I don't want my money back" is what they do not want: the model reads the rest.
    assert shown == ["i want the sofa i ordered"]


def test_features_are_stems_and_neighbouring_pairs_with_the_small_words_kept() -> None:
    found = wish_features("Not another one, my money back", "en")
    assert {"not", "anoth", "money_back", "not_anoth"} <= set(found)
    # Words with accents stay whole (the German stemmer folds the umlaut).
    assert "geld_zuruck" in wish_features("Geld zurück", "de")


def test_features_include_each_words_runs_of_four_letters_without_accents() -> None:
    found = wish_features("Remboursé!", "fr")
    assert {"<rem", "remb", "embo", "mbou", "bour", "ours", "urse", "rse>"} <= {
        feature.removeprefix("#") for feature in found
    }
    # A dialect's spelling shares the runs of the word the model learnt ("zruck", "zurück").
    assert "#uck>" in wish_features("zruck", "de")
    assert "#uck>" in wish_features("zurück", "de")
    # A short word is one run, its ends marked.
    assert "#<no>" in wish_features("no", "en")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "a JSON object"),
        ({"threshold": 0.4, "outcomes": {"pony": {"bias": 0, "weights": {}}}}, "table of models"),
        ({"threshold": 1.5, "outcomes": {}}, "probability"),
        ({"threshold": 0.4, "outcomes": {"refund": {"bias": "x", "weights": {}}}}, "bias"),
        ({"threshold": 0.4, "overrule": 0, "outcomes": {}}, "overrule"),
        ({"threshold": 0.4, "overrule": "sure", "outcomes": {}}, "overrule"),
    ],
)
def test_a_broken_model_file_is_refused_with_the_reason(data: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WishModel.from_mapping(data, OUTCOMES)


def test_the_shipped_models_are_what_the_trainer_makes_from_the_tuning_quarters_only(
    tmp_path: Path,
) -> None:
    train_wishes.main(["--output-dir", str(tmp_path)])
    lines = train_wishes.DATA.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines if line.strip()]
    for language in train_wishes.LANGUAGES:
        shipped = WISHES_DIR / f"{language}.model.json"
        tuning = [
            row
            for row in rows
            if row.get("language", "en") == language and int(row["id"].lstrip("v")) % 4
        ]
        assert json.loads(shipped.read_text(encoding="utf-8"))["conversations"] == len(tuning)
        # Conversations changed without retraining fail here: python -m scripts.train_wishes
        assert (tmp_path / shipped.name).read_bytes() == shipped.read_bytes(), language


def test_the_model_does_not_read_past_a_fallback(vocabularies: dict[str, Vocabulary]) -> None:
    # A model sure of a refund whenever "rembours" is said: the refund here is the fallback.
    refunding = WishModel(
        language="fr",
        outcomes={"refund": LinearModel(bias=-5.0, weights={"rembours": 10.0})},
        threshold=0.4,
        overrule=0.95,
    )
    vocab = replace(vocabularies["fr"], wish_model=refunding)
    assert (
        vocab.answered_outcome("Réparez l'erreur sur ma facture, sinon remboursez-moi") == "repair"
    )
    assert vocab.answered_outcome("Remboursez-moi la facture") == "refund"
