"""Days counted from the one a message names: asked about, not guessed (issue 14)."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import DateFound, any_date, certain_date, find_date
from workflows.vocabulary import Vocabulary

TODAY = date(2026, 3, 20)  # a Friday


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "got my screen replaced on 2 march, touch stopped working the next day"),
        ("de", "Der Router ist am 9.3. angekommen und hat gleich am nächsten Tag aufgegeben"),
        ("fr", "technicien venu le lundi 9 mars. Dès le lendemain matin, plus d'eau chaude"),
        ("es", "me la entregaron el martes 10 y al día siguiente tenía la herida abierta"),
        ("fr", "Mon fils devait passer son permis le 11, l'auto-école a annulé la veille"),
        ("en", "glasses I collected on 11/03/2026 have broken at the hinge, only 5 days after."),
        (
            "es",
            "El día 16 vino su técnico, y al día siguiente la caldera empezó a dar error. "
            "Llamé el 18 y me dan cita para el 2 de abril.",
        ),
        # A weekday or a weekend after the day named, how long after unsaid.
        ("en", "Serviced it on 3 March and the Sunday after the chain snapped"),
        ("en", "Serviced it on 3 March and the following Sunday the chain snapped"),
        ("de", "am 3.3. zum Service bracht, und scho am Sunntig druf isch d Chette grisse"),
        ("de", "war am 26. Feber da, am Wochenende drauf hat's uns es Wohnzimmer eingraucht"),
        ("fr", "révisé le 3 mars, et le dimanche suivant la chaîne a cassé"),
        ("es", "lo revisaron el 3 de marzo y el domingo siguiente se rompió"),
    ],
)
def test_a_day_counted_on_from_the_one_named_is_asked_about(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    # "The next day" after the day named may be when it broke, or only when the customer
    # rang: a verb apart, so the bot asks rather than records the wrong day.
    assert certain_date(text, TODAY, vocabularies[language].dates) is None


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        ("en", "It broke on 2 March and I rang you the next day", date(2026, 3, 2)),
        (
            "fr",
            "livré des croquettes pour chat le 17. Je les ai renvoyées le lendemain",
            date(2026, 3, 17),
        ),
        (
            "de",
            "Am 12. März kaputt gegangen, am nächsten Tag habe ich angerufen",
            date(2026, 3, 12),
        ),
    ],
)
def test_the_customers_own_step_the_next_day_leaves_the_day_named(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert certain_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        ("fr", "Je me suis blessé le samedi 7, 3 semaines d'arrêt", date(2026, 3, 7)),
        ("fr", "le 2e prélèvement il est passé le jeudi 12", date(2026, 3, 12)),
        ("de", "küche gekommen am 12.3 nein am 13. war freitag", date(2026, 3, 13)),
    ],
)
def test_numbers_beside_a_day_are_read_as_customers_mean_them(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    # A count after a weekday's own day is another number; "2e" counts; "nein" takes back.
    assert any_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)


@pytest.mark.parametrize(
    "text",
    [
        "The magician you sent to my son's 6th left after ten minutes",
        "booked the hall for his 40th",
        "cake for our 25th anniversary was wrong",
        # Whose, with the apostrophe left out.
        "booked a table for my mates 16th at dice & slice and u gave it away",
    ],
)
def test_an_ordinal_that_is_someones_age_or_anniversary_is_no_day(
    vocabularies: dict[str, Vocabulary], text: str
) -> None:
    assert find_date(text, TODAY, vocabularies["en"].dates) is None
