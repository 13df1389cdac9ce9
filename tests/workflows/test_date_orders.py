"""Dates in digits read as the customer's country writes them, words that are no month, and
which of two days said comes first."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import DateFound, certain_date, find_date
from workflows.vocabulary import Vocabulary

TODAY = date(2026, 3, 20)  # a Friday


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
    ("text", "day"),
    [
        # The British reading is last October or next December; the American one is this month.
        ("on 3/10 you charged my card again", date(2026, 3, 10)),
        ("Statement dated 03/12/2026 shows the fee twice", date(2026, 3, 12)),
        # Read the British way a day just past stays: "2/3" is 2 March.
        ("they came on 2/3 and left a mess", date(2026, 3, 2)),
        # Either way round it is a year back: the day-first reading stands.
        ("the leak started on 10/12", date(2025, 12, 10)),
    ],
)
def test_in_a_first_message_a_date_a_year_off_one_way_is_this_months_the_other_way(
    vocabularies: dict[str, Vocabulary], text: str, day: date
) -> None:
    assert certain_date(text, TODAY, vocabularies["en"].dates) == DateFound(day, valid=True)


def test_french_customers_write_the_day_first_even_a_year_back(
    vocabularies: dict[str, Vocabulary],
) -> None:
    french = vocabularies["fr"].dates
    assert find_date("prélevé le 3/10", TODAY, french) == DateFound(date(2025, 10, 3), True)
    # Read so far back with no year, it is asked in a first message rather than taken.
    assert certain_date("prélevé le 3/10", TODAY, french) is None


def test_mar_is_the_sea_in_spanish_not_march(vocabularies: dict[str, Vocabulary]) -> None:
    spanish = vocabularies["es"].dates
    assert find_date("Apartamento Alcúdia Mar 4, reserva HX-20931", TODAY, spanish) is None


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # The weekday it went wrong, then "yesterday" when they went back: the story after it.
        ("es", "Me las hicieron el martes. Volví ayer y me dijeron que era la cerradura", 17),
        ("en", "It was Tuesday. I went back yesterday and they laughed at me", 17),
        ("de", "Gmacht am Mittwoch bei Ihnen. Heut auf da Gemeinde hams gsagt, zu groß", 18),
        # "Yesterday" said first is still the day.
        ("en", "Yesterday, and I'd been in on Tuesday already", 19),
        # Put right after a word of address, the later day is the one meant.
        ("en", "wednesday. no ma'am, it was yesterday, thursday", 19),
        # But a day said right before "actually" is the one meant.
        ("fr", "Mercredi normalement. Mais vous avez changé la tournée, donc hier en fait", 19),
        ("de", "Mittwoch normalerweise. Ihr habt das aber umgestellt, also gestern eigentlich", 19),
        # "Samstagmittag" and its Berlin spelling are a Saturday, like "Samstagabend".
        ("de", "Nachbar hat gesacht, Samstachmittach. Sonntach war ich dann da.", 14),
    ],
)
def test_a_weekday_said_before_yesterday_or_today_is_the_day_it_went_wrong(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: int
) -> None:
    found = find_date(text, TODAY, vocabularies[language].dates)
    assert found == DateFound(date(2026, 3, day), valid=True)
