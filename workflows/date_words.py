"""A language's words for when something happened, as read from its vocabulary.toml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property

from workflows.holidays import Holiday
from workflows.phrases import alternation, normalise, phrase_set


@dataclass(frozen=True, slots=True)
class DateFound:
    """A date read from text; ``valid`` is False for a real-looking date that cannot be right."""

    value: date | None
    valid: bool


# Words this short are articles and prepositions ("por la", "am", "on the"), not a thing.
_SMALL_WORD = 3


@dataclass(frozen=True)
class DateWords:
    """A language's words for when something happened, all normalised."""

    months: Mapping[str, int]
    weekdays: Mapping[str, int]
    days_ago: Mapping[str, int]
    last_words: frozenset[str]
    ago_words: frozenset[str]
    day_units: frozenset[str]
    week_units: frozenset[str]
    day_first: bool = True
    # "the next day", "le lendemain": the day after the one named.
    next_day: frozenset[str] = frozenset()
    # "the day before", "la veille": the day before the one named.
    day_before: frozenset[str] = frozenset()
    # "later", "später": after a count of days ("2 days later"), that many days after.
    later_words: frozenset[str] = frozenset()
    # "the Sunday after", "le dimanche suivant", "am Wochenende drauf": a day after the one
    # named, how long after unsaid. Words after a weekday, words before one, and whole phrases.
    after_weekday: frozenset[str] = frozenset()
    before_weekday: frozenset[str] = frozenset()
    counted_on: frozenset[str] = frozenset()
    # "not the 21st", "pas le 10": the day after them is not the one.
    not_days: frozenset[str] = frozenset()
    # Written both ways by the language's customers ("3/4" in Leeds and in Ohio): a day and
    # month still to come, read the other way round, is a day just past.
    either_order: bool = False
    # In a first message a day soon ahead is a day to come ("my flight on 3/4"), so only a
    # day a year back is read the other way round there ("on 3/10 you charged my card").
    soon_is_ahead: bool = False
    # "sorry, I meant the 12th": what follows is the date meant.
    corrections: frozenset[str] = frozenset()
    # "so yesterday actually", "le 12 en fait": a day said right before these is the one meant.
    corrections_after: frozenset[str] = frozenset()
    # "last Saturday, no, the one before": the weekday taken back, a week earlier.
    week_earlier: frozenset[str] = frozenset()
    # "due on", "prévue le": the day after them is to come, not the last such day past.
    ahead_words: frozenset[str] = frozenset()
    # "to this day", "bis heute", "hasta hoy": up to now, not a day it went wrong.
    until_now: frozenset[str] = frozenset()
    # "bought", "installed", and the report words: a date beside them is not when it went wrong.
    purchase_words: frozenset[str] = frozenset()
    # "reported it", "sent it back": after it went wrong; a day before them may be when it did.
    report_words: frozenset[str] = frozenset()
    # "booked a viewing for 2pm on Wednesday": a date after these, past a word of buying, is
    # the day it was for (when it went wrong), not the day of buying.
    booked_for: frozenset[str] = frozenset()
    # Words that start a new clause ("and", "but", "y", "und"): a purchase word reaches no further.
    clause_words: frozenset[str] = frozenset()
    # Days people name instead of dates ("valentine's day", "rosenmontag").
    holidays: Mapping[str, Holiday] = field(default_factory=dict)
    # Number words ("two weeks ago", "vor ner Woche", "el primero de marzo").
    numbers: Mapping[str, int] = field(default_factory=dict)
    # "the Tuesday before last"; "last month" (on the 14th); "this month" (on the 2nd).
    before_last: frozenset[str] = frozenset()
    previous_month: frozenset[str] = frozenset()
    this_month: frozenset[str] = frozenset()
    # "la nuit de mardi à mercredi": a night named by its two days, and the words that say
    # it was after midnight ("madrugada"; an hour before six says so in any language).
    nights: frozenset[str] = frozenset()
    night_joins: frozenset[str] = frozenset()
    small_hours: frozenset[str] = frozenset()
    # "Monday last week", "jeudi de la semaine passée": that weekday of the week before this.
    week_before: frozenset[str] = frozenset()
    # Words before a bare number that make it a day of this month ("am 3.", "el 2").
    day_marks: frozenset[str] = frozenset()
    # Whether "12.03" (no last dot) is a date: where a dot is never a decimal point (German).
    bare_dotted: bool = False
    # Whether a dot after a day's number makes it an ordinal ("am 2. Januar", German): where
    # not, "desde el día 3. Lo avisé el 4" is two sentences.
    ordinal_dots: bool = False
    # Words between a weekday and its day of the month ("Mittwoch, der 11.", "the 7th").
    day_articles: frozenset[str] = frozenset()
    # Words of finding out ("noticed", "gesehen", "me di cuenta"): a day said with them is
    # when the customer saw the problem, not when it happened, if another day is named.
    discovery_words: frozenset[str] = frozenset()
    # "since": a date after it is when the trouble began ("seit 4 Tagen", "desde el 5").
    since_words: frozenset[str] = frozenset()
    # Openings that say the day is not known ("no idea, sometime last month"): whatever day
    # follows is a guess, and the question is skipped.
    not_known: frozenset[str] = frozenset()
    # A stay from one day to another ("du 13 au 15 mars"): its days are not when it went wrong.
    range_from: frozenset[str] = frozenset()
    range_to: frozenset[str] = frozenset()
    # Words after an ordinal that make it a count, not a day ("the 3rd time").
    counted: frozenset[str] = frozenset()
    # Words just before an ordinal that make it someone's age or anniversary ("my daughter's
    # 5th", "his 40th"), not a day of the month.
    owners: frozenset[str] = frozenset()
    # The language's code, for dateparser.
    # "or" and its kind: "Saturday or Sunday" is no one day.
    alternatives: frozenset[str] = frozenset()
    # "the Monday before Fat Tuesday", "le jeudi après le mercredi des Cendres": a weekday
    # before or after a named day is the nearest such weekday on that side of it.
    before_day: frozenset[str] = frozenset()
    after_day: frozenset[str] = frozenset()
    # "Family Day weekend", "le pont de la Toussaint": words after or before a named day that
    # make it the days around it, not the day itself.
    spans_after: frozenset[str] = frozenset()
    spans_before: frozenset[str] = frozenset()
    # "but", "mais": in an answer to "when?", a day after one is the day meant ("the wedding
    # was the 28th but the gallery came Monday, the 16th").
    contrasts: frozenset[str] = frozenset()
    language: str = "en"
    # "sat", "sun", "mon": weekdays only in a short answer to "when?" ("I sat", "c'mon").
    answer_weekdays: Mapping[str, int] = field(default_factory=dict)
    # "on sat", "this sun": words before one besides "last" and a day's article.
    answer_weekday_leads: frozenset[str] = frozenset()
    # Words one slip from a weekday that are words of their own ("partes", "sundae"): never
    # read as a mistyped weekday.
    weekday_lookalikes: frozenset[str] = frozenset()
    # "un dimanche soir je crois", "on a Sunday", "an einem Montag": a weekday after these is
    # some such day, not the last one.
    some_weekday: frozenset[str] = frozenset()
    # "next Saturday", "every Thursday", "el próximo sábado": a weekday after these is one to
    # come or every such day; "samedi prochain", "Thursday evenings": one before these.
    coming_weekday: frozenset[str] = frozenset()
    weekday_coming: frozenset[str] = frozenset()

    def weekday_named(self, words: str) -> int | None:
        """The first weekday normalised words name, if any."""
        said = re.search(rf"\b({alternation(self.weekdays)})\b", words) if self.weekdays else None
        return None if said is None else self.weekdays[said[1]]

    @cached_property
    def _day_tokens(self) -> frozenset[str]:
        named = (
            self.months, self.weekdays, self.days_ago, self.last_words, self.ago_words,
            self.day_units, self.week_units, self.numbers, self.day_articles, self.holidays,
            self.small_hours, self.nights, self.before_last, self.week_before, self.day_marks,
        )  # fmt: skip
        return frozenset(word for phrases in named for phrase in phrases for word in phrase.split())

    @cached_property
    def in_a_short_answer(self) -> DateWords:
        """These words as a short answer to "when?" reads them: "last sat" names a day."""
        return replace(self, weekdays={**self.weekdays, **self.answer_weekdays})

    def clips_a_weekday(self, words: str) -> bool:
        """Whether normalised words open with a clipped weekday or say one after a word for
        "last", a day's article or a lead ("sat night", "last sun", "on sat"), not after a
        subject ("I sat")."""
        said = words.split()
        leads = self.last_words | self.day_articles | self.answer_weekday_leads
        return any(
            word in self.answer_weekdays and (at == 0 or said[at - 1] in leads)
            for at, word in enumerate(said)
        )

    def only_day_words(self, words: str) -> bool:
        """Whether normalised words say a day and nothing else ("ayer por la tarde", "hier
        soir", not "Sunday roast"): each word longer than three letters is a word for a day."""
        return all(len(word) <= _SMALL_WORD or word in self._day_tokens for word in words.split())

    def owned(self, before: str) -> bool:
        """Whether the words before an ordinal make it someone's ("my daughter's 5th")."""
        words = before.split()
        if len(words) >= 2 and words[-2] in self.owners and len(words[-1]) > 3:
            # "my mates 16th", "his sons 18th": whose, with the apostrophe left out.
            return words[-1].endswith("s")
        return bool(words) and words[-1] in self.owners

    @staticmethod
    def from_mapping(data: Mapping[str, object], language: str = "en") -> DateWords:
        """The date words of a parsed vocabulary.toml."""

        def numbered(value: object) -> dict[str, int]:
            if not isinstance(value, dict):
                raise ValueError(f"expected a table of numbers, got {value!r}")
            return {normalise(str(key)): int(number) for key, number in value.items()}

        def listed(key: str) -> frozenset[str]:
            return phrase_set(data.get(key, []))

        holidays = data.get("holidays", {})
        if not isinstance(holidays, dict):
            raise ValueError("[holidays] must be a table")
        return DateWords(
            months=numbered(data["months"]),
            weekdays=numbered(data["weekdays"]),
            answer_weekdays=numbered(data.get("answer_weekdays", {})),
            answer_weekday_leads=listed("answer_weekday_leads"),
            weekday_lookalikes=listed("weekday_lookalikes"),
            some_weekday=listed("some_weekday"),
            coming_weekday=listed("coming_weekday"),
            weekday_coming=listed("weekday_coming"),
            days_ago=numbered(data["days_ago"]),
            last_words=phrase_set(data["last_words"]),
            ago_words=phrase_set(data["ago_words"]),
            day_units=phrase_set(data["day_units"]),
            week_units=phrase_set(data["week_units"]),
            day_first=bool(data.get("day_first", True)),
            either_order=data.get("either_order", False) is True,
            next_day=listed("next_day"),
            day_before=listed("day_before"),
            later_words=listed("later_words"),
            after_weekday=listed("after_weekday"),
            before_weekday=listed("before_weekday"),
            counted_on=listed("counted_on"),
            not_days=listed("not_days"),
            corrections=listed("corrections"),
            corrections_after=listed("corrections_after"),
            week_earlier=listed("week_earlier"),
            ahead_words=listed("ahead_words"),
            until_now=listed("until_now"),
            purchase_words=listed("purchase_words") | listed("report_words"),
            report_words=listed("report_words"),
            booked_for=listed("booked_for"),
            clause_words=listed("clause_words"),
            contrasts=listed("contrasts"),
            before_day=listed("before_day"),
            after_day=listed("after_day"),
            spans_after=listed("spans_after"),
            spans_before=listed("spans_before"),
            holidays={normalise(str(k)): Holiday.parse(str(v)) for k, v in holidays.items()},
            numbers=numbered(data.get("numbers", {})),
            before_last=listed("before_last"),
            previous_month=listed("previous_month"),
            this_month=listed("this_month"),
            week_before=listed("week_before"),
            nights=listed("nights"),
            night_joins=listed("night_joins"),
            small_hours=listed("small_hours"),
            day_marks=listed("day_marks"),
            day_articles=listed("day_articles"),
            bare_dotted=data.get("bare_dotted_dates", False) is True,
            ordinal_dots=data.get("ordinal_dots", False) is True,
            discovery_words=listed("discovery_words"),
            counted=listed("counted"),
            owners=listed("owners"),
            since_words=listed("since_words"),
            not_known=listed("not_known"),
            range_from=listed("range_from"),
            range_to=listed("range_to"),
            alternatives=listed("alternatives"),
            language=language,
        )
