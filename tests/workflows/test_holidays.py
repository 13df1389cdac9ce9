"""Days customers name instead of dates, movable feasts reckoned for the year (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import DateFound, any_date, find_date
from workflows.holidays import Holiday
from workflows.vocabulary import Vocabulary

TODAY = date(2026, 3, 20)  # a Friday; Easter Sunday 2026 is 5 April


@pytest.mark.parametrize(
    ("rule", "year", "day"),
    [
        ("02-14", 2026, date(2026, 2, 14)),
        ("easter-47", 2026, date(2026, 2, 17)),  # Shrove Tuesday
        ("easter-47", 2025, date(2025, 3, 4)),
        ("easter+1", 2026, date(2026, 4, 6)),
        ("3 mon 02", 2026, date(2026, 2, 16)),  # Presidents' Day
        ("4 thu 11", 2025, date(2025, 11, 27)),  # Thanksgiving
        ("last mon 05", 2026, date(2026, 5, 25)),  # Memorial Day
        ("02-29", 2025, None),
    ],
)
def test_a_rule_gives_the_day_in_each_year(rule: str, year: int, day: date | None) -> None:
    assert Holiday.parse(rule).in_year(year) == day


@pytest.mark.parametrize("rule", ["14-02", "02-30", "easter*2", "5 mon 02", "1 mon 13", ""])
def test_a_rule_that_names_no_day_is_refused_when_the_vocabulary_loads(rule: str) -> None:
    with pytest.raises(ValueError, match="holiday rule"):
        Holiday.parse(rule)


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        ("en", "overcharged at your Denver location on Presidents' Day", date(2026, 2, 16)),
        ("en", "It was Easter Monday", date(2025, 4, 21)),  # this year's is still to come
        ("de", "Mer wore an Wieverfastelovend op dr Brauereiführung", date(2026, 2, 12)),
        ("de", "Der Monteur war am Faschingsdienstag da", date(2026, 2, 17)),
        ("fr", "le livreur est passé le mardi gras", date(2026, 2, 17)),
        ("fr", "le soir de la mi-carême, vers 21h à Trinité", date(2026, 3, 12)),
        ("es", "fue el miércoles de ceniza por la tarde", date(2026, 2, 18)),
        ("de", "Geschter am Morge isch's mer ufgfalle", date(2026, 3, 19)),
        # The British Mother's Day, the fourth Sunday of Lent.
        ("en", "Mother's Day morning, flat again before I got to Clevedon", date(2026, 3, 15)),
    ],
)
def test_a_named_day_is_its_latest_date_not_after_today(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        (
            "en",
            "The Monday before Fat Tuesday the lady put an acid peel on my face",
            date(2026, 2, 16),
        ),
        ("en", "the Thursday after Ash Wednesday", date(2026, 2, 19)),
        ("fr", "Le jeudi juste après le Mercredi des Cendres, fin du carnaval", date(2026, 2, 19)),
        ("de", "am Samstag vor Rosenmontag", date(2026, 2, 14)),
        ("es", "el martes después del miércoles de ceniza", date(2026, 2, 24)),
    ],
)
def test_a_weekday_before_or_after_a_named_day_is_the_nearest_on_that_side(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # People named after a feast are not the feast.
        ("fr", "Moi c'est Pierre-Toussaint et ma femme c'est Laetitia !", None),
        ("fr", "Jean-Noël, votre livreur, a laissé le colis dehors", None),
        # The feast of a saint, hyphened, is the feast.
        ("fr", "le gâteau de la Saint-Valentin", date(2026, 2, 14)),
        ("fr", "pendant la Toussaint", date(2025, 11, 1)),
        # A weekday with a feast that falls on it is that day.
        ("es", "me pusisteis la fibra el sábado del Día de Andalucía", date(2026, 2, 28)),
        # St Joseph's day in Bavaria and Tyrol.
        ("de", "Hab am Josefi bei enk Ski ausgliehn", date(2026, 3, 19)),
        # The day before or after one, or a count of days.
        ("de", "Am Tog vor Josefi bin i kemmen", date(2026, 3, 18)),
        ("en", "the day after Valentine's Day", date(2026, 2, 15)),
        ("de", "drei Tage vor Rosenmontag", date(2026, 2, 13)),
    ],
)
def test_a_feast_is_its_day_and_a_person_named_after_one_is_none(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date | None
) -> None:
    expected = None if day is None else DateFound(day, valid=True)
    assert any_date(text, TODAY, vocabularies[language].dates) == expected


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "I rented skis at your shop over the Family Day long weekend, binding released"),
        ("en", "The weekend of Valentine's the DJ never showed"),
        ("fr", "pendant le pont de la Toussaint, le chauffage est tombé en panne"),
        ("de", "übers Wochenende nach Rosenmontag hat keiner die Anlage gewartet"),
        ("es", "en el puente de la Constitución se nos rompió la caldera"),
        # A market named after a feast runs for weeks.
        ("fr", "j'ai tenu un chalet au marché de Noël en décembre, on me retient la caution"),
    ],
)
def test_the_days_around_a_named_day_are_no_one_day_so_the_customer_is_asked(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) is None


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        ("en", "It was the Sunday of the Family Day long weekend", date(2026, 2, 15)),
        ("en", "Thanksgiving weekend, the Saturday", date(2025, 11, 29)),
        ("fr", "le samedi du pont de l'Ascension", date(2025, 5, 31)),
        ("fr", "le week-end de la Toussaint, le dimanche", date(2025, 11, 2)),
        ("es", "el lunes del puente de la Constitución", date(2025, 12, 8)),
    ],
)
def test_a_weekday_said_with_the_days_around_a_named_day_is_that_day_of_them(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)
