"""Which language to answer a customer in: what they asked for, what they wrote, what we knew.

Detection is lingua's, limited to the languages the operator has templates for (fewer
candidates, better guesses on short text). A message decides the language only when it says
enough: a customer who wrote their complaint in French and then answers "CB-K7M3-XD9A",
"ok" or "Tuesday" stays French. In order:

1. asking for a language ("en français", "in English please") switches to it;
2. a message of a few words or more, confidently in one language, is answered in it;
3. a short message whose words only one language's vocabulary knows ("oui", "gestern") is
   answered in that language, when nothing was known before;
4. otherwise the language we knew for this customer, else the channel's hint (Telegram's
   language code, an email's Content-Language), else the organisation's default.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from workflows.phrases import normalise
from workflows.vocabulary import Vocabulary

# A message must have this many words (of letters) before its detected language counts.
MIN_WORDS = 3
# ... and lingua must be this sure of it (the confidences of the candidates sum to 1).
MIN_CONFIDENCE = 0.6
# Long emails: the first part says the language as well as the whole, in a fraction of the time.
MAX_DETECTED_CHARS = 2_000
_NOISE = re.compile(r"\S+@\S+|https?://\S+|\b[A-Za-z]{1,5}-[A-Z0-9]{4}-[A-Z0-9]{4}\b|\S*\d\S*")
_WORD = re.compile(r"[^\W\d_]{2,}")


def base_language(code: str | None) -> str | None:
    """The language part of a tag: "fr-CA" and "fr_FR" are "fr"; None stays None."""
    if not code:
        return None
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower() or None


@dataclass(frozen=True)
class LanguagePicker:
    """Chooses the language of each reply, from the languages the operator configured."""

    languages: Sequence[str]
    default: str
    vocabularies: Mapping[str, Vocabulary]

    @property
    def _detector(self) -> LanguageDetector:
        return _detector(tuple(self.languages))

    def pick(self, text: str, known: str | None, hint: str | None = None) -> str:
        """The language to answer ``text`` in (see the module's rules)."""
        known = known if known in self.languages else None
        asked = self.asked_for(text)
        if asked is not None:
            return asked
        if len(self.languages) > 1:
            detected = self.detect(text)
            if detected is not None:
                return detected
            if known is None:
                only = self._only_vocabulary_with(text)
                if only is not None:
                    return only
        if known is not None:
            return known
        hinted = base_language(hint)
        return hinted if hinted is not None and hinted in self.languages else self.default

    def asked_for(self, text: str) -> str | None:
        """The language a message asks to be answered in ("in English please"), if any."""
        # A complaint that mentions "French" is not a request to switch (see is_switch).
        return next(
            (code for code in self.languages if self.vocabularies[code].is_switch(text)), None
        )

    def detect(self, text: str) -> str | None:
        """The language of a message that says enough to tell, else None."""
        cleaned = _NOISE.sub(" ", text[:MAX_DETECTED_CHARS])
        if len(_WORD.findall(cleaned)) < MIN_WORDS:
            return None
        values = self._detector.compute_language_confidence_values(cleaned)
        if not values or values[0].value < MIN_CONFIDENCE:
            return None
        code = values[0].language.iso_code_639_1.name.lower()
        return code if code in self.languages else None

    def _only_vocabulary_with(self, text: str) -> str | None:
        words = normalise(text)
        knowing = [code for code in self.languages if self.vocabularies[code].knows_whole(words)]
        return knowing[0] if len(knowing) == 1 else None


@lru_cache(maxsize=4)
def _detector(languages: tuple[str, ...]) -> LanguageDetector:
    """One detector per set of languages for the process: its models take a second to load."""
    chosen = [Language.from_iso_code_639_1(_iso(code)) for code in languages]
    if len(chosen) == 1:
        # lingua needs two candidates; a single-language site never switches anyway.
        chosen.append(Language.ENGLISH if chosen[0] != Language.ENGLISH else Language.FRENCH)
    return LanguageDetectorBuilder.from_languages(*chosen).build()


def _iso(code: str) -> IsoCode639_1:
    try:
        return IsoCode639_1.from_str(code)
    except ValueError:
        raise ValueError(f"{code!r} is not a two-letter language code") from None
