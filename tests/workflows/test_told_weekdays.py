"""A weekday in an answer to "when?" is read against the days the complaint named (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.date_readers import DateFound
from workflows.told_weekdays import weekday_after_told, weekday_told_of
from workflows.vocabulary import Vocabulary

TODAY = date(2026, 3, 20)  # a Friday


def test_a_weekday_in_an_answer_to_another_question_is_the_one_the_complaint_numbered(
    vocabularies: dict[str, Vocabulary],
) -> None:
    told = (
        "Llevé a mi gata a vuestra clínica el martes 10 porque no comía. El jueves 12 tuvimos "
        "que ir a urgencias. Si hubierais hecho una ecografía el martes..."
    )
    dates = vocabularies["es"].dates
    said = "La consulta de Kira, la del martes"
    assert weekday_told_of(said, told, TODAY, dates) == DateFound(date(2026, 3, 10), valid=True)
    assert weekday_told_of("el martes o el jueves", told, TODAY, dates) is None
    assert weekday_told_of("el martes 17", told, TODAY, dates) is None


@pytest.mark.parametrize(
    ("language", "told", "answer", "day"),
    [
        (
            "fr",
            "Le canapé m'a été livré le jeudi 26 février et, dès le dimanche suivant, il a déteint",
            "Le dimanche après la livraison, je ne sais plus la date exacte",
            date(2026, 3, 1),
        ),
        (
            "en",
            "Bought the dryer on Paddy's Day. It blew the fuse the first time I used it.",
            "Wednesday, the day after Paddy's Day",
            date(2026, 3, 18),
        ),
        # "nach" here is "to": no day after anything, so the answer is read alone.
        (
            "de",
            "Mein Abo ist am 1. März abgelaufen, obwohl ich am 14. Februar bezahlt habe.",
            "Die Kontrolle war am Dienstag, im IC nach Bern",
            None,
        ),
        ("fr", "Livré le jeudi 26 février, taché dès le dimanche", "le dimanche 1er mars", None),
    ],
)
def test_a_weekday_after_something_is_the_first_such_day_after_the_day_the_complaint_named(
    vocabularies: dict[str, Vocabulary], language: str, told: str, answer: str, day: date | None
) -> None:
    found = weekday_after_told(answer, told, TODAY, vocabularies[language].dates)
    assert found == (DateFound(day, valid=True) if day else None)
