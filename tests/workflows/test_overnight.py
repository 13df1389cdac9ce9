"""A night named by its two days is the evening's, or in the small hours the morning's."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import DateFound, any_date
from workflows.vocabulary import Vocabulary

# Friday 20 March 2026.
TODAY = date(2026, 3, 20)


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        (
            "fr",
            "Nuit de mardi à mercredi. J'ai appelé à 2h du matin, trois fois.",
            date(2026, 3, 18),
        ),
        ("fr", "dans la nuit du samedi au dimanche vers 23h", date(2026, 3, 14)),
        ("fr", "la nuit de mardi à mercredi", date(2026, 3, 17)),
        ("de", "in der Nacht von Sonntag auf Montag, um 2:30 Uhr war das", date(2026, 3, 16)),
        ("de", "Nacht von Sonntag auf Montag", date(2026, 3, 15)),
        ("es", "la madrugada del domingo pa' lunes", date(2026, 3, 16)),
        ("es", "la noche del sábado al domingo, a las 11", date(2026, 3, 14)),
        ("en", "the night of Sunday into Monday, about 3am", date(2026, 3, 16)),
        ("en", "overnight Sunday into Monday", date(2026, 3, 15)),
    ],
)
def test_a_night_is_its_evening_unless_an_hour_puts_it_after_midnight(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)
