"""A night between two days ("la nuit de mardi à mercredi"): which of the two it was.

Customers name a night by both its days. Without an hour it is the evening's day; in the
small hours ("à 2h du matin", "um 2:30 Uhr", "la madrugada del domingo pa' lunes") it is the
morning's, the day the calendar showed when it happened.
"""

from __future__ import annotations

import re

from workflows.date_words import DateWords
from workflows.phrases import alternation

# An hour from midnight to before six, as normalise() leaves it: "2h", "2 30 uhr", "3am",
# "a las 3", "um 2", "à 4h".
_SMALL_HOUR = re.compile(
    r"\b0?[0-5](?:h\d*|am|\s(?:h|uhr|a m|\d\d\s(?:uhr|h)))\b"
    r"|\b(?:a las|um|à|at|vers|gegen|sobre las|hacia las|around)\s0?[0-5](?:\s\d\d)?\b"
    r"(?!\s?(?:pm|p m))"
)


def overnight(words: str, dates: DateWords) -> str:
    """Normalised words with a night between two weekdays read as the one it was."""
    # Most messages name no night: read on before building the pattern of every weekday.
    if not dates.night_joins or not dates.weekdays or not any(n in words for n in dates.nights):
        return words
    days = alternation(dates.weekdays)
    nights, joins = alternation(dates.nights), alternation(dates.night_joins)
    span = re.compile(rf"\b(?:{nights}) ({days}) (?:{joins}) ({days})\b")
    if not span.search(words):
        return words
    small = bool(_SMALL_HOUR.search(words)) or any(
        re.search(rf"\b{re.escape(word)}\b", words) for word in dates.small_hours
    )
    return span.sub(lambda match: match[2] if small else match[1], words)
