"""When a customer says it happened, among all the days a message may name.

"Bought it on 2 January, it broke on the Tuesday before last", "payé le 8 janvier, annulée le
2 mars", "seit 4 Tagen": which day is when it went wrong. The words are data
(``templates/<locale>/vocabulary.toml``); each way of saying one date is read in
``workflows/date_readers.py``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from workflows.calendar_days import (
    calendar_days,
    long_ago,
    without_days_ahead,
    without_some_weekdays,
)
from workflows.counted_days import (
    SENTENCES,
    counts_on,
    days_after,
    days_later,
)
from workflows.date_corrections import corrected_date
from workflows.date_readers import (
    DAY_NUMBER,
    RELATIVE_READERS,
    DateFound,
    first_date,
    words_of,
)
from workflows.date_words import DateWords
from workflows.phrases import (
    alternation,
    contains_phrase,
    normalise,
    pattern,
)
from workflows.purchases import of_buying, past_purchase, purchase_clauses
from workflows.relative_dates import relative_date
from workflows.stays import day_of_stay, without_stays

__all__ = [
    "DateFound",
    "any_date",
    "certain_date",
    "day_not_known",
    "days_gone_by",
    "days_named",
    "find_date",
]


def find_date(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The date a message says the problem happened; None when it mentions none.

    A correction wins ("on the 21st, sorry I meant the 12th"); a date of buying or ordering
    ("bought it on 2 January, it broke on the Tuesday before last") gives way to another;
    from a day of buying alone, "the next day" or "two days later" counts on ("repaired on 2
    March, the touch screen stopped working the next day"); a day said to come ("due on the
    31st") is none.
    """
    return _date_in(without_days_ahead(text, today, dates), today, dates)


def _date_in(text: str, today: date, dates: DateWords) -> DateFound | None:
    """``find_date`` of a text whose days to come are already left out."""
    corrected = corrected_date(text, today, dates)
    if corrected is not None:
        return corrected
    if _one_day_or_another(text, dates):
        return None  # "Saturday or Sunday, not sure": better to ask
    bought, rest = purchase_clauses(text, dates)
    rest, noticing = _without_noticing(rest, today, dates)
    if noticing:
        text = " . ".join(rest)
    rest = _not_before_buying(rest, bought, today, dates)
    began = _since(rest, today, dates)
    if began is not None:
        return began
    # "We stayed from the 6th to the 8th; on Saturday night the heating failed": that Saturday.
    if (during := day_of_stay(text, today, dates)) is not None:
        return during
    if not bought:
        # A stay ("from the 7th to the 10th") is when they had it, not when it went wrong:
        # with no other day named, better to ask which.
        words = words_of(text, dates)
        stayless = without_stays(words, dates)
        return first_date(stayless if stayless != words else text, today, dates)
    found = first_date(without_stays(words_of(" . ".join(rest), dates), dates), today, dates)
    if found is None:
        # "fixed on the 9th, packed up again on Tuesday" in one breath: the date right after
        # the word of buying is the buying; one further on is when it went wrong. Only a date
        # of buying is not when it went wrong: better to ask.
        past = " . ".join(past_purchase(clause, today, dates) for clause in bought)
        found = first_date(past, today, dates)
        if later := days_later(text, dates):
            # "bought it on the 14th, the next day it broke": the day after the buying.
            found = days_after(found or first_date(" . ".join(bought), today, dates), later, today)
    return found


def _one_day_or_another(text: str, dates: DateWords) -> bool:
    """Two weekdays offered as alternatives ("samedi ou dimanche", "Mittwoch oder Donnerstag")."""
    if not dates.alternatives:
        return False
    days = alternation(dates.weekdays)
    either = alternation(dates.alternatives)
    return re.search(rf"\b(?:{days}) (?:{either}) (?:{days})\b", normalise(text)) is not None


def several_days(text: str, today: date, dates: DateWords) -> bool:
    """Whether a message names more than one day gone by ("bought on 2 March, broke on the
    10th"): which went wrong is the customer's to say. Read from the words around them (a day
    of buying, of finding out, of ringing us), one in nine was not the day meant ("depuis la
    pose le 26 février … j'ai appelé le 9 mars")."""
    return len(days_gone_by(text, today, dates)) > 1


def days_gone_by(text: str, today: date, dates: DateWords) -> set[date]:
    """Every day a message names, one per clause, less the days it says are to come."""
    dates = replace(dates, soon_is_ahead=True)
    bought, rest = purchase_clauses(without_days_ahead(text, today, dates), dates)
    return days_named(bought + rest, today, dates)


def certain_date(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The date a message says it happened, or None when it is better to ask: it names
    several days ("due on the 12th, charged on the 15th"; "bought on 2 March, broke on the
    10th"), or only the day of buying ("commandé le 1er mars, toujours pas reçu")."""
    if several_days(text, today, dates):
        return None
    # "My flight on 3/4" in a complaint is a day to come, whichever way round: only asked
    # "when?", a day still to come read the other way is the day just past.
    dates = replace(dates, soon_is_ahead=True)
    text = without_days_ahead(text, today, dates)
    bought, rest = purchase_clauses(text, dates)
    named = days_named(rest, today, dates)
    found = _date_in(text, today, dates)
    if found is not None and counts_on(text, found, today, dates):
        # "Arrived on the 9th, the next day it died" is the 10th, but "I rang you the next
        # day" is the 9th, and which is which is a verb away: ask.
        return None
    if found is not None and found.value is not None and long_ago(text, found.value, today):
        # "notre wedding du 13 juin" (to come), "Calzada de 10 de Octubre" (a street): a day
        # and month without a year, read that far back, is likelier not the day: ask.
        return None
    bought_on = days_named(bought, today, dates)
    if found is not None and found.value not in named and found.value in bought_on:
        return None  # only the day of buying, and nothing counts on from it: ask
    if bought_on and named and _noticed_only(rest, today, dates):
        # "recogí hace ocho días, hoy me di cuenta que faltan páginas": the fault may be as
        # old as the thing; the day it was found is no answer to when it went wrong: ask.
        return None
    return found


def _noticed_only(clauses: list[str], today: date, dates: DateWords) -> bool:
    """Whether every clause naming a day tells when the customer found out."""
    return all(
        any(contains_phrase(normalise(clause), word) for word in dates.discovery_words)
        for clause in clauses
        if days_named([clause], today, dates)
    )


def _without_noticing(clauses: list[str], today: date, dates: DateWords) -> tuple[list[str], bool]:
    """The clauses without those telling when the customer found out ("gesehen habe ich es
    erst am 16.", "el resumen lo vi el 15"), if another clause names a day; and whether any
    were left out."""
    noticing = [
        clause
        for clause, words in ((clause, normalise(clause)) for clause in clauses)
        if any(contains_phrase(words, word) for word in dates.discovery_words)
    ]
    others = [clause for clause in clauses if clause not in noticing]
    if noticing and days_named(others, today, dates):
        return others, True
    return clauses, False


def _not_before_buying(
    rest: list[str], bought: list[str], today: date, dates: DateWords
) -> list[str]:
    """The clauses without those whose day comes before every day of buying named: nothing
    goes wrong with a thing before it is had ("received on 6 March, reserved since 15
    January"; "bought yesterday, expired since the 15th"). A day of reporting it is no such
    day ("it failed on the 15th, I reported it the next day, the 16th")."""
    bought_on = days_named(
        [c for c in bought if of_buying(c, dates, reports=False) and not _weekday_before(c, dates)],
        today,
        dates,
    )
    if not bought_on:
        return rest
    return [
        clause
        for clause in rest
        if not (named := days_named([clause], today, dates)) or max(named) >= min(bought_on)
    ]


def _weekday_before(clause: str, dates: DateWords) -> bool:
    """Whether the clause counts a weekday back from another day ("ordered on the Monday
    before"): which Monday is not this week's, so it bounds nothing."""
    if not dates.weekdays or not dates.before_day:
        return False
    days, before = alternation(dates.weekdays), alternation(dates.before_day)
    return re.search(rf"\b(?:{days}) (?:{before})\b", normalise(clause)) is not None


def days_named(clauses: list[str], today: date, dates: DateWords) -> set[date]:
    """The days the clauses name, in any form ("le 2 mars", "avant-hier"): one per clause, and
    a day counted back from today beside it ("posée le 20 février, tombée anoche")."""
    found: set[date] = set()
    for clause in clauses:
        words = without_stays(words_of(clause, dates), dates)
        said = [first_date(words, today, dates)]
        said += [read(words, today, dates) for read in RELATIVE_READERS]
        found |= {day.value for day in said if day and day.valid and day.value is not None}
    return found


def _since(clauses: list[str], today: date, dates: DateWords) -> DateFound | None:
    """ "Desde el 5 de marzo se corta … llamé el 9 y el 16": since when is when it began."""
    for index, clause in enumerate(clauses):
        if any(contains_phrase(normalise(clause), word) for word in dates.since_words):
            following = clauses[index + 1] if index + 1 < len(clauses) else ""
            if _OPENS_WITH_A_DAY.match(following):
                clause = f"{clause} {following}"  # "Seit Montag, 2. März": the date says which
            began = first_date(clause, today, dates)
            if began is not None and began.valid:
                return began
    return None


# A clause that opens with a day's number, maybe after an article ("2. März", "the 2nd").
_OPENS_WITH_A_DAY = re.compile(rf"\W*(?:\w{{1,3}}\s+)?{DAY_NUMBER}(?![\d:/]|\.\d)")


def any_date(text: str, today: date, dates: DateWords) -> DateFound | None:
    """The first date the text mentions, a date of buying included.

    For an answer to "when did it happen?": a customer who answers "bought it on 28 Feb" gives
    the only date they have.
    """
    text = without_some_weekdays(text, dates)
    if _one_day_or_another(text, dates) and corrected_date(text, today, dates) is None:
        return None
    text = _without_restated_weekday(text, today, dates)
    if (contrasted := _day_after_contrast(text, today, dates)) is not None:
        return contrasted
    whole = find_date(text, today, dates)
    opening = _first_sentences_day(text, whole, today, dates)
    return opening or whole or first_date(text, today, dates)


def _first_sentences_day(
    text: str, whole: DateFound | None, today: date, dates: DateWords
) -> DateFound | None:
    """In "This Monday, the 16th. Pawned it January 16th.", the day the answer opens with: an
    earlier day in the sentences after is the story before it. A later one may be the day put
    right ("Wednesday. Well, you changed it to Thursdays, so yesterday actually"), and a first
    sentence that is a day of buying gives way as it does anywhere. ``whole``: the day the
    whole answer gives (``find_date``), read once by the caller."""
    ends = _SENTENCE_END if dates.ordinal_dots else _SENTENCE_OR_DAY_END
    first, *rest = ends.split(text.strip(), maxsplit=1)
    if not rest or corrected_date(text, today, dates) is not None:
        return None
    if purchase_clauses(first, dates)[0]:
        return None
    found = find_date(first, today, dates)
    if found is None or not found.valid or found.value is None:
        return None
    if whole is None or whole.value is None or whole.value >= found.value:
        return None
    # "A week last Thursday. 5th I think it were. Aye, Thursday 5th": the opening's weekday
    # pinned to its day after, not a story before it.
    # A day of buying after it pins nothing ("samedi passé. Je les avais achetées le 28").
    same_weekday = whole.value.weekday() == found.value.weekday()
    bought_after = bool(purchase_clauses(rest[0], dates)[0])
    pinned = same_weekday and not bought_after and not any(c.isdigit() for c in first)
    return None if pinned else found


# Not the dot of a date ("am 16.03. war das", "am 5. März").
_SENTENCE_END = re.compile(r"(?<=[^\d\s])[.!?;]+\s+|\n+")
# Where a dot after a day's number is no ordinal, it ends the sentence before a word
# ("Mercredi, le 18. La carte avait expiré le 28 février").
_SENTENCE_OR_DAY_END = re.compile(rf"{_SENTENCE_END.pattern}|(?<=\d)[.!?;]+\s+(?=[^\W\d_])")


def _day_after_contrast(text: str, today: date, dates: DateWords) -> DateFound | None:
    """In "the wedding was the 28th but the gallery came Monday, the 16th", the day after
    the "but": one day on each side, and not the day it was found ("livrée le 14, mais vue
    le 15" keeps the 14th)."""
    if not dates.contrasts:
        return None
    turns = list(re.finditer(rf"(?<!\w)(?:{alternation(dates.contrasts)})(?!\w)", text, re.I))
    if not turns:
        return None
    before, after = text[: turns[-1].start()], text[turns[-1].end() :]
    if any(contains_phrase(normalise(after), word) for word in dates.discovery_words):
        return None
    one_each = all(
        len(days_named(SENTENCES.split(side), today, dates)) == 1 for side in (before, after)
    )
    if not one_each:
        return None
    found = find_date(after, today, dates) or first_date(after, today, dates)
    return found if found is not None and found.valid else None


def _without_restated_weekday(text: str, today: date, dates: DateWords) -> str:
    """The answer without a weekday that only restates its one calendar day's ("am 26.
    Februar, das war ein Donnerstag"; "c'est le 10 en fait, mardi"), which would otherwise
    read as the latest such weekday."""
    days = calendar_days(SENTENCES.split(text) + re.split(r",", text), today, dates)
    if len(days) != 1 or not dates.weekdays:
        return text
    weekday = next(iter(days)).weekday()
    names = alternation(name for name, day in dates.weekdays.items() if day == weekday)
    # Not one with its own day ("Tuesday the 10th"); nor one counted back with its own words
    # ("Thursday a week ago. The 12th", "samedi passé. Achetées le 28 février"), below.
    restated = rf"(?<!\w)(?:{names})(?!\w)(?![\W_]*(?:\w{{1,3}}[\W_]+)?\d)"
    # Only after the day it restates: in "mardi, pas lundi, le 17" the weekday is the answer.
    # Before it, only when the day is then said with that weekday ("El martes... el martes
    # 10, por la mañana") or no other weekday is named ("montag kam die. … 9.3.").
    dated = re.search(rf"(?<!\w)(?:{names})(?!\w)[\W_]*(?:\w{{1,3}}[\W_]+)?\d", text, re.I)
    others = alternation(name for name, day in dates.weekdays.items() if day != weekday)
    alone = dated or not re.search(rf"(?<!\w)(?:{others})(?!\w)", text, re.I)

    def without(match: re.Match[str]) -> str:
        clause = re.split(r"[.,;!?\n]", text[match.start() :], maxsplit=1)[0]
        if relative_date(words_of(clause, dates), today, dates, counted_back=True) is not None:
            return match[0]
        return " " if alone or re.search(r"\d", text[: match.start()]) else match[0]

    return re.sub(restated, without, text, flags=re.IGNORECASE)


def day_not_known(text: str, dates: DateWords) -> bool:
    """Whether an answer to "when?" opens by saying the day is not known ("keine ahnung, vor
    paar tagen halt"): a day after that is a guess the customer did not stand by."""
    words = normalise(text)
    return any(pattern(phrase).match(words) is not None for phrase in dates.not_known)


def day_guessed(text: str, dates: DateWords) -> bool:
    """Whether an answer to "when?" says the day is not known, then guesses ("no idea,
    sometime last week"): no day to file, but words staff should read."""
    words = normalise(text)
    for phrase in dates.not_known:
        if (opening := pattern(phrase).match(words)) is not None:
            return len(words[opening.end() :].split()) >= _GUESS_WORDS
    return False


# "No idea, sorry" declines; "no idea, sometime last week" guesses.
_GUESS_WORDS = 2
