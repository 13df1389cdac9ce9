"""Corrections in what a customer says about when: "Wednesday, no wait, Tuesday"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from workflows.counted_days import loosely
from workflows.date_readers import DAY_NUMBER, MONTH_READERS, DateFound, first_date, words_of
from workflows.date_words import DateWords
from workflows.phrases import alternation, normalise


def corrected_date(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The date after the last correction that names one ("Wednesday, no wait, Tuesday";
    "I said Wednesday but it was Tuesday"; "le 11, ah non le 12")."""
    said = [
        found
        for marker in dates.corrections
        for found in re.finditer(loosely(marker), text, re.IGNORECASE)
    ]
    said += list(_TRAILING_NO.finditer(text))
    if (earlier := _the_week_before(text, today, dates)) is not None:
        return earlier
    for marker in sorted(said, key=lambda found: found.start(), reverse=True):
        after = text[marker.end() :]
        if (moved := _day_alone_moved(text[: marker.start()], after, today, dates)) is not None:
            return DateFound(moved, valid=True)
        corrected = first_date(after, today, dates)
        if corrected is not None:
            return _past_the_day_taken_back(text[: marker.start()], after, corrected, today, dates)
    return _day_said_actually(text, today, dates)


def _day_said_actually(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The day said right before "actually", "en fait" when another day comes before it
    ("should've been Wednesday. Well, you changed it to Thursdays so yesterday actually")."""
    for phrase in dates.corrections_after:
        for said in re.finditer(loosely(phrase), text, re.IGNORECASE):
            words = text[: said.start()].split()
            meant = first_date(" ".join(words[-_ACTUALLY_REACH:]), today, dates)
            taken_back = first_date(" ".join(words[:-_ACTUALLY_REACH]), today, dates)
            if meant is not None and meant.valid and taken_back not in (None, meant):
                return meant
    return None


# Words before "actually" that hold the day meant ("the day before yesterday").
_ACTUALLY_REACH = 4


def _the_week_before(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The same weekday a week before the one taken back ("Samedi dernier, non, celui
    d'avant"; "last Saturday, no, the one before")."""
    for phrase in dates.week_earlier:
        for said in re.finditer(loosely(phrase), text, re.IGNORECASE):
            before = text[: said.start()]
            named = dates.weekday_named(words_of(before, dates)) is not None
            taken_back = first_date(before, today, dates) if named else None
            if taken_back is not None and taken_back.valid and taken_back.value is not None:
                return DateFound(taken_back.value - timedelta(days=7), valid=True)
    return None


def _past_the_day_taken_back(
    before: str, after: str, corrected: DateFound, today: date, dates: DateWords
) -> DateFound:
    """The day meant, when the correction first names again the day it takes back to say why
    ("the 1st, no hang on, the 1st was a Sunday so it went out the Monday, the 2nd")."""
    taken_back = first_date(before, today, dates)
    if taken_back is None or taken_back.value != corrected.value:
        return corrected
    for boundary in re.finditer(r"[,;.]\s+", after):
        found = first_date(after[boundary.end() :], today, dates)
        if found is not None and found.valid and found.value != taken_back.value:
            return found
    return corrected


def _day_alone_moved(before: str, after: str, today: date, dates: DateWords) -> date | None:
    """A day's number said alone after a correction, in the month taken back ("Am 27.02,
    nein, 28., war Samstag"; "Sunday, Feb 15th. Or, no sorry, the Saturday, the 14th"),
    provided a weekday said with it is that day's."""
    weekday = None
    day = _A_DAY_ALONE.match(after)
    if day is None and dates.weekdays:
        named = re.match(rf"\W*(?:\w{{1,3}}\s+)?({alternation(dates.weekdays)})\b\W*", after, re.I)
        if named is not None:
            weekday = dates.weekdays.get(normalise(named[1]))
            day = _A_DAY_ALONE.match(after[named.end() :])
    if day is None:
        return None
    moved = _in_the_month_said(before, int(day[1]), today, dates)
    return moved if moved is not None and weekday in (None, moved.weekday()) else None


def _in_the_month_said(text: str, day: int, today: date, dates: DateWords) -> date | None:
    """That day of the last month the text names with a day ("am 27.02"), if not to come."""
    words = words_of(text, dates)
    said = next((found for reader in MONTH_READERS if (found := reader(words, today, dates))), None)
    if said is None or not said.valid or said.value is None:
        return None
    try:
        moved = said.value.replace(day=day)
    except ValueError:
        return None
    return moved if moved <= today else None


# A day's number alone, maybe after an article, then nothing but punctuation: "28., war
# Samstag", "der 10.", "the 12th," ("the 3rd time" and "5 Tage später" are no day).
_A_DAY_ALONE = re.compile(rf"\W*(?:\w{{1,3}}\s+){{0,2}}{DAY_NUMBER}\.?(?=\s*(?:[,;:!)\n-]|$))")


# "el lunes 9... no, el martes 10", "Dimanche le 15? Non, samedi le 14": a no after a
# trailing off or a question to oneself takes back the day before it (a bare "no" does not:
# "no one called until Wednesday").
_TRAILING_NO = re.compile(
    r"(?:\.{3}|…|\?)\s*(?:no|non|nan|nein|nee|nä|ne|nei|nah|naw|na|não)\b"
    # "vers 17h. Non, mercredi 11", "Sunday, no, nay, it were Saturday": a no of its own
    # after a full stop or a dash ("No one came on Monday" is none).
    r"|(?:[.\u2014\u2013]|\s-)\s*(?:no|non|nan|nein|nee|nä|nah|naw)\s*[,!.]",
    re.IGNORECASE,
)
