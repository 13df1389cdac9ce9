"""Weekdays typed with one slip, and the words of each language that only look like one."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import DateFound, find_date
from workflows.vocabulary import Vocabulary

# Friday 20 March 2026.
TODAY = date(2026, 3, 20)


def valid(year: int, month: int, day: int) -> DateFound:
    return DateFound(date(year, month, day), valid=True)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # Slips: a letter changed, dropped, swapped or typed twice; "saturdays" is another word.
        ("en", "on tuesdy the left arm snapped clean off", valid(2026, 3, 17)),
        ("fr", "c'était samdi passé", valid(2026, 3, 14)),
        ("de", "das Schreiben kam am Dienstga per Post", valid(2026, 3, 17)),
        ("en", "we work saturdays", None),
        ("de", "am Monntag war die Heizung kalt", valid(2026, 3, 16)),
        # Words of their own one slip from a weekday (Bavarian "of course"; "taken out", "parts").
        ("de", "freilich, des war a Schmarrn", None),
        ("es", "he sacado las partes rotas", None),
    ],
)
def test_a_weekday_typed_with_one_slip_is_read_and_a_word_like_one_is_not(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: DateFound | None
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # A weekday says which way round a date in digits is meant.
        ("es", "lo trajeron el viernes 3/6 en la tarde", valid(2026, 3, 6)),
        ("en", "on Friday 6/3 it stopped", valid(2026, 3, 6)),
        ("en", "truck was meant to come out a wk ago today, still no show", valid(2026, 3, 13)),
    ],
)
def test_a_weekday_beside_a_date_in_digits_says_which_way_round_it_runs(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: DateFound | None
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) == expected
