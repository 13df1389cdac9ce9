"""Stays: "du 13 au 15 mars", "vom 6. bis 8. März", "del jueves 12 al domingo 15".

A stay is when the customer had the room, the car or the service, not when it went wrong;
a weekday said beside one ("on the Saturday night") is that day of the stay.
"""

from __future__ import annotations

import re
from datetime import date

from workflows.date_readers import DateFound, words_of
from workflows.date_words import DateWords
from workflows.phrases import alternation


def _stay_pattern(dates: DateWords) -> str | None:
    starts = alternation(dates.range_from)
    ends = alternation(dates.range_to)
    if not (starts and ends):
        return None
    # A day may come with its weekday ("del jueves 12 al domingo 15") or as "15/01".
    weekday = alternation(dates.weekdays)
    number = rf"(?:the )?(?:(?:{weekday}) )?\d{{1,2}}(?:/\d{{1,2}})?\w*"
    # The first day may name its own month ("del 8 de enero al 6 de marzo"): a period of
    # months is a stay too, and its second month is read after it as for any stay.
    month = alternation(dates.months)
    own_month = rf"(?: (?:of |de )?(?:{month}))?"
    return rf"\b(?:{starts}) ({number}){own_month} (?:{ends}) ({number})"


def without_stays(words: str, dates: DateWords) -> str:
    """Words without a stay ("du 13 au 15 mars", "vom 6. bis 8. März"): not when it went wrong."""
    stay = _stay_pattern(dates)
    if stay is None:
        return words
    words = re.sub(stay, " ", words)
    # A period of two dates needs no word before it ("Período 15/01 al 15/03").
    numeric = r"\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    ends = alternation(dates.range_to)
    return re.sub(rf"\b{numeric} (?:{ends}) {numeric}\b", " ", words)


def day_of_stay(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The day of a stay a weekday names ("del 6 al 8 de marzo … la noche del sábado"): only
    when the stay's days are said (its month, or the latest such days), and one day of it has
    the first weekday said."""
    stay = _stay_pattern(dates)
    words = words_of(text, dates)
    found = re.search(stay, words) if stay else None
    if found is None:
        return None
    first, last = (_day_number(part) for part in found.groups())
    following = words[found.end() :].split()[:2]
    named = [dates.months[word] for word in following if word in dates.months]
    outside = (words[: found.start()] + " " + words[found.end() :]).split()
    # The first weekday said: "the night from Saturday to Sunday" is Saturday's.
    weekdays = [dates.weekdays[word] for word in outside if word in dates.weekdays]
    if not weekdays or not 1 <= first <= last <= 31:
        return None
    # "du samedi 7 au dimanche 15" with no month: the latest such days, this month or last.
    latest = today.month if last <= today.day else (today.month - 2) % 12 + 1
    month, weekday = (named[0] if named else latest), weekdays[0]
    year = today.year if (month, last) <= (today.month, today.day) else today.year - 1
    try:
        days = [date(year, month, day) for day in range(first, last + 1)]
    except ValueError:
        return None
    matching = [day for day in days if day.weekday() == weekday]
    return DateFound(matching[0], valid=True) if len(matching) == 1 else None


def stay_in(text: str, dates: DateWords) -> str | None:
    """The words of a stay with its month ("du 6 au 8 mars"), if the text names one."""
    stay = _stay_pattern(dates)
    words = words_of(text, dates)
    found = re.search(stay, words) if stay else None
    if found is None:
        return None
    return " ".join([found[0], *words[found.end() :].split()[:2]])


def _day_number(said: str) -> int:
    """The day in "the 6th", "jueves 12", "15/01"."""
    return int(re.sub(r"\D", "", said.split()[-1].split("/")[0]) or 0)
