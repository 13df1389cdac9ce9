"""How an answer about what a customer wants is cut into clauses, and where a wish is named."""

from __future__ import annotations

import re
from dataclasses import dataclass

from workflows.phrases import normalise, pattern, phrase_matches

# Where punctuation ended a clause, in the words as read: a negation stops there.
CLAUSE_END = "_"
_IN_NUMBER = re.compile(r"(?<=\d)[.,](?=\d)")


@dataclass(frozen=True, slots=True)
class NamedWish:
    """An outcome named in a message, where its phrase starts and ends."""

    start: int
    end: int
    preferred: bool
    outcome: str
    # Named in a condition that says no ("if you can't fix it"): hoped for, fallback after.
    hoped: bool = False


def wished_part(text: str, words: str, named: list[NamedWish], kept: list[NamedWish]) -> str:
    """The answer, or its words before a fallback ("fix it, if not a refund"; "new bicycle
    same model, if not possible the money"): what the model reads."""
    if len(kept) == len(named):
        return text
    cut = min(wish.start for wish in named if wish not in kept)
    return words[:cut].replace(CLAUSE_END, " ")


def inside(words: str, match: re.Match[str], phrases: frozenset[str]) -> bool:
    """Whether the words matched are part of one of the phrases ("not after the money")."""
    return any(
        found.start() <= match.start() and match.end() <= found.end()
        for phrase in phrases
        for found in phrase_matches(words, phrase)
    )


def opens(words: str, phrase: str) -> bool:
    """Whether the words begin with the phrase ("réparez-le" begins with "réparez")."""
    return pattern(phrase).match(words) is not None


def clauses_marked(text: str) -> str:
    """Normalised words with "_" where punctuation ended a clause (a negation stops there)."""
    # A dash (hyphen, en or em dash) between words ends a clause too ("Nicht das Geld
    # zurück - ich will das Sofa").
    # Nor does the separator inside a number ("Refund of ₹1,499 is not the point").
    text = _IN_NUMBER.sub("", text)
    return normalise(re.sub(r"[,;.!?]+|\s[\u2013\u2014-]+\s", f" {CLAUSE_END} ", text))
