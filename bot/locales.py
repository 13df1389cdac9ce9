"""The customer languages the operator offers: each one's words, templates and renderer."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.config import ConfigError, load_lexicon, load_opinion, load_vocabulary
from bot.language import LanguagePicker
from bot.rendering import Renderer
from bot.settings import Settings
from workflows.classification import Rules
from workflows.context import IntakeSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Locales:
    """Per language: the renderer of customer messages and the intake's vocabulary."""

    default: str
    renderers: Mapping[str, Renderer]
    intakes: Mapping[str, IntakeSettings]
    picker: LanguagePicker

    def renderer(self, language: str | None) -> Renderer:
        """The renderer for a customer's language (the default's for one not offered)."""
        return self.renderers.get(language or self.default, self.renderers[self.default])

    def intake(self, language: str | None) -> IntakeSettings:
        """The intake settings, with that language's vocabulary."""
        return self.intakes.get(language or self.default, self.intakes[self.default])

    @staticmethod
    def load(settings: Settings, default_renderer: Renderer, intake: IntakeSettings) -> Locales:
        """Every configured language's templates and vocabulary (a missing one is an error)."""
        codes = settings.language_codes
        renderers = {settings.locale: default_renderer}
        intakes = {settings.locale: intake}
        for code in codes:
            if code == settings.locale:
                continue
            if not (settings.templates_dir / code).is_dir():
                raise ConfigError(
                    f"COMPLAINTBOT_LANGUAGES names {code!r} but {settings.templates_dir / code} "
                    "does not exist: add its templates or remove it from the list"
                )
            renderers[code] = Renderer(
                settings.templates_dir,
                code,
                settings.organisation,
                settings.reference_prefix,
                settings.zone,
                fallback=settings.locale,
            )
            intakes[code] = replace(
                intake, vocab=load_vocabulary(settings, code), rules=_rules(settings, code, intake)
            )
        picker = LanguagePicker(
            codes, settings.locale, {code: found.vocab for code, found in intakes.items()}
        )
        # A command word works in any offered language ("statut" from a customer who has
        # switched to English): no language's command is another's answer (a test checks).
        every = {
            command: frozenset().union(
                *(found.vocab.commands[command] for found in intakes.values())
            )
            for command in intake.vocab.commands
        }
        intakes = {
            code: replace(found, vocab=replace(found.vocab, commands=every))
            for code, found in intakes.items()
        }
        return Locales(settings.locale, renderers, intakes, picker)


def _rules(settings: Settings, code: str, intake: IntakeSettings) -> Rules:
    """Triage in ``code``: its own lexicon (if the operator has one), the default's as well."""
    if not (settings.triage_dir / f"{code}.toml").exists():
        log.warning("no triage lexicon for %r: its complaints are read with the default's", code)
        return intake.rules
    return replace(
        intake.rules,
        lexicon=load_lexicon(settings, code),
        opinion=load_opinion(settings, code),
        also=intake.rules.lexicon,
    )
