"""Readers of one date in a customer's words, each for one way of saying it.

"12/03", "3rd of March", "le 1er mars", "the Tuesday before last", "vor ner Woche", "am 3.":
each reader finds the first such date in normalised words; ``first_date`` asks them in turn.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from workflows.date_words import DateFound, DateWords
from workflows.named_days import holiday_date, people_not_feasts
from workflows.overnight import overnight
from workflows.phrases import alternation, contains_phrase, normalise
from workflows.relative_dates import RELATIVE_READERS, relative_date, weekday_of_last_week
from workflows.weekday_slips import weekday_meant

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2,4})\b")
_DOTTED_SHORT = re.compile(r"\b(\d{1,2})\.(0?[1-9]|1[0-2])\.(?!\d)")
# "1.450", "1,450", "1 450" (a no-break space): a number's thousands.
_THOUSANDS = re.compile(r"(?<![\d.,/])(\d{1,3})[.,\u00a0\u202f](\d{3})(?![\d.,/])")
# "16-03-2026": a day, a month and a whole year (without the year, "35-40" is a range).
_DASHED = re.compile(r"\b(\d{1,2})-(\d{1,2})-(\d{4})\b")
# "el tique es el 4-0921": a reference's number, kept whole, is no day of the month.
_HYPHENED_NUMBER = re.compile(r"(?<![\d/.-])(\d{1,2})-(\d{3,})\b")
# "am 12.03", "du 03.03", "12.3 nachmittags" without the last dot, where a dot is never a
# decimal point (French, German, Spanish write "2,5"): a day and a month, not a time ("12.03
# Uhr"), a sum ("12.03 €") or a measure ("2.5 km").
_DOTTED_BARE = re.compile(
    r"(?<![\d.,$€£])\b(\d{1,2})\.(0?[1-9]|1[0-2])\.?(?!\d|[.,]\d)"
    r"(?!\s?(?:uhr|h\b|€|eur|euro|chf|%|kg|km|g\b|l\b|m\b|cm|mm|min|std|stunden|heures|horas"
    r"|sterne|étoiles|estrellas|gb|mb|go|mo|ghz|mbit|pesos|soles|dollars|francs))",
    re.IGNORECASE,
)


def words_of(text: str, dates: DateWords) -> str:
    """Text as the readers read it: normalised, with "14.03.2026" and "10.3." kept as dates.

    Given the language's words, a weekday typed with one slip ("tuesdy", "samdi", "Dienstga")
    reads as that weekday.
    """
    # normalise() drops dots, so make "14.03.2026" read as "14/03/2026" first ("10.3." too).
    text = _DOTTED_SHORT.sub(r"\1/\2", _DOTTED.sub(r"\1/\2/\3", text))
    text = _HYPHENED_NUMBER.sub(r"\1\2", _DASHED.sub(r"\1/\2/\3", text))
    text = people_not_feasts(text, dates)
    if dates.bare_dotted:
        text = _DOTTED_BARE.sub(r"\1/\2", text)
    # "en noviembre, 1.450 euros": a sum's thousands, kept whole, are no day after a month.
    text = _THOUSANDS.sub(r"\1\2", text)
    words = " ".join(weekday_meant(token, dates) for token in normalise(text).split())
    return overnight(words, dates)


def first_date(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The first date the text mentions (a real one before an impossible or future one)."""
    words = words_of(text, dates)
    readers = (
        _iso_date,
        _numeric_date,
        _named_date,
        # "The Saturday before Mother's Day, the 14th": the day's number says which.
        _day_of_month,
        holiday_date,
        weekday_of_last_week,
        _marked_day,
        relative_date,
    )
    found = None
    for reader in readers:
        said = reader(words, today, dates)
        if said is not None and said.valid and said.value is not None and said.value <= today:
            found = _feast_restated(said, words, today, dates) if reader is _day_of_month else said
            break
        # An impossible or future date gives way to a real one said elsewhere ("MHD 22.03.,
        # am Sonntag hat es gestunken"); alone, it is reported so the customer is asked again.
        found = found or said
    if found is None and dates.language != "en":
        # The readers above know the vocabulary's words; dateparser knows each language's
        # grammar of dates ("il y a trois jours", "vor zwei Wochen", "el martes pasado").
        found = _parsed_date(text, today, dates)
    if found is not None and found.value is not None and found.value > today:
        return DateFound(found.value, valid=False)
    return found


def _feast_restated(found: DateFound, words: str, today: date, dates: DateWords) -> DateFound:
    """The feast's day where "the 14th" restates it ("valentines day innit. the 14th" is 14
    February, not 14 March)."""
    feast = holiday_date(words, today, dates)
    if feast is None or feast.value is None or found.value is None:
        return found
    return feast if feast.valid and feast.value.day == found.value.day else found


# A date read by dateparser further back than this is a misreading ("a customer for ten years").
_OLDEST = timedelta(days=366)


def _parsed_date(text: str, today: date, dates: DateWords) -> DateFound | None:
    # Imported here: dateparser takes 0.14 s to import, and a staff command reads no dates.
    from dateparser.search import search_dates

    base = datetime(today.year, today.month, today.day, 12)
    try:
        matches = search_dates(
            text[:1_000],
            languages=[dates.language],
            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
        )
    except (ValueError, OverflowError):
        return None
    words = date_words(dates)
    units = dates.day_units | dates.week_units
    ago = {word for phrase in dates.ago_words for word in phrase.split()}
    months = dates.previous_month | dates.this_month
    for said, when in matches or ():
        tokens = set(normalise(said).split())
        # Only what says a date in the vocabulary's words: dateparser alone reads "Die" as
        # Tuesday, and "10 días de retraso" (no "hace") as ten days ago.
        if not tokens & words and not (tokens & units and tokens & ago):
            continue
        # A month without a day ("résilié en janvier", "Montage war letzten Monat") is not the
        # day it happened.
        month_said = tokens & set(dates.months) or any(
            contains_phrase(normalise(said), phrase) for phrase in months
        )
        if month_said and not any(t.isdigit() for t in tokens):
            continue
        if not today - _OLDEST <= when.date() <= today:
            continue
        return DateFound(when.date(), valid=True)
    return None


def date_words(dates: DateWords) -> set[str]:
    """The single words that are part of a date: months, weekdays, "yesterday", "last"."""
    # Whole words only: the words of "ayer por la mañana" would let "la" and "por" through.
    singles = {phrase for phrase in dates.days_ago if " " not in phrase}
    return set(dates.months) | set(dates.weekdays) | singles | set(dates.last_words)


def _iso_date(words: str, today: date, dates: DateWords) -> DateFound | None:
    match = _ISO.search(words)
    if match is None:
        return None
    return _make(int(match[1]), int(match[2]), int(match[3]))


def _numeric_date(words: str, today: date, dates: DateWords) -> DateFound | None:
    match = _NUMERIC.search(words)
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    if "." in match[0] and not match[3] and second > 12:
        return None  # "caught the 8.14": a dot is never month first; a time, not 14 August
    day, month = (first, second) if dates.day_first else (second, first)
    if month > 12 >= day:
        day, month = month, day  # "3/14" can only be 14 March, whatever the local order

    year = _full_year(match[3], today) if match[3] else None
    found = _with_year(day, month, year, today)
    # Both ways round a day and a month: "3/6", not "3/14" nor "6/6".
    either = max(first, second) <= 12 and first != second
    said = _weekday_before(words[: match.start()], dates)
    if said is not None and either:
        # "el viernes 3/6" from a Spanish speaker in the US: the reading on a Friday.
        other = _with_year(month, day, year, today)
        if _falls_on(other, said) and not _falls_on(found, said):
            return other
    if dates.either_order and either:
        # Read the other way round, a day just past beats "appt was 3/4" from an American on
        # 20 March as 3 April to come, "03/12/2026" as December, and "on 3/10 you charged
        # me" as last October.
        other = _make(year or today.year, day, month)
        past = other.valid and other.value is not None and other.value <= today
        value = found.value
        far = value is None or value > today + _SOON or value.year < (year or today.year)
        soon = value is not None and today < value <= today + _SOON
        if past and (far or (soon and not dates.soon_is_ahead)):
            return other
    return found


def _weekday_before(words: str, dates: DateWords) -> int | None:
    """The weekday the words end with ("... el viernes"), if they do."""
    said = words.split()[-1:]
    return dates.weekdays.get(said[0]) if said else None


def _falls_on(found: DateFound, weekday: int) -> bool:
    return found.valid and found.value is not None and found.value.weekday() == weekday


def without_numeric_dates(text: str) -> str:
    """The text with its dates in digits alone ("3.07", "24/12", "02.03.2026") taken out."""
    return _NUMERIC.sub(" ", text)


def _named_date(words: str, today: date, dates: DateWords) -> DateFound | None:
    months = alternation(dates.months)
    if not months:
        return None
    # "3rd of March", "1er mars", "3 de marzo de 2026" ("3. März" arrives as "3 märz"), and in
    # words: "el primero de marzo".
    spelt = alternation(dates.numbers)
    day_part = rf"(\d{{1,2}}{_SUFFIX}?|{spelt})" if spelt else rf"(\d{{1,2}}){_SUFFIX}?"
    patterns = (
        rf"\b{day_part}(?: of| de| a| o)? ({months})\b(?:(?: de)? (\d{{4}}))?",
        rf"\b({months}) (?:the )?{day_part}\b(?: (\d{{4}}))?",  # "March the 3rd"
    )
    for index, pattern in enumerate(patterns):
        match = re.search(pattern, words)
        if match is None:
            continue
        day_text, month_text = (match[1], match[2]) if index == 0 else (match[2], match[1])
        year = int(match[3]) if match[3] else None
        day = dates.numbers.get(day_text) or int(re.sub(r"\D", "", day_text))
        return _with_year(day, dates.months[month_text], year, today)
    return None


ORDINAL_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")
# Ordinal endings after a day's number: 3rd, 1er, 2e, 1ro, 2do, 1º (folded to "o").
_SUFFIX = r"(?:st|nd|rd|th|er|ème|eme|e|ro|do|to|vo|mo|no|o)"


def _day_of_month(words: str, today: date, dates: DateWords) -> DateFound | None:
    """ "On the 12th", "Friday the 13th": the latest such day that is not in the future."""
    match = next(
        (
            m
            for m in ORDINAL_DAY.finditer(words)
            # "my dad's 70th, Saturday the 7th": an ordinal no month has is a birthday.
            if 1 <= int(m[1]) <= 31
            and not _counted(words[m.end() :], dates)
            and not dates.owned(words[: m.start()])
            and not _month_after(words[m.end() :], dates)
        ),
        None,
    )
    this_month = alternation(dates.this_month)
    if match is None and this_month:
        # "el 2 de este mes", "le 3 de ce mois".
        match = re.search(rf"\b(\d{{1,2}}){_SUFFIX}? (?:{this_month})\b", words)
    if match is None or not 1 <= int(match[1]) <= 31:
        return None
    day = int(match[1])
    if this_month and day > today.day and re.search(rf"\b(?:{this_month})\b", words):
        ahead = _make(today.year, today.month, day)
        return DateFound(ahead.value, valid=False)  # "the 25th of this month" is to come
    year, month = today.year, today.month
    if any(contains_phrase(words, phrase) for phrase in dates.previous_month):
        # "last month on the 14th": from the month before this one.
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        today = date(year, month, 28) + timedelta(days=4)
        today = today - timedelta(days=today.day)  # that month's last day
    for _ in range(12):  # back month by month to one that has that day and is not ahead
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found <= today:
            return DateFound(found, valid=True)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _month_after(after: str, dates: DateWords) -> bool:
    """Whether a month's name follows ("28th (of) March"): that day is the named date's, even
    when it is still to come, and no other month's."""
    following = after.split()[:2]
    # "the 18th of March", Caribbean "di 18th a February", Scots "the 9th o March".
    if following[:1] in (["of"], ["de"], ["a"], ["o"]):
        following = following[1:]
    return bool(following) and following[0] in dates.months


def _counted(after: str, dates: DateWords) -> bool:
    """Whether the words after an ordinal make it a count ("the 3rd time this week") or an
    hour ("Thursday 5 o'clock")."""
    opening = after.split()[:2]
    if not opening:
        return False
    two = " ".join(opening)
    return any(
        contains_phrase(opening[0], word) or (" " in word and two == word) for word in dates.counted
    )


def _marked_day(words: str, today: date, dates: DateWords) -> DateFound | None:
    """ "am 3.", "le 12", "el lunes 9": a day of this month (or the last that had it)."""
    names = alternation((*dates.day_marks, *dates.weekdays))
    if not names:
        return None
    units = {*dates.day_units, *dates.week_units}
    earlier = next((p for p in dates.previous_month if contains_phrase(words, p)), "")
    weekdays = alternation(dates.weekdays)
    between = alternation(dates.day_articles)
    # Only a weekday may have an article before its day ("Mittwoch der 11.", "vendredi le 13").
    article = rf"(?: (?:{between}))?" if between else ""
    pattern = rf"\b(?:({names})|({weekdays}){article}) (\d{{1,2}})({_SUFFIX})?\b(?! ?[/:%])"
    for match in re.finditer(pattern, words):
        if match[4] in _COUNTING_SUFFIXES:
            continue  # "le 2e prélèvement" counts; "le 2 mars" and "le 1er" are days
        if _counted(words[match.end() :], dates):
            continue  # "Monday 3 times", "the Thursday 5 o'clock class": not a day of the month
        after = words[match.end() :].split()[:2]
        if len(after) == 2 and len(after[0]) == 1 and after[1].isalpha():
            after = []  # "le 18, j'ai attendu": "j" is "je", not "jours"
        # "samedi 7, 3 semaines d'arrêt": a number after a weekday's own day is another.
        said = match[1] or match[2]
        named_day = said in dates.weekdays and _weekday_is(match[3], said, today, dates)
        if after and (after[0] in units or (after[0].isdigit() and not named_day)):
            continue  # "am 2 Tagen", "Montag 10 Uhr": not a day of the month
        if _month_after(words[match.end() :], dates):
            continue  # "le 2 avril" is April's (still to come), not this month's 2nd
        found = _day_of_month(f"{match[3]}th {earlier}", today, dates)
        weekday = dates.weekdays.get(match[1] or match[2])
        if found is None or found.value is None:
            continue
        if weekday is not None and found.value.weekday() != weekday:
            continue  # "Monday 5 pm": the 5th is a Thursday, so not a date
        return found
    return None


# Ordinal endings that count ("2e", "3ème") and never name a day in French, where the first of
# the month alone is "1er".
_COUNTING_SUFFIXES = frozenset({"e", "ème", "eme"})


def _weekday_is(day: str, weekday: str, today: date, dates: DateWords) -> bool:
    """Whether this month's (or the last month's) day ``day`` falls on ``weekday``."""
    found = _day_of_month(f"{day}th", today, dates)
    return (
        found is not None
        and found.value is not None
        and found.value.weekday() == dates.weekdays.get(weekday)
    )


def _full_year(text: str, today: date) -> int:
    year = int(text)
    if year < 100:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _with_year(day: int, month: int, year: int | None, today: date) -> DateFound:
    if year is not None:
        return _make(year, month, day)
    found = _make(today.year, month, day)
    if found.valid and found.value is not None and found.value > today:
        if found.value - today <= _SOON:
            # "MHD 22.03.", "booked for the 25th": a day ahead, not last year's.
            return DateFound(found.value, valid=False)
        # "3 December" said in January means last December.
        return _make(today.year - 1, month, day)
    return found


# A day and month this close ahead is a date to come (a best-before, a booking), not last year.
_SOON = timedelta(days=60)


def _make(year: int, month: int, day: int) -> DateFound:
    try:
        return DateFound(date(year, month, day), valid=True)
    except ValueError:
        return DateFound(None, valid=False)


# A day of the month in digits, then its ordinal ending if any ("9", "28", "12th", "1er").
DAY_NUMBER = r"([1-9]|[12]\d|3[01])(?:st|nd|rd|th|er|e)?"


# Readers of a day on the calendar (not "last Tuesday", "three days ago"): of several such days
# in one message, the latest is when it went wrong.
CALENDAR_READERS = (_iso_date, _numeric_date, _named_date, _day_of_month, _marked_day)
# Readers of a day with its month said ("27.02", "3 March"), not a day of this month alone.
MONTH_READERS = (_iso_date, _numeric_date, _named_date)

__all__ = [
    "CALENDAR_READERS",
    "DAY_NUMBER",
    "MONTH_READERS",
    "ORDINAL_DAY",
    "RELATIVE_READERS",
    "DateFound",
    "date_words",
    "first_date",
    "words_of",
]
