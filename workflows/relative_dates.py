"""Readers of a day counted back from today: "yesterday", "three days ago", "last Tuesday",
"the Tuesday before last", "jeudi de la semaine passée"."""

from __future__ import annotations

import re
from datetime import date, timedelta

from workflows.date_words import DateFound, DateWords
from workflows.phrases import alternation, contains_phrase

# "9999999 days ago" is not a date (and would overflow the calendar).
_LONGEST_AGO = 3660


def weekday_of_last_week(words: str, today: date, dates: DateWords) -> DateFound | None:
    """ "Monday last week", "jeudi de la semaine passée": that day of the week before this.

    The words must stand by the weekday: in "I rang last week; on Wednesday it broke again"
    Wednesday is this week's.
    """
    tokens = words.split()
    for index, token in enumerate(tokens):
        weekday = dates.weekdays.get(token)
        if weekday is None:
            continue
        near = " ".join(tokens[max(0, index - _WEEK_REACH) : index + _WEEK_REACH + 1])
        if any(contains_phrase(near, phrase) for phrase in dates.week_before):
            monday = today - timedelta(days=today.weekday())
            return DateFound(monday - timedelta(days=7 - weekday), valid=True)
    return None


# How far from its weekday "last week" may stand ("le jeudi de la semaine passée").
_WEEK_REACH = 4


def relative_date(
    words: str, today: date, dates: DateWords, *, counted_back: bool = False
) -> DateFound | None:
    """ "Three days ago", "mardi dernier", "the Tuesday before last", "yesterday", "on Monday".

    ``counted_back``: only days said to be past ("yesterday", "last Monday"), not "today" nor
    a bare weekday, which may be to come or every week ("he comes back on Monday").
    """
    if (weekday_then := _weekday_of_a_day_back(words, today, dates)) is not None:
        return weekday_then
    if (listed := _count_listed(words, today, dates)) is not None:
        return listed
    tokens = words.split()
    # "two weeks ago", "zwei Wochen": number words read as numbers.
    tokens = [str(dates.numbers[t]) if t in dates.numbers else t for t in tokens]
    for index, name in enumerate(tokens):
        weekday = dates.weekdays.get(name)
        following = " ".join(tokens[index + 1 : index + 3])
        if weekday is not None and any(
            contains_phrase(following, p) or _just_before(tokens, index, p)
            for p in dates.before_last
        ):
            # "the Tuesday before last", "vorletzten Dienstag": a week before last Tuesday.
            back = ((today.weekday() - weekday) % 7 or 7) + 7
            return DateFound(today - timedelta(days=back), valid=True)
    for index, token in enumerate(tokens):
        if token.isdigit() and index + 1 < len(tokens):
            unit = tokens[index + 1]
            scale = 7 if unit in dates.week_units else 1 if unit in dates.day_units else 0
            # "3 days ago", or the ago word first: "vor 3 Tagen", "hace 3 días", "il y a 3 jours".
            ago_after = index + 2 < len(tokens) and tokens[index + 2] in dates.ago_words
            ago_before = any(
                " ".join(tokens[max(0, index - len(ago.split())) : index]) == ago
                for ago in dates.ago_words
            )
            if scale and (ago_after or ago_before) and int(token) * scale <= _LONGEST_AGO:
                return DateFound(today - timedelta(days=int(token) * scale), valid=True)
        weekday = dates.weekdays.get(token)
        if weekday is not None:
            # "last Tuesday", or the weekday first: "mardi dernier", "el martes pasado",
            # "Monday just gone".
            before = " ".join(tokens[max(0, index - 2) : index])
            after = " ".join(tokens[index + 1 : index + 3])
            if any(before.endswith(word) or after.startswith(word) for word in dates.last_words):
                back = (today.weekday() - weekday) % 7 or 7
                # Yesterday would be "yesterday": "jeudi passé" said on a Friday is the
                # Thursday of the week before, as most who said it put it right when asked.
                return DateFound(today - timedelta(days=8 if back == 1 else back), valid=True)
    # The weekday said first ("mittwoch, dienstag war der andere karton"), not the first of
    # the week.
    at = next((index for index, token in enumerate(tokens) if token in dates.weekdays), None)
    # Longest phrase first: "the day before yesterday" is not "yesterday" (and after the
    # counted ones: "two weeks ago today" is not today).
    if (named := day_named_back(words, today, dates)) is not None:
        # "It was Tuesday. I went back yesterday": a day named back after the weekday is
        # the story after it.
        named_first = (
            at is None
            or counted_back
            or day_named_back(" ".join(words.split()[:at]), today, dates) is not None
        )
        if named_first:
            return named if not counted_back or named.value != today else None
    if counted_back:
        return None
    if at is not None:
        said = dates.weekdays[tokens[at]]
        # Written on a Tuesday, "on Tuesday" or "since Tuesday" is last week's: today's
        # would be "today".
        back = (today.weekday() - said) % 7 or 7
        return DateFound(today - timedelta(days=back), valid=True)
    return None


def _weekday_of_a_day_back(words: str, today: date, dates: DateWords) -> DateFound | None:
    """ "A week ago Tuesday", "a fortnight ago Thursday": that weekday in the week of the day
    counted back (on or before it), not the day counted back itself."""
    weekdays = alternation(dates.weekdays)
    if not weekdays:
        return None
    for phrase, days in dates.days_ago.items():
        if days < _WEEK or phrase not in words:
            continue
        said = re.search(rf"(?<!\w){re.escape(phrase)} (?:on )?({weekdays})(?!\w)", words)
        # Or the weekday first: "el jueves de hace dos semanas".
        said = said or re.search(rf"(?<!\w)({weekdays}) (?:\w{{1,2}} )?{re.escape(phrase)}", words)
        if said is not None:
            back = today - timedelta(days=days)
            return DateFound(
                back - timedelta(days=(back.weekday() - dates.weekdays[said[1]]) % 7), True
            )
    return None


def _count_listed(words: str, today: date, dates: DateWords) -> DateFound | None:
    """A count of days the vocabulary lists as meaning otherwise than it counts: "il y a huit
    jours", "hace ocho días", "vor acht Tagen" are a week ago, "quinze jours" two weeks."""
    for phrase, days in sorted(dates.days_ago.items(), key=lambda item: -len(item[0])):
        counted = any(word.isdigit() or word in dates.numbers for word in phrase.split())
        if counted and contains_phrase(words, phrase):
            return DateFound(today - timedelta(days=days), valid=True)
    return None


# "A week ago", "a fortnight ago": counts long enough for a weekday to say which day of it.
_WEEK = 7


def day_named_back(words: str, today: date, dates: DateWords) -> DateFound | None:
    """ "Yesterday", "anoche", "avant-hier": a day named by how far back it is."""
    for phrase, days in sorted(dates.days_ago.items(), key=lambda item: -len(item[0])):
        if contains_phrase(words, phrase):
            return DateFound(today - timedelta(days=days), valid=True)
    return None


def relative_beside(words: str, today: date, dates: DateWords) -> DateFound | None:
    """A day counted back from today ("anoche", "last Tuesday") beside a calendar day in the
    same clause; a weekday given with its date ("le jeudi 12") is that date's, not another,
    and "today" or a bare weekday says no other day ("I'm writing today about 3 March")."""
    weekdays = alternation(dates.weekdays)
    articles = alternation(dates.day_articles)
    article = rf"(?: (?:{articles}))?" if articles else ""
    if weekdays:
        words = re.sub(rf"\b(?:{weekdays}){article} \d{{1,2}}", " ", words)
    return relative_date(words, today, dates, counted_back=True)


# Readers of a day counted back from today, which a clause may say beside a calendar day
# ("posée le 20 février, décollée anoche").
RELATIVE_READERS = (relative_beside,)


def _just_before(tokens: list[str], index: int, phrase: str) -> bool:
    """Whether the phrase is the words right before the token ("last to last Saturday")."""
    size = len(phrase.split())
    return index >= size and " ".join(tokens[index - size : index]) == phrase
