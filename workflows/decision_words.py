"""How a customer answers a response (accept, reject), asks to reopen, and rates the handling."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from workflows.phrases import contains_phrase, normalise, phrase_set


class Verdict(StrEnum):
    """What a message says about a response the customer was sent."""

    ACCEPT = "accept"
    REJECT = "reject"
    UNCLEAR = "unclear"


# The choices a response is sent with, as numbered on every channel (1 is always yes).
ACCEPT_NUMBER, REJECT_NUMBER = "1", "2"
_SCORE = re.compile(
    r"^\s*(?P<n>[1-5])\s*(?:(?:/|out of|sur|von|de|of)\s*5)?\s*"
    r"(?:stars?|étoiles?|sterne?|estrellas?|points?|punkte?|puntos?)?\s*[.!]*\s*$",
    re.I,
)
_STARS = re.compile(r"^\s*[⭐★*]{1,5}\s*$")
# Longer than this, a message is more than a score ("2 weeks ago I said...").
_SCORE_WORDS = 4


@dataclass(frozen=True, slots=True)
class DecisionWords:
    """The ``[decisions]`` table of a vocabulary: phrases per meaning, normalised."""

    accepts: frozenset[str] = frozenset()
    rejects: frozenset[str] = frozenset()
    reopens: frozenset[str] = frozenset()
    # Number words for a score ("four", "quatre").
    numbers: Mapping[str, int] | None = None

    @staticmethod
    def from_mapping(data: Mapping[str, object]) -> DecisionWords:
        """Build from a vocabulary's parsed ``[decisions]`` table (every key optional)."""
        numbers = data.get("score_words", {})
        if not isinstance(numbers, dict) or not all(
            isinstance(value, int) and 1 <= value <= 5 for value in numbers.values()
        ):
            raise ValueError("[decisions] score_words must map words to numbers 1 to 5")
        return DecisionWords(
            accepts=phrase_set(data.get("accepts", [])),
            rejects=phrase_set(data.get("rejects", [])),
            reopens=phrase_set(data.get("reopens", [])),
            numbers={normalise(str(word)): int(value) for word, value in numbers.items()},
        )

    def verdict(self, text: str, says_yes: bool, says_no: bool) -> Verdict:
        """Accept or reject a response; a dissatisfied word wins over a polite yes.

        ``says_yes``/``says_no``: the vocabulary's own reading of a short yes or no (and of
        1 or 2 on the menu), which the caller has.
        """
        words = normalise(text)
        if self.rejects_it(words) or says_no:
            return Verdict.REJECT
        if says_yes or any(contains_phrase(words, phrase) for phrase in self.accepts):
            return Verdict.ACCEPT
        return Verdict.UNCLEAR

    def rejects_it(self, text: str) -> bool:
        """Whether the message says the response or resolution is not good enough."""
        words = normalise(text)
        return any(contains_phrase(words, phrase) for phrase in self.rejects)

    def asks_to_reopen(self, text: str) -> bool:
        """Whether the message asks to reopen, or says the problem is back."""
        words = normalise(text)
        return self.rejects_it(words) or any(
            contains_phrase(words, phrase) for phrase in self.reopens
        )

    def score(self, text: str) -> int | None:
        """A satisfaction score of 1 to 5 ("4", "4/5", "4 stars", "four", "⭐⭐⭐⭐"), or None."""
        if _STARS.match(text):
            return len(re.sub(r"\s", "", text))
        if len(text.split()) > _SCORE_WORDS:
            return None
        found = _SCORE.match(text)
        if found:
            return int(found.group("n"))
        words = normalise(text).split()
        values = {self.numbers.get(word) for word in words} - {None} if self.numbers else set()
        if len(values) == 1 and len(words) <= 2:
            return values.pop()
        return None
