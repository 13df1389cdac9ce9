"""Which language a customer is answered in, from what they write, ask for and we knew."""

from __future__ import annotations

import pytest

from bot.config import load_vocabulary
from bot.language import LanguagePicker, base_language
from bot.settings import Settings

LANGUAGES = ("en", "fr", "de", "es")


@pytest.fixture(scope="module")
def picker() -> LanguagePicker:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    vocabularies = {code: load_vocabulary(settings, code) for code in LANGUAGES}
    return LanguagePicker(LANGUAGES, "en", vocabularies)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Mon grille-pain a pris feu hier soir, je veux un remboursement", "fr"),
        ("Meine Bestellung 88123 ist nie angekommen, ich möchte mein Geld zurück", "de"),
        ("El pedido llegó roto y nadie me contesta, quiero una solución", "es"),
        ("The kettle sparked when I switched it on", "en"),
        # Typed the way people type: no accents, lower case, short.
        ("mon colis est jamais arrive", "fr"),
        ("paket nicht angekommen bitte helfen", "de"),
    ],
)
def test_a_message_that_says_enough_is_answered_in_its_language(
    picker: LanguagePicker, text: str, language: str
) -> None:
    assert picker.pick(text, None) == language


@pytest.mark.parametrize(
    "text", ["CB-K7M3-XD9A", "ok", "Tuesday", "07700 900123", "a@b.com", "44521"]
)
def test_a_short_answer_keeps_the_language_we_knew(picker: LanguagePicker, text: str) -> None:
    assert picker.pick(text, "fr") == "fr"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("in English please", "en"),
        ("En français SVP", "fr"),
        ("auf Deutsch bitte", "de"),
        ("en español, por favor", "es"),
        # Asked in a few words of a sentence, not only as a phrase alone.
        ("can we do this in french please?", "fr"),
        ("Could you reply in English please", "en"),
        ("do you speak german?", "de"),
    ],
)
def test_asking_for_a_language_switches_to_it(
    picker: LanguagePicker, text: str, language: str
) -> None:
    other = "de" if language != "de" else "fr"
    assert picker.pick(text, other) == language


@pytest.mark.parametrize(
    "text",
    [
        "I ordered the French dictionary in English please check the order",
        "the manual is only in french",
        "the instructions were in english only and no french",
    ],
)
def test_a_complaint_that_mentions_a_language_is_not_a_request_to_switch(
    picker: LanguagePicker, text: str
) -> None:
    assert picker.asked_for(text) is None


def test_a_word_only_one_language_knows_decides_for_a_new_customer(
    picker: LanguagePicker,
) -> None:
    assert picker.pick("oui", None) == "fr"
    # ... but never moves a customer we already knew ("ja" from an English customer's typo).
    assert picker.pick("ja", "en") == "en"


def test_the_channels_hint_is_used_only_when_the_text_cannot_tell(
    picker: LanguagePicker,
) -> None:
    assert picker.pick("/start", None, "de-AT") == "de"
    assert picker.pick("hi", None, "it") == "en"  # not offered: the default
    assert picker.pick("Hello, my parcel never came and nobody answers", None, "de") == "en"


def test_language_tags_are_reduced_to_their_language() -> None:
    assert base_language("fr-CA") == "fr"
    assert base_language("pt_BR") == "pt"
    assert base_language("") is None
    assert base_language(None) is None
