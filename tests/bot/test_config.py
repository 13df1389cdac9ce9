"""The operator's files: mistakes are reported with the file and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import ConfigError, load_intake_settings, load_vocabulary
from bot.settings import PROJECT_ROOT, Settings


def test_the_shipped_files_load() -> None:
    loaded = load_intake_settings(Settings(_env_file=None))  # type: ignore[call-arg]
    assert loaded.rules.default_queue == "complaints"
    assert "refund" in loaded.vocab.outcomes


def test_an_outcome_the_product_does_not_know_is_a_configuration_error(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    vocabulary = templates / "en" / "vocabulary.toml"
    vocabulary.write_text(
        vocabulary.read_text().replace("\n[outcomes]\n", '\n[outcomes]\nbribe = ["cash"]\n', 1)
    )
    settings = Settings(_env_file=None, templates_dir=templates)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match="bribe"):
        load_intake_settings(settings)


def test_a_broken_routing_file_names_itself(tmp_path: Path) -> None:
    routing = tmp_path / "routing.toml"
    routing.write_text("[defaults\ncategory = ")
    settings = Settings(_env_file=None, routing_file=routing)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match=r"routing\.toml is not valid TOML"):
        load_intake_settings(settings)


def test_each_language_loads_its_wish_model_and_runs_without_one(tmp_path: Path) -> None:
    shipped = Settings(_env_file=None)  # type: ignore[call-arg]
    for code in ("en", "fr", "de", "es"):
        model = load_vocabulary(shipped, code).wish_model
        assert model is not None
        assert model.language == code
    empty = Settings(_env_file=None, wishes_dir=tmp_path)  # type: ignore[call-arg]
    assert load_vocabulary(empty, "en").wish_model is None


def test_a_broken_wish_model_names_its_file(tmp_path: Path) -> None:
    (tmp_path / "en.model.json").write_text('{"threshold": 2, "outcomes": {}}')
    settings = Settings(_env_file=None, wishes_dir=tmp_path)  # type: ignore[call-arg]
    with pytest.raises(ConfigError, match=r"en\.model\.json: 'threshold'"):
        load_vocabulary(settings, "en")
