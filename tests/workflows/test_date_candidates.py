"""Which days a message names: the bot asks when it cannot know which went wrong (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import DateFound, certain_date, find_date
from workflows.vocabulary import Vocabulary

TODAY = date(2026, 3, 20)  # a Friday


@pytest.mark.parametrize(
    ("language", "text", "ahead"),
    [
        ("fr", "le vol est le 2 avril", date(2026, 4, 2)),
        ("fr", "le 25 mars", date(2026, 3, 25)),
        ("de", "am 25. März", date(2026, 3, 25)),
        ("es", "el vuelo es el 2 de abril", date(2026, 4, 2)),
    ],
)
def test_a_day_still_to_come_is_not_read_as_an_earlier_day_of_this_month(
    vocabularies: dict[str, Vocabulary], language: str, text: str, ahead: date
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) == DateFound(ahead, valid=False)


def test_an_american_date_still_to_come_the_british_way_is_the_day_just_past(
    vocabularies: dict[str, Vocabulary],
) -> None:
    english, german = vocabularies["en"].dates, vocabularies["de"].dates
    assert find_date("appt was 3/4, both charges hit same day", TODAY, english) == DateFound(
        date(2026, 3, 4), valid=True
    )
    assert find_date("on 12/3", TODAY, english) == DateFound(date(2026, 3, 12), valid=True)
    # German customers write the day first, always: 3 April is still to come.
    assert find_date("am 3/4", TODAY, german) == DateFound(date(2026, 4, 3), valid=False)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # A sentence ending in a number ends there: the 11th is a day of its own.
        (
            "en",
            "I had an eye test at your store on 2nd March and ordered specs, paid Rs 14,500. "
            "Collected on 11th. From that day itself I am getting headache.",
        ),
        # A day counted back from today beside a calendar day in the same clause.
        (
            "es",
            "La corona que me pusieron el 20 de febrero se me despegó anoche comiendo arepa.",
        ),
        ("en", "The boiler serviced on 3 March broke down again yesterday"),
    ],
)
def test_a_message_naming_two_days_leaves_the_question_to_ask(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert certain_date(text, TODAY, vocabularies[language].dates) is None


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # A weekday given with its date is that date, not last week's weekday as well.
        ("fr", "personne est venu le jeudi 12", date(2026, 3, 12)),
        ("es", "el lunes 16 no vino nadie", date(2026, 3, 16)),
        ("de", "Bin am 12. März kontrolliert worden. Dann musste ich zahlen.", date(2026, 3, 12)),
    ],
)
def test_one_day_named_once_is_certain(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert certain_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)
