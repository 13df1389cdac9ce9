"""Days customers name instead of dates ("Presidents' Day", "le pont de la Toussaint"), read
from normalised words; the names and their rules are the vocabulary's ``[holidays]``."""

from __future__ import annotations

import re
from datetime import date

from workflows.date_words import DateFound, DateWords
from workflows.holidays import day_beside, day_of_span, weekday_beside
from workflows.phrases import alternation, contains_phrase, normalise


def people_not_feasts(text: str, dates: DateWords) -> str:
    """The text with people named after a feast written as one word ("Pierre-Toussaint" is
    no 1 November), so that only feasts read as days."""
    return _HYPHENED_NAME.sub(lambda named: _name_not_holiday(named, dates), text)


# Two capitalised words joined by a hyphen: "Pierre-Toussaint", "Jean-Noël", "Saint-Valentin".
_HYPHENED_NAME = re.compile(r"\b([^\W\d_]+)-([^\W\d_]+)\b")
_SAINTS = frozenset({"saint", "sainte", "st", "ste", "sankt", "san", "santa"})


def _name_not_holiday(named: re.Match[str], dates: DateWords) -> str:
    """A person named after a feast is not the feast: "Moi c'est Pierre-Toussaint" is no 1
    November, though "la Saint-Valentin" is 14 February."""
    first, second = named[1], named[2]
    feast = normalise(second) in dates.holidays and normalise(first) not in _SAINTS
    return first + second if feast and first[0].isupper() and second[0].isupper() else named[0]


def holiday_date(words: str, today: date, dates: DateWords) -> DateFound | None:
    """ "On Valentine's Day", "Rosenmontag": its latest date that is not in the future."""
    for name, holiday in sorted(dates.holidays.items(), key=lambda item: -len(item[0])):
        if contains_phrase(words, name):
            found = holiday.latest(today)
            if found is not None:
                sides = (dates.before_day, dates.after_day)
                beside = weekday_beside(words, name, found, dates.weekdays, *sides)
                days = (dates.day_units, dates.numbers)
                beside = beside or day_beside(words, name, found, days, *sides)
                if beside is None and _spanned(words, name, dates):
                    # "Over the Family Day long weekend": which of its days is for a weekday
                    # said with it ("got there Sat") or for the customer to say.
                    named = dates.weekday_named(words)
                    if named is None:
                        return None
                    beside = day_of_span(found, named)
                found = beside or found
            return DateFound(found, valid=found is not None and found <= today)
    return None


def _spanned(words: str, name: str, dates: DateWords) -> bool:
    """Whether the named day is said as the days around it ("Family Day weekend", "le pont
    de la Toussaint", "el puente de la Constitución"), not as the day itself."""
    named = re.escape(name)
    after, before = alternation(dates.spans_after), alternation(dates.spans_before)
    return bool(
        (after and re.search(rf"\b{named} (?:{after})\b", words))
        or (before and re.search(rf"\b(?:{before}) {named}\b", words))
    )
