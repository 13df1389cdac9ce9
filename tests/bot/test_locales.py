"""Every language customers are answered in is whole: every message, label and word list."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.config import ConfigError, load_vocabulary
from bot.locales import Locales
from bot.rendering import Renderer
from bot.services.app import App
from bot.settings import PROJECT_ROOT, Settings
from tests.bot.templates_in_use import REALISTIC, names_in_code

TEMPLATES = PROJECT_ROOT / "templates"
OTHERS = ("fr", "de", "es")
CUSTOMER = sorted(name for name in names_in_code() if name.startswith("customer/"))


def label_keys(code: str) -> set[str]:
    data = tomllib.loads((TEMPLATES / code / "labels.toml").read_text(encoding="utf-8"))
    return {f"{table}.{key}" for table, values in data.items() for key in values}


def customer_files(code: str) -> set[str]:
    root = TEMPLATES / code
    return {
        path.relative_to(root).as_posix()
        for folder in ("customer", "layout")
        for path in (root / folder).rglob("*.j2")
    }


@pytest.mark.parametrize("code", OTHERS)
def test_every_language_has_every_customer_message_and_label(code: str) -> None:
    assert customer_files(code) == customer_files("en")
    assert label_keys(code) == label_keys("en")


@pytest.mark.parametrize("code", OTHERS)
def test_every_language_has_its_own_words_for_every_command_and_answer(code: str) -> None:
    vocab = load_vocabulary(Settings(_env_file=None), code)  # type: ignore[call-arg]
    english = load_vocabulary(Settings(_env_file=None), "en")  # type: ignore[call-arg]
    for command, phrases in vocab.commands.items():
        assert phrases - english.commands[command], f"{code}: no own word for {command}"
    assert vocab.yes - english.yes
    assert vocab.no
    assert vocab.switch_to
    assert set(vocab.outcomes) == set(english.outcomes)
    assert len(set(vocab.dates.months.values())) == 12
    assert len(set(vocab.dates.weekdays.values())) == 7


@pytest.mark.parametrize("code", OTHERS)
@pytest.mark.parametrize("name", CUSTOMER)
@pytest.mark.parametrize("channel", ["console", "email", "sms", "telegram"])
def test_every_customer_message_renders_in_every_language(
    code: str, name: str, channel: str
) -> None:
    renderer = Renderer(TEMPLATES, code, "Example Ltd", fallback="en")
    rendered = renderer.render(name, REALISTIC, channel)
    assert rendered.text.strip()
    assert "{{" not in rendered.text
    assert "{%" not in rendered.text
    english = Renderer(TEMPLATES, "en", "Example Ltd").render(name, REALISTIC, channel)
    assert rendered.text != english.text, f"{code}/{name} reads as the English"


@pytest.mark.parametrize("code", ["en", *OTHERS])
@pytest.mark.parametrize("channel", ["console", "sms", "telegram"])
def test_a_refusal_before_anything_was_registered_renders_in_every_language(
    code: str, channel: str
) -> None:
    # The chat's refusal comes before a case exists: the message must say so, not fail for
    # want of a reference (a customer once got "could not be handled" here).
    renderer = Renderer(TEMPLATES, code, "Example Ltd", fallback="en")
    text = renderer.render("customer/consent_refused", {"reference": None}, channel).text
    assert text.strip()
    assert "CB-" not in text


def test_a_language_missing_a_message_falls_back_to_the_default(tmp_path: Path) -> None:
    (tmp_path / "en" / "customer").mkdir(parents=True)
    (tmp_path / "en" / "customer" / "hello.text.j2").write_text("Hello {{ label('x.y') }}")
    (tmp_path / "en" / "customer" / "bye.text.j2").write_text("Bye")
    (tmp_path / "en" / "labels.toml").write_text('[x]\ny = "there"\nz = "Z"\n')
    (tmp_path / "fr" / "customer").mkdir(parents=True)
    (tmp_path / "fr" / "customer" / "hello.text.j2").write_text("Bonjour {{ label('x.y') }}")
    (tmp_path / "fr" / "labels.toml").write_text('[x]\ny = "toi"\n')
    french = Renderer(tmp_path, "fr", "Example Ltd", fallback="en")
    assert french.render("customer/hello", {}, "sms").text == "Bonjour toi"
    assert french.render("customer/bye", {}, "sms").text == "Bye"
    assert french.label("x.z") == "Z"


def test_a_language_without_templates_is_a_clear_error(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, languages="en,xx")  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="xx"):
        App.create(settings)


def test_the_default_language_is_always_offered() -> None:
    settings = Settings(_env_file=None, locale="en", languages="fr")  # type: ignore[call-arg]
    assert settings.language_codes == ("en", "fr")


def test_every_offered_language_has_a_renderer_and_a_vocabulary(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path)  # type: ignore[call-arg]
    app = App.create(settings)
    locales: Locales = app.locales
    for code in ("en", *OTHERS):
        assert locales.renderer(code).locale == code
        assert locales.intake(code).vocab.language == code
    assert locales.renderer("it").locale == "en"


def test_no_languages_command_word_is_another_languages_answer() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    vocabularies = {code: load_vocabulary(settings, code) for code in ("en", *OTHERS)}
    for code, vocab in vocabularies.items():
        for command, phrases in vocab.commands.items():
            for other, theirs in vocabularies.items():
                answers = theirs.yes | theirs.no | theirs.skip | theirs.greetings
                assert not phrases & answers, (code, command, other, phrases & answers)
                for their_command, their_phrases in theirs.commands.items():
                    if their_command != command:
                        assert not phrases & their_phrases, (code, command, other)


def test_a_command_word_works_in_any_offered_language(tmp_path: Path) -> None:
    app = App.create(Settings(_env_file=None, data_dir=tmp_path))  # type: ignore[call-arg]
    english = app.locales.intake("en").vocab
    assert english.command_in("statut") is not None
    assert english.command_in("Hilfe") is not None
