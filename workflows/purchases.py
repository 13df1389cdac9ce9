"""Clauses that tell of buying, ordering, installing or reporting: their days are not the
fault's ("bought on the 2nd, broke yesterday"), unless a day is what was booked for."""

from __future__ import annotations

import re
from datetime import date

from workflows.date_readers import DateFound, date_words, first_date
from workflows.date_words import DateWords
from workflows.phrases import alternation, longest_first, normalise, pattern, phrase_matches

__all__ = ["of_buying", "past_purchase", "purchase_clauses"]


def past_purchase(clause: str, today: date, dates: DateWords) -> str:
    """The clause without its word of buying and the few words after it (its date)."""
    words = normalise(clause)
    for phrase in longest_first(dates.purchase_words):
        match = pattern(phrase).search(words)
        if match is not None:
            after = words[match.end() :].split()
            bought_on = first_date(" ".join(after), today, dates)
            # Drop words after "bought" until its date is gone ("on the 28th of February").
            reach = min(len(after), _PURCHASE_REACH)
            cut = next(
                (
                    cut
                    for cut in range(1, reach + 1)
                    if first_date(" ".join(after[cut:]), today, dates) != bought_on
                ),
                reach,
            )
            # And the rest of its words: "installed the day before yesterday" left "before
            # yesterday", and "First reported it on 2nd March" left "first march", other days.
            rest = date_words(dates) | dates.before_day
            while cut < len(after):
                now = first_date(" ".join(after[cut:]), today, dates)
                if now == bought_on or not (
                    after[cut] in rest or _remnant(now, after[cut:], today, dates)
                ):
                    break
                cut += 1
            return " ".join([words[: match.start()], *after[cut:]]) if after else words
    return words


# Most words after "bought", "installed" that can hold the date of buying.
_PURCHASE_REACH = 8


def _remnant(read: DateFound | None, words: list[str], today: date, dates: DateWords) -> bool:
    """Whether the day ``read`` from the words is what is left of the day of buying's words,
    gone a word or two further on: "achetées il y a quinze jours" cut to "y a quinze jours"
    reads fifteen days back, not the fortnight said."""
    return read is not None and any(
        first_date(" ".join(words[skip:]), today, dates) is None
        for skip in range(1, _REMNANT_REACH + 1)
    )


# Words of a day of buying's phrase that can be left once its first words are cut.
_REMNANT_REACH = 2


def purchase_clauses(text: str, dates: DateWords) -> tuple[list[str], list[str]]:
    """The clauses that speak of buying, ordering or installing, and the others."""
    joins = alternation(dates.clause_words)
    # A dot or comma ends a clause only before a space: "12.03.2026" and "49,99" are one; so
    # is "am 2. Januar" where a dot after a number is an ordinal's.
    # A bracket holds an aside ("mon chat (vacciné le 11) ne mangeait plus"); a comma and a
    # space end a clause after a number too ("le 9, envoi 32XB…, il est revenu").
    dot = r"(?<!\d)\." if dates.ordinal_dots else r"\."
    breaks = rf"[;!?()\n]+|{dot}(?=\s|$)|,(?=\s|$)" + (
        rf"|(?<!\w)(?:{joins})(?!\w)" if joins else ""
    )
    text = _SENTENCE_AFTER_NUMBER.sub(
        lambda m: m[0] if m[2].casefold() in dates.months else f"{m[1]};{m[2]}", text
    )
    if dates.ordinal_dots:
        openers = {*dates.day_marks, *dates.clause_words}
        text = _SENTENCE_AFTER_DAY.sub(
            lambda m: f"{m[1]};{m[2]}" if m[2].casefold() in openers else m[0], text
        )
    text = _with_weekdays_dated(text, dates)
    clauses = [c for c in re.split(breaks, text, flags=re.IGNORECASE) if c and c.strip()]
    bought = [c for c in clauses if of_buying(c, dates)]
    return bought, [c for c in clauses if c not in bought]


def _with_weekdays_dated(text: str, dates: DateWords) -> str:
    """The text with no comma between a weekday and its day ("the Wednesday, the 11th",
    "mercredi, le 11"): one day said twice, not two clauses."""
    if not dates.weekdays:
        return text
    articles = alternation(dates.day_articles)
    article = rf"(?:(?:{articles})\s+)?" if articles else ""
    weekday = alternation(dates.weekdays)
    return re.sub(rf"\b({weekday}),(\s+{article}\d)", r"\1\2", text, flags=re.IGNORECASE)


# A sentence that ends in a number of three digits or more ("paid Rs 14,500. Collected on
# 11th"): the next starts with a capital that is not a month's. A day's number and a dot
# before a capital is a German ordinal ("am 2. Januar", "am 2. Weihnachtsfeiertag").
_SENTENCE_AFTER_NUMBER = re.compile(r"(\d{3}\.)\s+([A-ZÀ-ÖØ-Þ]\w*)")
# "am Samstag, den 7. Am Dienstag ging er ein": a day's dot before a capitalised word that
# opens a clause ("Am", "Dann") ends the sentence; before a noun ("am 2. Januar") it does not.
_SENTENCE_AFTER_DAY = re.compile(r"\b(\d{1,2}\.)\s+([A-ZÀ-ÖØ-Þ]\w*)")

# Words after a clause's date within which a word of buying is about that date ("le 2 mars
# payé"); further on it is about something else ("le 11 mars vous avez remplacé notre hôtel
# par un 3 étoiles au lieu du 4 étoiles payé").
_BOUGHT_AFTER = 3

# A word cut short before an apostrophe ("j'", "qu'", "l'").
_ELIDED = re.compile(r"[a-z]|qu")


def of_buying(clause: str, dates: DateWords, *, reports: bool = True) -> bool:
    """Whether a clause tells of buying, ordering or installing (its date is not the fault's);
    with ``reports``, of reporting or sending back too."""
    words = normalise(clause)
    said = dates.purchase_words if reports else dates.purchase_words - dates.report_words
    found = [m for w in said for m in phrase_matches(words, w)]
    if not found:
        return False
    tokens = words.split()
    following = [*tokens[1:], ""]
    dated = next(
        (
            i
            for i, (token, after) in enumerate(zip(tokens, following, strict=True))
            if (any(c.isdigit() for c in token) or token in dates.months)
            # "the 2nd visit was booked for Wednesday": a count, not the clause's date
            and after not in dates.counted
        ),
        None,
    )
    # "paid for" and "paid" both start here: the longer is what was said.
    first = min(found, key=lambda match: (match.start(), -match.end()))
    first_word = len(words[: first.start()].split())
    after_it = len(words[: first.end()].split())
    if dated is None:
        # "booked for the day before yesterday": the day it was for, not a day of buying
        next_word = tokens[after_it] if after_it < len(tokens) else ""
        return next_word not in dates.booked_for
    if after_it < dated and set(tokens[after_it:dated]) & dates.booked_for:
        return False  # "booked a table for Saturday the 14th": the day it was for
    # Words as written: "j'ai" is one, though read as two.
    elided = sum(1 for token in tokens[dated:first_word] if _ELIDED.fullmatch(token))
    return first_word - elided <= dated + _BOUGHT_AFTER
