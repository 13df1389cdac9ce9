"""Which day a weekday in an answer to "when?" means, against the days the complaint named.

"Le mardi" after "livré le mardi 10" is the 10th, not the latest Tuesday; "le dimanche après la
livraison" after "livré le jeudi 26 février" is the Sunday after the 26th. Whole dates are read in
``workflows/dates.py``.
"""

from __future__ import annotations

from datetime import date, timedelta

from workflows.date_readers import DateFound, first_date, words_of
from workflows.date_words import DateWords
from workflows.dates import days_gone_by, days_named
from workflows.phrases import normalise
from workflows.purchases import purchase_clauses


def weekday_told_of(answer: str, told: str, today: date, dates: DateWords) -> DateFound | None:
    """The day the complaint named with the weekday an answer to "when?" says alone ("le
    mardi" after "livraison le mardi 10"), not the latest such weekday; None when the answer
    says more than a weekday ("se me cayó ayer, me la hicieron el martes") or the complaint
    named no day, or two, with that weekday."""
    words = words_of(answer, dates).split()
    said = {dates.weekdays[word] for word in words if word in dates.weekdays}
    if len(said) != 1:
        return None
    weekday = said.pop()
    rest = " ".join(word for word in words if word not in dates.weekdays)
    if any(character.isdigit() for character in answer) or first_date(rest, today, dates):
        return None
    bought, others = purchase_clauses(told, dates)
    clauses = [
        clause
        for clause in bought + others
        if any(dates.weekdays.get(word) == weekday for word in words_of(clause, dates).split())
    ]
    # "el martes 10 … una ecografía el martes": the Tuesday with its number is the one meant.
    numbered = [clause for clause in clauses if any(c.isdigit() for c in clause)]
    named = {
        day for day in days_named(numbered or clauses, today, dates) if day.weekday() == weekday
    }
    return DateFound(named.pop(), valid=True) if len(named) == 1 else None


def weekday_after_told(answer: str, told: str, today: date, dates: DateWords) -> DateFound | None:
    """The first such weekday after the earliest day the complaint named, for an answer to
    "when?" that gives a weekday after something ("Le dimanche après la livraison" after
    "livré le jeudi 26 février"; "Am Sunntig nach em Service" after "am 3.3. zum Service");
    None when the answer gives a number, no weekday or two, or no word of "after"."""
    words = normalise(words_of(answer, dates)).split()
    at = [index for index, word in enumerate(words) if word in dates.weekdays]
    if len({words[index] for index in at}) != 1 or any(c.isdigit() for c in answer):
        return None
    # Right after the weekday: "im IC nach Bern" is no "after".
    soon = [" ".join(words[start:]) + " " for start in range(at[0] + 1, at[0] + _AFTER_REACH)]
    after = (*dates.after_day, *dates.next_day)
    if not any(following.startswith(f"{phrase} ") for following in soon for phrase in after):
        return None
    weekday = dates.weekdays[words[at[0]]]
    named = days_gone_by(told, today, dates)
    if not named:
        return None
    first = min(named)
    day = first + timedelta(days=(weekday - first.weekday() - 1) % 7 + 1)
    return DateFound(day, valid=True) if day <= today else None


# Words after a weekday within which "after" tells what it came after ("Sunday, the day after").
_AFTER_REACH = 3
