"""Days of buying, collecting, booking and reporting beside the day it went wrong: the bot
asks when it cannot know which went wrong (issue 14; workflows/purchases.py)."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import DateFound, any_date, certain_date, find_date
from workflows.vocabulary import Vocabulary

TODAY = date(2026, 3, 20)  # a Friday


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # After a day of buying alone, "two days later" is when it went wrong.
        (
            "en",
            "I bought a 2019 Ford Escape from your lot on 2/28. Two days later the check "
            "engine light came on.",
            date(2026, 3, 2),
        ),
        (
            "fr",
            "J'ai acheté le téléphone le 14 mars, dès le lendemain la batterie lâchait",
            date(2026, 3, 15),
        ),
        ("es", "Lo compré el 9 de marzo y al día siguiente dejó de funcionar", date(2026, 3, 10)),
        # Another day named: "the day after" is something else done then (a second call).
        (
            "en",
            "First called on Valentine's Day and again the day after, got cut off both times.",
            date(2026, 2, 14),
        ),
    ],
)
def test_the_next_day_counts_on_from_a_day_of_buying(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)


def test_a_day_of_buying_alone_is_asked_about_in_a_first_message(
    vocabularies: dict[str, Vocabulary],
) -> None:
    text = "J'ai commandé une imprimante le 1er mars, toujours pas reçue"
    assert certain_date(text, TODAY, vocabularies["fr"].dates) is None
    # "j'ai" is one word as written, not two: the day is still the order's.
    festival = "Le 3 février j'ai commandé deux pass 3 jours pour le festival. Rien reçu."
    assert certain_date(festival, TODAY, vocabularies["fr"].dates) is None
    signed = "Devis D-3390 signé le 15 février. Vos déménageurs ont cassé le buffet"
    assert certain_date(signed, TODAY, vocabularies["fr"].dates) is None
    # A purchase, a receipt, a booking's confirmation, a notice given: none is the fault's.
    for language, said in (
        (
            "es",
            "en la puerta me dijeron que ya estaban usadas. la compra fue el 1 de marzo",
        ),
        ("es", "me cortaron la luz y YA HABIA PAGADO!!! tengo el comprobante del 2 de marzo"),
        ("de", "Keine Führung da. Die Buchungsbestätigung vom 15. Januar habe ich hier."),
        ("de", "i hob mei Mitgliedschaft zum 31. Jänner kündigt, jetzt buchts ma wieder ab"),
        ("de", "Die Rosen san welk ankemma. Bestellung vom 2. März, Nr. 55-1203."),
        ("es", "Hice una donación el 3 de febrero y la campaña ya no aparece"),
        ("fr", "Il s'agit de la commande n° CV-2231, passée sur votre site le lundi 2 mars."),
        # All of "il y a quinze jours" is the day of buying: no "fifteen days" is left of it.
        ("fr", "Les huîtres que j'ai achetées il y a quinze jours, la moitié étaient mortes."),
    ):
        assert certain_date(said, TODAY, vocabularies[language].dates) is None, said
    # Asked "when?", the same words are the answer given.
    assert any_date(text, TODAY, vocabularies["fr"].dates) == DateFound(date(2026, 3, 1), True)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # A day the customer reported, wrote or sent something back is not when it went wrong.
        (
            "en",
            "The mould is back in my sons bedroom. I reported it on 3rd Feb and all that "
            "happened was someone painted over it.",
        ),
        ("es", "Os devolví el router por Correos el 2 de febrero y en la factura me metéis 120 €"),
        ("de", "Ich hab am 31.12. selbst abgelesen: 48213 kWh, auf der Rechnung steht mehr."),
        ("fr", "Débité deux fois. J'ai déjà téléphoné le 13 et on m'a dit d'attendre."),
        # The whole day goes with the word of reporting or installing, not part of it: "first
        # … 2nd March" was left as "first march", "the day before yesterday" as "yesterday".
        ("en", "Fly tipping behind Station Parade for weeks. First reported it on 2nd March."),
        ("en", "The washer you installed the day before yesterday has been leaking since"),
    ],
)
def test_a_day_of_reporting_or_sending_back_alone_is_asked_about(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert certain_date(text, TODAY, vocabularies[language].dates) is None


@pytest.mark.parametrize(
    ("language", "text", "meant"),
    [
        # Nothing goes wrong with a thing before it is had: the earlier day is its history.
        (
            "es",
            "el 6 de marzo recibí mi vehículo 0 km (pedido PED-55102, separado desde el 15 de "
            "enero) y al revisarlo en casa encontré un rayón profundo en la puerta",
            date(2026, 3, 6),
        ),
        # A day of reporting comes after the fault: the day before it is the fault's.
        (
            "en",
            "I withdraw £200 from your ATM on Sunday March 15, the machine did not give the "
            "money. I reported at the branch the next day March 16.",
            date(2026, 3, 15),
        ),
        # Cancelling was the customer's own step: what went wrong is the charge after it.
        (
            "en",
            "I already cancelled my gym membership last Feb 27 but you charged March dues on "
            "the 5th.",
            date(2026, 3, 5),
        ),
        (
            "fr",
            "J'avais résilié le 20 février et vous m'avez encore prélevé le 2 mars",
            date(2026, 3, 2),
        ),
        # The filling put in on 26 February fell out yesterday.
        (
            "de",
            "Mei Plombn, die wo mir Ihr Herr Doktor am 26. Februar neigmacht hat, is gestern "
            "rausgfalln.",
            date(2026, 3, 19),
        ),
        # "den 7. Am Dienstag": a day's dot before "Am" ends the sentence of buying.
        (
            "de",
            "Kauft hab i ihn am Samstag, den 7. Am Dienstag in der Früh hat er alles hänga lassa.",
            date(2026, 3, 17),
        ),
        # Left for repair or cleaning, or received: the day it was handed back wrong counts.
        (
            "fr",
            "Déposé le lundi 9, récupéré le jeudi 12. C'est au retrait que j'ai vu la tache.",
            date(2026, 3, 12),
        ),
        (
            "fr",
            "Je l'ai déposé le samedi 7, vous l'avez gardé plus d'une semaine, je l'ai récupéré "
            "mercredi et c'est en repartant de chez vous que ça a sauté",
            date(2026, 3, 18),
        ),
        (
            "en",
            "Well I left them on the 24th of February, they were meant to be ready the 4th, "
            "that's when it all started going wrong",
            date(2026, 3, 4),
        ),
    ],
)
def test_a_day_before_having_it_or_of_the_customers_own_step_is_not_when_it_went_wrong(
    vocabularies: dict[str, Vocabulary], language: str, text: str, meant: date
) -> None:
    found = find_date(text, TODAY, vocabularies[language].dates)
    assert found == DateFound(meant, valid=True)


def test_a_day_booked_for_that_is_past_is_still_read(vocabularies: dict[str, Vocabulary]) -> None:
    found = find_date("booked for the 14th, the room was filthy", TODAY, vocabularies["en"].dates)
    assert found == DateFound(date(2026, 3, 14), valid=True)


def test_the_day_a_customer_told_the_business_is_not_when_it_happened(
    vocabularies: dict[str, Vocabulary],
) -> None:
    spanish = vocabularies["es"].dates
    text = (
        "nos cobrasteis 150€ de reserva de visita que no se devolvía. Lo dijimos por tlf el martes"
    )
    assert certain_date(text, TODAY, spanish) is None


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # The only day besides the day of collecting is the day it was found: the fault may
        # be as old as the thing.
        (
            "es",
            "hace ocho días recogí en su imprenta los 4 ejemplares empastados de mi tesis y hoy "
            "revisando me di cuenta que a los 4 les faltan las páginas 45 a la 60",
        ),
        # "The day after arriving": which day, the customer knows.
        (
            "de",
            "Anreise war Montag der 9., Ski hab ich bei euch geliehen. Am Tag nach der Anreise "
            "geht mir auffe Piste die Bindung auf.",
        ),
    ],
)
def test_a_day_found_out_or_counted_on_from_another_is_asked_about(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert certain_date(text, TODAY, vocabularies[language].dates) is None


@pytest.mark.parametrize(
    ("language", "text", "day"),
    [
        # The weekday and its day are one, comma or not; "the Monday before" counts back from
        # it, not from today, so it rules no day out.
        ("en", "It was the Wednesday, the 11th. Ordered on the Monday before", date(2026, 3, 11)),
        ("fr", "C'était le mercredi, le 11. Commandé le lundi avant", date(2026, 3, 11)),
        # Shoes handed in for mending: the day they were left is not when it went wrong.
        (
            "fr",
            "Déposées le 2 mars, récupérées le jeudi 12. C'est là que j'ai vu.",
            date(2026, 3, 12),
        ),
        # Said in a correction, the second day is the one meant.
        ("en", "it came out on the 1st. wait no the 2nd bc the 1st was a sunday", date(2026, 3, 2)),
    ],
)
def test_a_weekday_with_its_day_outweighs_an_order_counted_back_from_it(
    vocabularies: dict[str, Vocabulary], language: str, text: str, day: date
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) == DateFound(day, valid=True)
