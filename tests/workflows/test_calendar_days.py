"""Days named on the calendar that are not the day a complaint is about (issue 14)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.workflows.chat import Chat
from workflows.conversation import Field
from workflows.dates import DateFound, any_date, find_date
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "first"),
    [
        (
            "fr",
            "Bonjour, le domaine a annulé notre wedding du 13 juin par un simple mail, sans "
            "aucune explication.",
        ),
        (
            "es",
            "Se me quedó botada la motorina en plena Calzada de 10 de Octubre, con la batería "
            "nueva.",
        ),
        ("en", "The venue cancelled our wedding of 14 August by text, no reason given."),
    ],
)
def test_a_day_and_month_read_months_back_without_a_year_is_asked(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, first: str
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    chat.say(first)
    assert chat.conversation.answer(Field.WHEN) is None  # asked, not read months back


@pytest.mark.parametrize(
    ("first", "day"),
    [
        ("The boiler you serviced on 3 December has leaked ever since.", "2025-12-03"),
        ("You charged me twice on 13 June 2025 and never refunded it.", "2025-06-13"),
    ],
)
def test_a_day_months_back_is_taken_when_recent_enough_or_its_year_is_written(
    chat: Chat, first: str, day: str
) -> None:
    chat.say(first)
    assert chat.conversation.answer(Field.WHEN) == day


@pytest.mark.parametrize(
    ("language", "answer", "day"),
    [
        ("en", "It was on a Sunday, can't remember which", None),
        ("fr", "pendant les vacances de février, je l'ai récupéré un dimanche soir je crois", None),
        ("fr", "Je les ai récupérées mi-février. Un mercredi ou un jeudi.", None),
        ("de", "an einem Sonntag im Februar, genau weiß ich's nicht mehr", None),
        ("es", "fue un sábado, no sé cuál", None),
        # The weekday itself, or the last one, is a day.
        ("en", "It was last Sunday", date(2026, 3, 15)),
        ("fr", "dimanche soir", date(2026, 3, 15)),
        ("es", "el sábado", date(2026, 3, 14)),
    ],
)
def test_a_weekday_said_as_one_of_many_is_no_day(
    vocabularies: dict[str, Vocabulary], language: str, answer: str, day: date | None
) -> None:
    today = date(2026, 3, 20)  # a Friday
    expected = None if day is None else DateFound(day, valid=True)
    assert any_date(answer, today, vocabularies[language].dates) == expected


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # A weekday to come, or every such day, is no day gone by: the bot asks.
        ("en", "Wedding is next Saturday so time is short.", None),
        ("en", "BSL Level 1, Thursday evenings at the community centre", None),
        ("fr", "le mariage est samedi prochain", None),
        ("de", "die Hochzeit ist nächsten Samstag", None),
        ("de", "am kommenden Samstag ist die Feier", None),
        ("es", "la boda es el sábado que viene", None),
        ("es", "el curso de los martes y jueves", None),
        # Beside one, a day gone by is still read.
        ("en", "Broke on Tuesday, and the party is next Saturday", date(2026, 3, 17)),
        ("es", "la boda es el próximo sábado y se rompió el martes", date(2026, 3, 17)),
        ("en", "Sunday coming back from Ballito the oil light came on", date(2026, 3, 15)),
        # Said in dialect, a week back from a weekday is still the one before.
        ("de", "am Montag vor acht Tag", date(2026, 3, 9)),
        ("de", "Dat weer Dingsdag vör een Week.", date(2026, 3, 10)),
        ("de", "am Dienstag vor aner Wochn", date(2026, 3, 10)),
    ],
)
def test_a_weekday_to_come_or_every_week_is_no_day_gone_by(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date | None
) -> None:
    expected = None if day is None else DateFound(day, valid=True)
    assert find_date(text, date(2026, 3, 20), vocabularies[language].dates) == expected
