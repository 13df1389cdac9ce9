"""Weekdays typed with one slip ("tuesdy", "Dienstga", "Monntag"), and words that only look so."""

from __future__ import annotations

from rapidfuzz.distance import OSA

from workflows.date_words import DateWords


def weekday_meant(token: str, dates: DateWords) -> str:
    """The weekday a token is one slip away from, or the token as it is."""
    if len(token) < _SLIPPED_WORD or token in dates.weekdays or token in dates.weekday_lookalikes:
        return token
    # A key held down is a slip ("Monntag"); another letter is another word.
    undoubled = _undoubled(token)
    near = [
        name
        for name in dates.weekdays
        # A letter too many is another word ("saturdays", "Montage" is fitting).
        if len(name) >= _SLIPPED_WEEKDAY
        and (
            (len(token) <= len(name) and OSA.distance(token, name, score_cutoff=1) <= 1)
            or name in undoubled
        )
    ]
    # "Monntag" is one slip from Montag and from Sonntag: a word's first letter is seldom the
    # slip.
    return next((name for name in near if name[0] == token[0]), near[0] if near else token)


def _undoubled(token: str) -> set[str]:
    """The token with one of its doubled letters typed once ("monntag": "montag")."""
    return {
        token[:at] + token[at + 1 :] for at in range(len(token) - 1) if token[at] == token[at + 1]
    }


# Shorter words and names are too often other words one slip away ("mari" and "mardi",
# "luces" and "lunes", "thers" and "thurs").
_SLIPPED_WORD = 5
_SLIPPED_WEEKDAY = 6
