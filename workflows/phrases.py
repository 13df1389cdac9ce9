"""Matching a language's stored phrases against what a customer wrote, as whole words."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache


def normalise(text: str) -> str:
    """Lower-case, fold compatibility forms, drop punctuation, collapse spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    cleaned = re.sub(r"[^\w\s#/-]", " ", folded)
    return " ".join(cleaned.split())


def alternation(words: Iterable[str]) -> str:
    """The words as one regex alternation, longest first ("mardi|mars|mar"), escaped.

    Built once per list: the date readers ask for the same months and weekdays on every
    message, and escaping them each time was a tenth of a first message's work.
    """
    return _alternation(words if isinstance(words, frozenset) else frozenset(words))


@lru_cache(maxsize=1024)
def _alternation(words: frozenset[str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=lambda w: (-len(w), w)))


@lru_cache(maxsize=16_384)
def pattern(phrase: str) -> re.Pattern[str]:
    """A stored phrase as a whole-word pattern; a trailing * matches any word starting so.

    Compiled once: four languages' vocabularies hold more phrases than re's own cache.
    """
    if phrase.endswith("*"):
        return re.compile(rf"(?<!\w){re.escape(phrase[:-1])}\w*")
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")


def phrase_matches(words: str, phrase: str) -> list[re.Match[str]]:
    """Every place ``phrase`` occurs in normalised ``words``."""
    if _absent(words, phrase):
        return []
    return list(pattern(phrase).finditer(words))


def contains_phrase(words: str, phrase: str) -> bool:
    """Whether normalised ``words`` hold ``phrase`` as whole words (``word*``: a word start)."""
    return not _absent(words, phrase) and pattern(phrase).search(words) is not None


def without(words: str, phrases: frozenset[str]) -> str:
    """``words`` with every one of ``phrases`` taken out, longest first."""
    for phrase in longest_first(phrases):
        if not _absent(words, phrase):
            words = pattern(phrase).sub(" ", words)
    return words


def _absent(words: str, phrase: str) -> bool:
    """Whether the phrase's letters are nowhere in the words, so no pattern can match.

    Most of a vocabulary's hundreds of phrases are not in a given message: a substring test
    rules them out far faster than a whole-word search.
    """
    return (phrase[:-1] if phrase.endswith("*") else phrase) not in words


def longest_first(phrases: Iterable[str]) -> list[str]:
    """Phrases longest first, and alphabetically among equals: a set's order changes from one
    run to the next, and what is read must not."""
    return sorted(phrases, key=lambda phrase: (-len(phrase), phrase))


def stored_phrase(item: str) -> str:
    """A phrase as stored: normalised, keeping a trailing * and a phrase of symbols only."""
    if item.endswith("*") and normalise(item[:-1]):
        return normalise(item[:-1]) + "*"
    return normalise(item) or item.strip()


def phrase_set(value: object) -> frozenset[str]:
    """A TOML list of phrases as stored phrases (see ``stored_phrase``)."""
    if not isinstance(value, list):
        raise ValueError(f"expected a list of phrases, got {value!r}")
    return frozenset(stored_phrase(str(item)) for item in value)
