"""What an answer to "when did it happen?" means: the day named first, the day corrected to."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflows.chat import Chat, advance_to
from workflows.conversation import Field
from workflows.dates import DateFound, any_date, day_guessed, day_not_known
from workflows.vocabulary import Vocabulary

# Friday 20 March 2026.
TODAY = date(2026, 3, 20)


def valid(year: int, month: int, day: int) -> DateFound:
    return DateFound(date(year, month, day), valid=True)


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # Asked when it happened, a customer answers first and then tells what came after.
        (
            "en",
            "The wedding, Saturday 28 February. Our email was later, on the 4th of March.",
            date(2026, 2, 28),
        ),
        ("es", "el cambio fue el 24/02, la factura llegó el 3/03", date(2026, 2, 24)),
        ("en", "Saturday 28 February. They replied on the 4th of March.", date(2026, 2, 28)),
        # A day of buying before it still gives way.
        ("fr", "payé le 8 janvier, annulé le 2 mars", date(2026, 3, 2)),
        # An earlier day in a sentence after is the story before it.
        ("en", "This Monday, the 16th. Pawned it January 16th.", date(2026, 3, 16)),
        # A later day in a sentence after may be the day put right.
        (
            "en",
            "should've been Wednesday. Well, you changed it to Thursdays so yesterday actually",
            date(2026, 3, 19),
        ),
        # Ordinals in words, and "March the 3rd".
        ("en", "Saturday the seventh of March, the day of the wedding.", date(2026, 3, 7)),
        ("en", "the twenty-first of February", date(2026, 2, 21)),
        ("en", "March the 3rd, a Tuesday", date(2026, 3, 3)),
    ],
)
def test_an_answer_naming_several_days_means_the_first_it_names(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("en", "Sorry, I said Wednesday but it was Tuesday, the 17th.", valid(2026, 3, 17)),
        ("fr", "le montant a été prélevé lundi... non attends, c'tait mardi", valid(2026, 3, 17)),
        ("fr", "le 11, ah non le 12, je viens de regarder", valid(2026, 3, 12)),
        ("es", "el lunes, no espera, el martes", valid(2026, 3, 17)),
        (
            "es",
            "El domingo, el 15. No, pará, el domingo fue la vuelta. La ida fue el viernes 13",
            valid(2026, 3, 13),
        ),
        # Swabian "dr 25." is "der 25.".
        (
            "de",
            "Am Dienschdag, 24. Februar \u2013 noi, Mittwoch, dr 25., weil's gschifft hot",
            valid(2026, 2, 25),
        ),
        # The day taken back, said again to say why, then the day meant.
        (
            "en",
            "Came out on the 1st, no hang on, the 1st was a Sunday so it went out the Monday, "
            "the 2nd. Only copped it Wednesday.",
            valid(2026, 3, 2),
        ),
        (
            "en",
            "They finished on the Thursday, the 12th. No hang on, it was the Wednesday, the 11th.",
            valid(2026, 3, 11),
        ),
        ("es", "el martes 3, no, mentiras, fue el miércoles 4", valid(2026, 3, 4)),
        (
            "de",
            "Das Paket kam am Montag. Nein, warten Sie, am Dienstag, am Montag war ich beim Arzt.",
            valid(2026, 3, 17),
        ),
        # After the correction, the weekday said first, not the week's first.
        (
            "de",
            "kam dienstag.. ne sorry war mittwoch, dienstag war der andere karton",
            valid(2026, 3, 18),
        ),
        # A day's number alone after the correction is in the month taken back.
        ("de", "Am 27.02, nein, 28., war Samstag", valid(2026, 2, 28)),
        ("de", "Am 11., noi, Dienschdig war's, also der 10.", valid(2026, 3, 10)),
        ("en", "it went down on the 21st - sorry, the 12th, not the 21st", valid(2026, 3, 12)),
        ("es", "el 26 de febrero, no, espéreme, fue el 27, el viernes", valid(2026, 2, 27)),
        # A day said not to be the one is none.
        (
            "fr",
            "Le vendredi 13, jour de la livraison (pas le 10, ça c'était prévu).",
            valid(2026, 3, 13),
        ),
        ("de", "Am Donnerstag, nicht am 10., da war ich noch weg", valid(2026, 3, 19)),
        # A question to oneself, then no: the day after the no.
        (
            "fr",
            "Dimanche le 15? Non, samedi le 14, le dimanche on avait la fête",
            valid(2026, 3, 14),
        ),
        ("en", "Sunday the 15th? No, Saturday the 14th", valid(2026, 3, 14)),
        ("es", "¿El domingo 15? No, el sábado 14", valid(2026, 3, 14)),
        ("en", "Was it Tuesday? No idea, sometime last week", valid(2026, 3, 17)),
        (
            "en",
            "tuesday. aw naw it was the monday, the 16th, cos tuesday was paddys day",
            valid(2026, 3, 16),
        ),
        ("de", "Am Mäntig, nei, stimmt nöd, am Zischtig isch es gsi, de 17.", valid(2026, 3, 17)),
        # A weekday, then the same weekday with its day: that day, not the latest such weekday.
        ("es", "O martes... el martes 10, por la mañana", valid(2026, 3, 10)),
        # A weekday, then only the date it falls on: that date.
        ("de", "Montag kam das Paket, nicht diesen, den davor. 9.3.", valid(2026, 3, 9)),
        # "Hold on", "pardon me": what follows puts the day right.
        ("en", "Monday the 9th. Hold on, no, they came Tuesday the 10th", valid(2026, 3, 10)),
        ("en", "On Monday 9 March. Pardon me, Tuesday the 10th.", valid(2026, 3, 10)),
        # A day said again without its month is in the month taken back, if its weekday is.
        ("en", "The Sunday, Feb 15th. Or, no sorry, the Saturday, the 14th.", valid(2026, 2, 14)),
        ("en", "The Sunday, Feb 15th. Or, no sorry, the Friday, the 13th.", valid(2026, 2, 13)),
        # A no of its own after a full stop or a dash takes back the day before it.
        (
            "fr",
            "C'était mardi 10 mars vers 17h. Non, mercredi 11, oui, mercredi 11.",
            valid(2026, 3, 11),
        ),
        ("en", "Sunday \u2014 no, nay, it were Saturday, the 14th", valid(2026, 3, 14)),
        ("en", "It was Monday. No one came until Wednesday", valid(2026, 3, 16)),
        ("fr", "c t mercredi... nan jme trompe c mardi, mardi 17 jsuis sur", valid(2026, 3, 17)),
        ("fr", "Hier soir. Enfin non, avant-hier, mercredi", valid(2026, 3, 18)),
        ("de", "Am Mittwoch... wart, nä, des war de Dienschdaach, de 17.", valid(2026, 3, 17)),
        (
            "de",
            "Mittwoch hob i's gsehn... na wort, de Mail is scho Dienstag kemman",
            valid(2026, 3, 17),
        ),
        ("de", "Am Dienstag woar i do... na Moment, Mittwoch, da 18.", valid(2026, 3, 18)),
        # "No, the one before": the weekday taken back, a week earlier.
        ("fr", "Samedi dernier, non, celui d'avant, mon code ne marchait plus", valid(2026, 3, 7)),
        ("en", "last Saturday, no, the one before", valid(2026, 3, 7)),
        ("de", "letzten Samstag, nein, den davor", valid(2026, 3, 7)),
        ("es", "el sábado pasado, no, el anterior", valid(2026, 3, 7)),
        ("en", "wednesday, 18th. nay wait it were tuesday, tuesday 17th", valid(2026, 3, 17)),
        ("en", "Picked it up Wednesday the 11th. Or no, Thursday the 12th", valid(2026, 3, 12)),
        ("de", "Samschdag, de 14., so gege elf Uhr morjens.", valid(2026, 3, 14)),
        # A "na" or a Portuguese "não" after a trailing off takes the day back too.
        (
            "de",
            "Am Mittwoch... na, Dienstag is kommen, den 17., weil am Mittwoch",
            valid(2026, 3, 17),
        ),
        (
            "es",
            "Fue el domingo... não, el domingo la encontramos. Se escapó el sábado, el 14",
            valid(2026, 3, 14),
        ),
        # Two days offered as alternatives are no one day: better to ask again.
        ("fr", "en fin de semaine passée je pense, samedi ou dimanche", None),
        ("de", "letzte Woche irgendwann, Mittwoch oder Donnerstag", None),
        ("en", "Monday or Tuesday, can't remember", None),
    ],
)
def test_the_last_correction_wins_and_two_days_offered_are_none(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: DateFound | None
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == expected


@pytest.mark.parametrize(
    ("language", "text", "unknown"),
    [
        ("en", "no clue sorry, sometime last month maybe", True),
        ("de", "keine ahnung, vor paar tagen halt", True),
        ("fr", "Je ne sais pas exactement, il y a deux semaines peut-être?", True),
        ("es", "ni idea el día, hace tres semanas más o menos", True),
        ("en", "Tuesday, no idea what time", False),
        ("fr", "mardi, je sais pas à quelle heure", False),
    ],
)
def test_an_answer_opening_with_i_dont_know_says_the_day_is_not_known(
    vocabularies: dict[str, Vocabulary], language: str, text: str, unknown: bool
) -> None:
    assert day_not_known(text, vocabularies[language].dates) is unknown


@pytest.mark.parametrize(
    ("language", "text", "guessed"),
    [
        ("en", "no idea, sometime last week", True),
        ("de", "keine Ahnung, vor paar Tagen halt", True),
        ("en", "no idea sorry", False),
        ("es", "ni idea", False),
        ("fr", "mardi, je sais pas à quelle heure", False),
    ],
)
def test_a_guess_after_i_dont_know_is_told_from_a_plain_i_dont_know(
    vocabularies: dict[str, Vocabulary], language: str, text: str, guessed: bool
) -> None:
    assert day_guessed(text, vocabularies[language].dates) is guessed


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # A weekday that only restates the day named is no other day.
        ("de", "Abgegeben habe ich sie am 26. Februar, das war ein Donnerstag.", date(2026, 2, 26)),
        ("fr", "Attendez je regarde le ticket... c'est le 10 en fait, mardi.", date(2026, 3, 10)),
        ("fr", "En fait c'était mardi, pas lundi, le 17, je me suis trompé.", date(2026, 3, 17)),
        # "so the 4th" says which day the words before it meant.
        ("en", "The Wednesday after it was fitted, so the 4th, at night.", date(2026, 3, 4)),
        # "j'ai" after a day is not "jours".
        ("fr", "le 18, mercredi, j'ai attendu toute la matinée", date(2026, 3, 18)),
        ("fr", "le 18, j'ai attendu toute la matinée", date(2026, 3, 18)),
        ("fr", "Jeudi il y a huit jours, pas hier hein", date(2026, 3, 12)),
        ("de", "am Donnerstag letzt Woch", date(2026, 3, 12)),
        ("es", "Ahir, el dia de Sant Josep", date(2026, 3, 19)),
        # "A week ago Tuesday" is that week's Tuesday, not the day a week ago.
        ("en", "at your Ankeny store a week ago Tuesday", date(2026, 3, 10)),
        ("en", "Picked them up a fortnight ago Thursday.", date(2026, 3, 5)),
        # "Since Monday, 2 March": the date says which Monday.
        ("de", "Seit Montag, 2. März, abends", date(2026, 3, 2)),
        ("en", "Since Monday, 2 March", date(2026, 3, 2)),
        ("de", "Jestern, uff'm Heimweg so jegen fünf", date(2026, 3, 19)),
        ("es", "Eso empezó el mismo día 9 que la instalaron", date(2026, 3, 9)),
        # The day's number says which day near a named one; "a" is "of" in Jamaica.
        ("en", "The Saturday before Mother's Day, the 14th", date(2026, 3, 14)),
        ("en", "Ash Wednesday, di 18th a February", date(2026, 2, 18)),
        # The weekday first, then the weeks back: that week's Thursday.
        ("es", "el jueves de hace dos semanas", date(2026, 3, 5)),
        ("es", "El dilluns, a la sesión de las 18:30", date(2026, 3, 16)),
        # The opening's weekday pinned to its day after: which Thursday, not a story before.
        (
            "en",
            "Started drippin' a week last Thursday. 5th I think it were. Aye, Thursday 5th.",
            date(2026, 3, 5),
        ),
        # An hour after a weekday is no day of the month (5 March was a Thursday too).
        ("en", "the Thursday 5 o'clock class, member no 20931", date(2026, 3, 19)),
        # A weekday counted back with its own words is its own day, not one restated.
        ("en", "It came back Thursday a week ago. The 12th, I believe.", date(2026, 3, 12)),
        (
            "fr",
            "Le lavage c'était samedi passé. Je les ai achetées le 28 février.",
            date(2026, 3, 14),
        ),
        # Said on a Friday, "last Thursday" is the week before's: yesterday is "yesterday".
        ("fr", "jeudi passé on m'a fait payer septante euros", date(2026, 3, 12)),
        ("de", "vorichen Donnerschdaach", date(2026, 3, 12)),
        ("en", "last Friday", date(2026, 3, 13)),
        ("de", "am Mittwoch vor aaner Woch", date(2026, 3, 11)),
        ("de", "Abgholt am Mittwoch vor zwee Woche, also de 4.", date(2026, 3, 4)),
        ("es", "Antié por la mañana, sobre las 11", date(2026, 3, 18)),
        ("de", "Am Sunndaach, beim Putze halt. Abgeholt hab ich se am 5. März.", date(2026, 3, 15)),
        # "heit vor a Wochn" is a week ago today, not today; Plattdüütsch "vörgüstern".
        ("de", "Gliefert worn is's heit vor a Wochn, am Freitag.", date(2026, 3, 13)),
        ("de", "Dat weer vörgüstern. Middeweken.", date(2026, 3, 18)),
        # A formal "el pasado día 10 del corriente"; "a fecha de hoy" is up to now, no day.
        (
            "es",
            "el pasado día 10 del corriente se me practicó una endodoncia que, a fecha de hoy, "
            "me sigue doliendo",
            date(2026, 3, 10),
        ),
        # Texting's "wed", "fri"; Swabian "Mendig" and "em 16."; days people keep.
        ("en", "wed just gone", date(2026, 3, 18)),
        ("de", "Am Mendig, em 16.", date(2026, 3, 16)),
        ("fr", "Pour la journée de la femme, le dimanche.", date(2026, 3, 8)),
        (
            "fr",
            "Le jour de la fête des grands-mères, le dimanche au début du mois",
            date(2026, 3, 1),
        ),
        # "The 14th" after a feast restates the feast's day, not this month's 14th.
        ("en", "valentines day innit. the 14th", date(2026, 2, 14)),
        # A dot after a day's number ends the sentence where it is no ordinal.
        (
            "fr",
            "Mercredi à l'accueil, le 18. La carte avait expiré le 28 février.",
            date(2026, 3, 18),
        ),
        (
            "en",
            "booked the penguin feeding for me and my girlfriend for valentines, got there and "
            "they said its cancelled",
            date(2026, 2, 14),
        ),
    ],
)
def test_an_answer_is_read_as_the_customer_meant_it(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # A day, "but" another: the one after the turn is the day meant.
        (
            "en",
            "Well the wedding was the 28th but it's the gallery that's wrong, that come Monday, "
            "the 16th.",
            date(2026, 3, 16),
        ),
        (
            "fr",
            "Le ramonage c'était le 24.02, mais la fumée c'est hier soir, le 19.",
            date(2026, 3, 19),
        ),
        ("es", "Lo de la niña fue el domingo 8, pero el fallo fue el viernes 6", date(2026, 3, 6)),
        ("de", "Bestellt am 2. März, aber kaputt gegangen ist es am Dienstag", date(2026, 3, 17)),
        # Not the day it was found, nor a day among several before the turn.
        (
            "es",
            "me lo entregaron el sábado 14, pero el rayón lo vi el domingo 15",
            date(2026, 3, 14),
        ),
        (
            "fr",
            "Pendant le déménagement, le 27 février, mais on ne l'a vu qu'hier.",
            date(2026, 2, 27),
        ),
        (
            "es",
            "El cargo fue el 2 de marzo. La carta estaba fechada el 25 de febrero pero "
            "llegó el 27.",
            date(2026, 3, 2),
        ),
    ],
)
def test_a_day_after_but_is_the_day_meant(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) == valid(
        day.year, day.month, day.day
    )


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # A month is no day of it, and a reference's hyphened number is no day of the month.
        ("de", "Sat-Anlage, Montage war letzten Monat"),
        ("es", "Un abrigo de lana gris. El tique es el 4-0921"),
    ],
)
def test_an_answer_naming_no_day_gives_none(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert any_date(text, TODAY, vocabularies[language].dates) is None


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("sat", "2026-03-14"),
        ("last sun", "2026-03-15"),
        ("mon night", "2026-03-16"),
        ("on sat", "2026-03-14"),
        ("this past sun", "2026-03-15"),
        ("I sat", None),
        # Opening a longer answer, beside a word of a day's, it is still the weekday.
        ("sat just gone 2pm sorry baby on me", "2026-03-14"),
        ("sat there for hours and nobody came", None),
    ],
)
def test_a_short_answer_to_when_may_clip_its_weekday(
    chat: Chat, text: str, day: str | None
) -> None:
    advance_to(chat, "customer/ask_when")
    chat.say(text)
    assert chat.conversation.answer(Field.WHEN) == day
