"""Days counted from another day a message names: "the next day", "3 days later", "la
veille", "am nächsten Tag"; and how a stored phrase is found in raw text."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from workflows.date_readers import DateFound, first_date
from workflows.date_words import DateWords
from workflows.phrases import alternation, contains_phrase, longest_first, normalise


def days_after(found: DateFound | None, later: int, today: date) -> DateFound | None:
    """A day moved on by "the next day", "3 days later", or back by "the day before" (never
    past today)."""
    if found is None or not found.valid or found.value is None:
        return found
    moved = found.value + timedelta(days=later)
    return DateFound(moved, valid=True) if moved <= today else found


def counts_on(text: str, found: DateFound, today: date, dates: DateWords) -> bool:
    """Whether "the next day", "the day before" or "5 days after" is said after the one day
    named ("arrivé le 9.3., am nächsten Tag kaputt"), so the day named may not be the day it
    went wrong."""
    said = _counted_from_a_day(text, dates)
    unsaid = _counted_on_unsaid(text, dates)
    # "Serviced on the 3rd, the Sunday after the chain snapped": some day after the 3rd,
    # whichever day the weekday alone would read as.
    how_long_unsaid = unsaid is not None and (said is None or unsaid.start() < said.start())
    said = unsaid if how_long_unsaid else said
    if said is None:
        return False
    # Read in the raw text: "am 9.3." is a date, "am 9 3" once normalised is not.
    anchor = first_date(text[: said.start()], today, dates)
    ends = [m.start() for m in SENTENCES.finditer(text, said.end())]
    starts = [m.end() for m in SENTENCES.finditer(text, 0, said.start())]
    sentence = text[starts[-1] if starts else 0 : ends[0] if ends else len(text)]
    # A day named later in the same sentence is the day counted to ("the next day, the 17th").
    later = first_date(text[said.end() : ends[0] if ends else len(text)], today, dates)
    if anchor is None or not anchor.valid or (later and later.valid):
        return False
    if anchor.value != found.value and not how_long_unsaid:
        return False
    # "I rang you the next day", "je les ai renvoyées le lendemain": the customer's own step
    # that day leaves the day named as it was.
    told = dates.report_words | dates.discovery_words
    return not any(contains_phrase(normalise(sentence), word) for word in told)


def _counted_from_a_day(text: str, dates: DateWords) -> re.Match[str] | None:
    """Where the text first counts from a day: "the next day", "la veille", "5 days after"."""
    phrases = [loosely(phrase) for phrase in longest_first(dates.next_day | dates.day_before)]
    if dates.day_units and dates.later_words:
        words = alternation(dates.numbers)
        count = rf"[0-9]{{1,2}}|{words}" if words else "[0-9]{1,2}"
        units, later = alternation(dates.day_units), alternation(dates.later_words)
        phrases.append(rf"(?<!\w)(?:{count})[\W_]+(?:{units})[\W_]+(?:{later})(?!\w)")
    found = [m for p in phrases if (m := re.search(p, text, re.IGNORECASE)) is not None]
    return min(found, key=lambda m: m.start()) if found else None


def _counted_on_unsaid(text: str, dates: DateWords) -> re.Match[str] | None:
    """Where the text first names a day after another without saying how long after: "the
    Sunday after", "le dimanche suivant", "am Wochenende drauf"."""
    phrases = [loosely(phrase) for phrase in longest_first(dates.counted_on)]
    days = alternation(dates.weekdays)
    if days and dates.after_weekday:
        phrases.append(rf"(?<!\w)(?:{days})[\W_]+(?:{alternation(dates.after_weekday)})(?!\w)")
    if days and dates.before_weekday:
        phrases.append(rf"(?<!\w)(?:{alternation(dates.before_weekday)})[\W_]+(?:{days})(?!\w)")
    found = [m for p in phrases if (m := re.search(p, text, re.IGNORECASE)) is not None]
    return min(found, key=lambda m: m.start()) if found else None


# Where one sentence ends and the next begins.
SENTENCES = re.compile(r"[.!?;\n]+")


def days_later(text: str, dates: DateWords) -> int:
    """How many days after the day named it happened: "the next day" 1, "3 days later" 3."""
    words = normalise(text)
    if any(contains_phrase(words, phrase) for phrase in dates.next_day):
        return 1
    tokens = [str(dates.numbers.get(token, token)) for token in words.split()]
    for number, unit, later in zip(tokens, tokens[1:], tokens[2:], strict=False):
        if number.isdigit() and unit in dates.day_units and later in dates.later_words:
            return int(number) if int(number) <= _LATEST_AFTER else 0
    return 0


# "2 days later" moves the day named; "300 days later" is another story.
_LATEST_AFTER = 14


@lru_cache(maxsize=4096)
def loosely(phrase: str) -> str:
    """A stored phrase as a pattern over raw text: "no espere" finds "No, espere"."""
    joined = BETWEEN_WORDS.join(re.escape(word) for word in phrase.split())
    return rf"(?<!\w){joined}(?!\w)"


# Punctuation and spaces between a phrase's words in raw text ("non, c'est").
BETWEEN_WORDS = r"[\W_]+"
