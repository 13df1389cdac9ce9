"""The operator's files: mistakes are reported with the file and the reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.config import ConfigError, load_intake_settings
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
