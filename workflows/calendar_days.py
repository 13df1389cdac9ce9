"""Days named on the calendar: those still to come, and those too long ago to be meant.

"The balance is due on the 31st", "réservée pour le 27 juin" name days to come, which read as
the last such day past would be wrong; "notre wedding du 13 juin", three months off, and a
street called "10 de Octubre" read as days nine and five months back.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

from workflows.counted_days import BETWEEN_WORDS, loosely
from workflows.date_readers import CALENDAR_READERS, DAY_NUMBER, words_of
from workflows.date_words import DateWords
from workflows.phrases import longest_first, normalise
from workflows.stays import without_stays

# A day and month said without a year, read further back than this, is likelier a day to come
# or a name than the day a complaint is about (round 32: tuning and held-out, none worse).
LONG_AGO_DAYS = 120


def long_ago(text: str, day: date, today: date) -> bool:
    """Whether a day read from the text lies further back than complaints usually reach,
    with no year written to say so."""
    return (today - day).days > LONG_AGO_DAYS and str(day.year) not in text


def without_days_ahead(text: str, today: date, dates: DateWords) -> str:
    """The text without the days it says are to come ("the balance is due on the 31st",
    "réservée pour le 27 juin"), which would otherwise read as the last such day past, nor
    its "up to now" ("bis heute nichts bekommen"), which would read as today, nor a weekday
    it leaves open ("un mercredi ou un jeudi", "on a Sunday")."""
    for phrase in longest_first(dates.until_now):
        text = re.sub(loosely(phrase), lambda m: " " * len(m[0]), text, flags=re.IGNORECASE)
    text = without_some_weekdays(text, dates)
    for phrase in longest_first(dates.not_days):
        # "Le vendredi 13 (pas le 10)": a day said not to be the one is none of its days.
        denied = rf"{loosely(phrase)}\s*{DAY_NUMBER}\b\.?"
        text = re.sub(denied, lambda m: " " * len(m[0]), text, flags=re.IGNORECASE)
    for phrase in longest_first(dates.ahead_words):
        for said in re.finditer(loosely(phrase) + BETWEEN_WORDS, text, re.IGNORECASE):
            after = list(re.finditer(r"\S+", text[said.end() :]))[:_AHEAD_REACH]
            # The fewest words after it that say a day to come; the phrase's own words may
            # mark the day ("fällig am 28.").
            for reach in range(1, len(after) + 1):
                end = said.end() + after[reach - 1].end()
                if _to_come(text[said.start() : end], today, dates):
                    # "pour le 27 février" is a day gone by: "pour le 27" alone was to come.
                    month = reach < len(after) and _is_month(after[reach][0], dates)
                    whole = said.end() + after[reach].end() if month else end
                    if whole == end or _to_come(text[said.start() : whole], today, dates):
                        text = text[: said.start()] + " " * (end - said.start()) + text[end:]
                    break
    return text


def without_some_weekdays(text: str, dates: DateWords) -> str:
    """The text without the weekdays it leaves open ("un mercredi ou un jeudi", "on a
    Sunday, can't remember which") or says are to come ("the wedding is next Saturday",
    "samedi prochain", "el sábado que viene"): none of them is the last such day."""
    text = _without_weekdays_beside(text, dates.some_weekday | dates.coming_weekday, dates)
    return _without_weekdays_beside(text, dates.weekday_coming, dates, after=True)


def _without_weekdays_beside(
    text: str, phrases: frozenset[str], dates: DateWords, *, after: bool = False
) -> str:
    """The text without each weekday said right before (or, ``after``, right after) one of
    the phrases, the phrase blanked with it."""
    for phrase in longest_first(phrases):
        beside = rf"(\w+)[\W_]+{loosely(phrase)}" if after else rf"{loosely(phrase)}[\W_]+(\w+)"
        for said in re.finditer(beside, text, re.IGNORECASE):
            if normalise(said[1]) in dates.weekdays:
                end = said.end()
                # "los martes y jueves", "every Monday or Tuesday": the days joined to it too.
                while (more := _JOINED_DAY.match(text, end)) and normalise(
                    more[1]
                ) in dates.weekdays:
                    end = more.end()
                text = text[: said.start()] + " " * (end - said.start()) + text[end:]
    return text


# A next word after a weekday, maybe after a short joining word ("y", "and", "oder").
_JOINED_DAY = re.compile(r"[\W_]+(?:\w{1,4}[\W_]+)?(\w+)")


def _to_come(words: str, today: date, dates: DateWords) -> bool:
    """Whether the words name a calendar day still to come: read as if later in the month,
    or the year when a month is named, it is after today ("yesterday" is no such day)."""
    month_end = date(today.year, today.month, monthrange(today.year, today.month)[1])
    days = calendar_days([words], month_end, dates)
    if any(word in dates.months for word in words_of(words, dates).split()):
        days |= calendar_days([words], date(today.year, 12, 31), dates)
    return any(day > today for day in days)


def _is_month(word: str, dates: DateWords) -> bool:
    """Whether a word is a month's name ("février", "März,")."""
    return words_of(word, dates).strip() in dates.months


# Words after "due on", "pour le" within which the day to come is said.
_AHEAD_REACH = 4


def calendar_days(clauses: list[str], today: date, dates: DateWords) -> set[date]:
    """The days on the calendar the clauses name, one per clause, none in the future."""
    found: set[date] = set()
    for clause in clauses:
        words = without_stays(words_of(clause, dates), dates)
        for reader in CALENDAR_READERS:
            day = reader(words, today, dates)
            if day is not None:
                if day.valid and day.value is not None and day.value <= today:
                    found.add(day.value)
                break
    return found
