"""Reading when it happened from what customers write, in each language."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workflows.dates import DateFound, any_date, certain_date, find_date
from workflows.vocabulary import Vocabulary

# Friday 20 March 2026 (the weekday matters for "last monday").
TODAY = date(2026, 3, 20)


def invalid(year: int, month: int, day: int) -> DateFound:
    return DateFound(date(year, month, day), valid=False)


def valid(year: int, month: int, day: int) -> DateFound:
    return DateFound(date(year, month, day), valid=True)


def test_the_fixed_today_is_a_friday() -> None:
    assert TODAY.strftime("%A") == "Friday"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "c'était hier", valid(2026, 3, 19)),
        ("fr", "avant-hier soir", valid(2026, 3, 18)),
        ("fr", "le 3 mars", valid(2026, 3, 3)),
        ("fr", "le 1er mars 2026", valid(2026, 3, 1)),
        ("fr", "mardi dernier", valid(2026, 3, 17)),
        ("fr", "il y a trois jours", valid(2026, 3, 17)),
        ("fr", "il y a 2 semaines", valid(2026, 3, 6)),
        ("de", "gestern Abend", valid(2026, 3, 19)),
        ("de", "am 3. März", valid(2026, 3, 3)),
        ("de", "letzten Dienstag", valid(2026, 3, 17)),
        ("de", "vor 3 Tagen", valid(2026, 3, 17)),
        ("de", "vor zwei Wochen", valid(2026, 3, 6)),
        ("es", "ayer por la tarde", valid(2026, 3, 19)),
        ("es", "el 3 de marzo de 2026", valid(2026, 3, 3)),
        ("es", "el martes pasado", valid(2026, 3, 17)),
        ("es", "hace 3 días", valid(2026, 3, 17)),
    ],
)
def test_dates_are_read_in_the_customers_language(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: DateFound
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", valid(2026, 3, 14)),
        ("it happened on 2025-12-01 at noon", valid(2025, 12, 1)),
        # Day first: 03/04/2026 is 3 April 2026 in the shipped (British) vocabulary... which
        # is after today, so see the future-date test; 03/02/2026 is 3 February.
        ("03/02/2026", valid(2026, 2, 3)),
        ("on 5/1/2026", valid(2026, 1, 5)),
        ("14.03.2026", valid(2026, 3, 14)),
        ("14/03/26", valid(2026, 3, 14)),
        ("14 March", valid(2026, 3, 14)),
        ("the 14th of March", valid(2026, 3, 14)),
        ("March 14th", valid(2026, 3, 14)),
        ("mar 2nd", valid(2026, 3, 2)),
        ("1 March 2024", valid(2024, 3, 1)),
        ("yesterday", valid(2026, 3, 19)),
        ("The day before yesterday", valid(2026, 3, 18)),
        ("today", valid(2026, 3, 20)),
        ("3 days ago", valid(2026, 3, 17)),
        ("about 2 weeks ago", valid(2026, 3, 6)),
        ("last monday", valid(2026, 3, 16)),
        ("Last Friday", valid(2026, 3, 13)),
        ("on wednesday", valid(2026, 3, 18)),
    ],
)
def test_dates_are_read_in_the_forms_customers_write(
    vocab: Vocabulary, text: str, expected: DateFound
) -> None:
    assert find_date(text, TODAY, vocab.dates) == expected


def test_day_first_numeric_date_means_day_then_month(vocab: Vocabulary) -> None:
    found = find_date("03/04/2026", date(2026, 6, 1), vocab.dates)
    assert found == valid(2026, 4, 3)


def test_a_month_first_locale_reads_month_then_day(vocab: Vocabulary) -> None:
    american = replace(vocab.dates, day_first=False)
    assert find_date("03/04/2026", date(2026, 6, 1), american) == valid(2026, 3, 4)


@pytest.mark.parametrize("text", ["04/05/2026", "2026-12-25", "25 December 2026", "on 21/03/26"])
def test_a_date_in_the_future_is_reported_invalid(vocab: Vocabulary, text: str) -> None:
    found = find_date(text, TODAY, vocab.dates)
    assert found is not None
    assert found.valid is False


@pytest.mark.parametrize("text", ["31/02/2026", "2026-02-30", "31 April", "0/3/2026"])
def test_an_impossible_date_is_reported_invalid(vocab: Vocabulary, text: str) -> None:
    assert find_date(text, TODAY, vocab.dates) == DateFound(None, valid=False)


def test_a_month_without_a_year_that_would_be_in_the_future_is_last_year(
    vocab: Vocabulary,
) -> None:
    assert find_date("3 December", TODAY, vocab.dates) == valid(2025, 12, 3)
    assert find_date("on the 25th of this month", TODAY, vocab.dates) == DateFound(
        date(2026, 3, 25), valid=False
    )
    # A day only days ahead is a date to come (a best-before, a booking), not last year's.
    assert find_date("on 25/03", TODAY, vocab.dates) == DateFound(date(2026, 3, 25), valid=False)
    # ...but not when it has already happened this year.
    assert find_date("on 19/03", TODAY, vocab.dates) == valid(2026, 3, 19)


def test_last_weekday_on_that_weekday_means_a_week_ago(vocab: Vocabulary) -> None:
    monday = date(2026, 3, 16)
    assert find_date("last monday", monday, vocab.dates) == valid(2026, 3, 9)


@pytest.mark.parametrize(
    "text",
    ["my parcel never arrived", "I paid 30 pounds", "it is broken", "", "may I ask why"],
)
def test_text_without_a_date_gives_none(vocab: Vocabulary, text: str) -> None:
    assert find_date(text, TODAY, vocab.dates) is None


def test_a_date_inside_a_longer_complaint_is_found(vocab: Vocabulary) -> None:
    text = "I ordered a kettle and it arrived broken on 12 March, still waiting for a reply"
    assert find_date(text, TODAY, vocab.dates) == valid(2026, 3, 12)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # A correction wins; a date of buying gives way to the date it went wrong.
        (
            "en",
            "left in the rain on the 21st, sorry I meant the 12th not the 21st",
            valid(2026, 3, 12),
        ),
        ("en", "I bought it on 2 January and it stopped draining on 10 March", valid(2026, 3, 10)),
        ("en", "Ordered a sofa on 3rd December, still nothing", None),
        # The forms people use.
        ("en", "your tech was supposed to come 3/14 and never showed", valid(2026, 3, 14)),
        ("en", "it broke the Tuesday before last", valid(2026, 3, 10)),
        ("en", "We come last to last Saturday 11am and there is no class", valid(2026, 3, 7)),
        # "A week last Saturday": a week before last Saturday, not the Saturday of last week.
        ("en", "the driver did not arrive a week last Saturday", valid(2026, 3, 7)),
        ("en", "done at your salon a week last Tuesday and its gone patchy", valid(2026, 3, 10)),
        ("en", "the crack appeared Monday just gone", valid(2026, 3, 16)),
        ("en", "two weeks ago today", valid(2026, 3, 6)),
        ("en", "last month on the 14th", valid(2026, 2, 14)),
        ("en", "arrived on st patricks day with the glass smashed", valid(2026, 3, 17)),
        ("en", "boiler packed in on New Years Eve", valid(2025, 12, 31)),
        ("en", "order cancelled yday", valid(2026, 3, 19)),
        # A date of buying, ordering or fixing gives way to the one after it, in any language.
        (
            "en",
            "the engineer supposedly fixed it on the 9th, it packed up again on tuesay",
            valid(2026, 3, 17),
        ),
        (
            "en",
            "the coffee machine I got for my birthday on the 28th of febuary stopped on the 12th",
            valid(2026, 3, 12),
        ),
        ("en", "lights went off again tonight, 3rd time this week", valid(2026, 3, 20)),
        ("en", "the fitter came Monday last week", valid(2026, 3, 9)),
        ("en", "you charged me on the 2nd of this month", valid(2026, 3, 2)),
        ("en", "started crackling on Weds", valid(2026, 3, 18)),
        ("fr", "commande passée le 2/3, déposée chez le voisin le 6/3", valid(2026, 3, 6)),
        ("fr", "elle coule depuis jeudi de la semaine passée", valid(2026, 3, 12)),
        ("fr", "ma facture a été chargée deux fois à matin", valid(2026, 3, 20)),
        ("fr", "ça a commencé y a genre 5 jours", valid(2026, 3, 15)),
        ("de", "ist vorgestern ausgegangen. Gekauft hab ich den am 2. Februar", valid(2026, 3, 18)),
        ("de", "am 12.03.2026 bestellt, heute ist das falsche Modell gekommen", valid(2026, 3, 20)),
        ("de", "der Monteur kam letzte Woche am Montag nicht", valid(2026, 3, 9)),
        ("de", "Anfang des Monats, am 3. stand es auf dem Kontoauszug", valid(2026, 3, 3)),
        ("de", "hab vor ner woche die schuhe zurückgeschickt", valid(2026, 3, 13)),
        (
            "es",
            "compré un colchón el 14 de febrero y me lo entregaron hasta el lunes 9",
            valid(2026, 3, 9),
        ),
        (
            "es",
            "lo instalaron el 20 de febrero y empezó a gotear el viernes pasado",
            valid(2026, 3, 13),
        ),
        ("es", "me colgaron el miercoles de la semana pasada", valid(2026, 3, 11)),
        ("es", "desde el 1ro de marzo la señal es pésima", valid(2026, 3, 1)),
        ("es", "el cargo salió el 2 de este mes", valid(2026, 3, 2)),
        ("es", "lo compré el 27 de febreo y desde el primero de marzo no carga", valid(2026, 3, 1)),
        ("fr", "le facteur est passé vendredi passé", valid(2026, 3, 13)),
        ("fr", "ça coule depuis 3 jours", valid(2026, 3, 17)),
        (
            "de",
            "geht seit 4 tagen nicht mehr an. hab es am 5. februar bekommen",
            valid(2026, 3, 16),
        ),
        ("de", "seit Dienstag vor einer Woche tropft es", valid(2026, 3, 10)),
        ("de", "SEIT LETZTEM FREITAG KEIN INTERNET", valid(2026, 3, 13)),
        (
            "de",
            "Flug am 14.03. annulliert. Gebucht hatte ich das am 2. Januar.",
            valid(2026, 3, 14),
        ),
        # A time or a count after a weekday is not a day of the month; "last week" must stand
        # by its weekday; "last month" in every language; "since" says when it began.
        ("en", "It happened on Monday 5 pm", valid(2026, 3, 16)),
        ("de", "Montag 10 Uhr kam niemand", valid(2026, 3, 16)),
        ("fr", "le 2e colis est arrivé cassé hier", valid(2026, 3, 19)),
        ("en", "I reported it last week. It happened again on Wednesday", valid(2026, 3, 18)),
        ("fr", "le 12 du mois dernier", valid(2026, 2, 12)),
        ("es", "el 12 del mes pasado", valid(2026, 2, 12)),
        ("de", "am 12. letzten Monats", valid(2026, 2, 12)),
        ("es", "Desde el 5 de marzo se corta. Llamé el 9 y el 16", valid(2026, 3, 5)),
        ("en", "999999 weeks ago", None),
        ("fr", "Le 3, désolé je voulais dire le 4", valid(2026, 3, 4)),
        # Of several days named, the latest past one; a weekday beside a day is that day.
        (
            "fr",
            "J'ai payé 850 € le 8 janvier. Le 2 mars la formation est annulée",
            valid(2026, 3, 2),
        ),
        ("en", "Saturday evening, the 7th", valid(2026, 3, 7)),
        ("de", "am Mittwoch, 11. März, waren wir in der Praxis", valid(2026, 3, 11)),
        (
            "en",
            "ordered on 3 March, promised for the 25th, nothing on the 10th",
            valid(2026, 3, 10),
        ),
        # Today is a Friday: "on Friday" is last week's (today's would be "today").
        ("en", "the dishwasher broke on Friday", valid(2026, 3, 13)),
        ("fr", "le frigo ne refroidit plus depuis vendredi", valid(2026, 3, 13)),
        (
            "en",
            "The 2nd visit was booked for the day before yesterday and nobody turned up",
            valid(2026, 3, 18),
        ),
        # A weekday and its day with an article between; a German "der 15."; dialect.
        (
            "de",
            "Nein, Verzeihung, es war Mittwoch der 11., dienstags war ich beim Arzt",
            valid(2026, 3, 11),
        ),
        ("de", "Moment, ne sorry, das war der 15., Sonntag, die Rückfahrt", valid(2026, 3, 15)),
        ("fr", "c'était vendredi le 13 au soir", valid(2026, 3, 13)),
        ("de", "geschtern, Donnerschdag", valid(2026, 3, 19)),
        ("de", "Sünnavend, den 14., avends gegen sess", valid(2026, 3, 14)),
        # A no after a trailing off takes the day back; a no elsewhere does not.
        ("es", "llegó el lunes 9... no, el martes 10", valid(2026, 3, 10)),
        ("fr", "Le 10… non attendez, c'était le 11, le mercredi", valid(2026, 3, 11)),
        ("es", "el lunes 9, no me acuerdo bien la hora", valid(2026, 3, 9)),
        # A dot is never month first: "the 8.14" is a train's time, not 14 August.
        ("en", "the reader was dead this morning. Caught the 8.14.", valid(2026, 3, 20)),
        ("de", "siet Sünnavend geiht dat Internet nich mehr", valid(2026, 3, 14)),
        # The day the customer found out is not the day it happened.
        ("de", "Abgebucht wurde am 13. März, gesehen habe ich es erst am 16.", valid(2026, 3, 13)),
        ("es", "El débito doble fue el 5 de marzo, el resumen lo vi el 15", valid(2026, 3, 5)),
        ("en", "they charged me on the 3rd, I only noticed on the 17th", valid(2026, 3, 3)),
        ("en", "I noticed on the 17th", valid(2026, 3, 17)),
    ],
)
def test_the_date_it_went_wrong_as_customers_say_it_in_each_language(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: DateFound | None
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) == expected


def test_asked_when_a_date_of_buying_alone_is_the_answer(vocab: Vocabulary) -> None:
    assert find_date("bought it on 28 Feb", TODAY, vocab.dates) is None
    assert any_date("bought it on 28 Feb", TODAY, vocab.dates) == valid(2026, 2, 28)


def test_a_message_naming_several_days_without_saying_which_leaves_the_question_to_ask(
    vocabularies: dict[str, Vocabulary],
) -> None:
    dates = vocabularies["fr"].dates
    text = "Le ménage devait être fait le jeudi 12, personne est venu, prélevée le 15/03"
    assert certain_date(text, TODAY, dates) is None
    # Asked "when?", the same words give the latest day; one day alone is certain.
    assert find_date(text, TODAY, dates) == valid(2026, 3, 15)
    assert certain_date("personne est venu le jeudi 12", TODAY, dates) == valid(2026, 3, 12)
    # A day on the calendar beside a different day said another way is as unclear.
    text = "Le modem envoyé le 2 mars n'a jamais marché, branché avant-hier, rien"
    assert certain_date(text, TODAY, dates) is None
    # A day of buying or of finding out beside another day is asked about too (read from the
    # words around them, one in nine such days was not the day meant); asked "when?", the
    # customer who answers with the same words is read as the words say.
    english = vocabularies["en"].dates
    assert certain_date("bought on 2 March, broke on the 10th", TODAY, english) is None
    assert find_date("bought on 2 March, broke on the 10th", TODAY, english) == valid(2026, 3, 10)
    german = vocabularies["de"].dates
    text = (
        "Auf dem Auszug vom 16. März habe ich gesehen, dass es doppelt abgebucht wurde, am 13. März"
    )
    assert certain_date(text, TODAY, german) is None
    assert find_date(text, TODAY, german) == valid(2026, 3, 13)
    # Picking a car up from a service is collecting it, not finding out: which day is asked.
    text = (
        "Car went in Wednesday for a service, picked it up Thursday evening and the engine light"
        " came on before I even got home"
    )
    assert certain_date(text, TODAY, english) is None
    # "Since" beside other days is asked ("seit 12. März unterwegs, gesperrt am 14." is not
    # since the 12th); asked, the day it began is the answer.
    spanish = vocabularies["es"].dates
    text = "Desde el 5 de marzo se corta. Llamé el 9 y el 16"
    assert certain_date(text, TODAY, spanish) is None
    assert find_date(text, TODAY, spanish) == valid(2026, 3, 5)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        # A day still to come this month is that day, not the same day of last month.
        ("en", "the gig on 28th march has been moved to june", invalid(2026, 3, 28)),
        # A stay is when they had it; the fault came after.
        (
            "en",
            "hire car from the 7th to the 10th, then yesterday €350 went off my card",
            valid(2026, 3, 19),
        ),
        # An aside in brackets, and a comma after a day, end a clause.
        (
            "fr",
            "Avant hier j'ai appelé la clinique parce que mon chat (vacciné le 11) allait mal",
            None,
        ),
        ("fr", "Déposé un colis au casier le 9, il est revenu il y a une semaine", None),
        ("de", "letscht Fritig bin ich nicht mitgekommen", valid(2026, 3, 13)),
        ("de", "vorgestren früh ging sie aus", valid(2026, 3, 18)),
        ("de", "Hab vorletzten Freitag die Reifen wechseln lassen", valid(2026, 3, 6)),
        # The stay is left out even beside a booking: the night named is the one.
        (
            "fr",
            "séjourné du 6 au 8 mars. La deuxième nuit (le 7) le chauffage a lâché. "
            "Réservé depuis janvier",
            valid(2026, 3, 7),
        ),
        ("en", "not working from day befor yesterday evening", valid(2026, 3, 18)),
        # A stay with no month: the latest such days; a weekday said beside it is one of them.
        (
            "fr",
            "on est partis du samedi 7 au dimanche 15, la pet-sitter n'est plus venue à partir "
            "du jeudi",
            valid(2026, 3, 12),
        ),
    ],
)
def test_the_day_it_went_wrong_among_days_said_in_passing(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: DateFound | None
) -> None:
    """None: several days are named and it is better to ask which."""
    assert certain_date(text, TODAY, vocabularies[language].dates) == expected


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("de", "heit in da fruah", valid(2026, 3, 20)),
        (
            "en",
            "paid since 9th March, and it was delivered to me on 16/03/2026",
            valid(2026, 3, 16),
        ),
        ("de", "Dienstag, nee, das war Samstag der 14.", valid(2026, 3, 14)),
        # An ordinal no month has is no day ("my dad's 70th"); the day beside it is.
        ("en", "dinner for my dad's 70th, Saturday the 7th. Waited two hours", valid(2026, 3, 7)),
        # The day it was put in is not when it went wrong.
        (
            "es",
            "La caldera que nos instalasteis el 19 de febrero dejo de funcionar anteayer",
            valid(2026, 3, 18),
        ),
    ],
)
def test_dialect_payment_dates_and_a_spoken_correction(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: DateFound
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == expected
