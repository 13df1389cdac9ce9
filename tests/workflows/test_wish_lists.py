"""Wishes the phrase lists read on their own, without the wish model (issue 14)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        # Tuning answers, read by the lists alone (the model had learnt them). Round 19:
        # a fee lost elsewhere, a rent cut, a doctor's bill, damage paid, another instructor.
        ("en", "Cover the $110 I lost for the test. Not after a refund of the lessons.", "other"),
        ("en", "A rent reduction for every week he's been without heating.", "other"),
        ("fr", "Qu'il assume et qu'il me paie au moins les frais de médecin, 180 francs.", "other"),
        ("es", "Yo quiero ustedes pagan el espejo y la puerta. Taller dice 230 euros.", "other"),
        ("es", "Que me cambien de instructor y que a ese señor le llamen la atención.", "other"),
        # A Swabian "if not" is a fallback: the wish before it stands.
        ("de", "Die solle d Bremsleitung umsonscht mache. Wenn net, will ich mei Geld.", "repair"),
        # German as written in Bavaria, Hesse, the Palatinate: money refused with the object
        # first, wanting to know, a reprint, an apology, paying for the damage.
        ("de", "Geld will i ned, des passt scho. A ordentliche Entschuldigung halt.", "apology"),
        ("de", "I wü wissn, wann der Speicher kimmt. A fixes Datum, schriftlich.", "explanation"),
        ("de", "Ich will, dass sich die Chefin bei mir entschuldischt.", "apology"),
        ("de", "Rad fertig machen bis Montag. Sonst will ich die Anzahlung zurück.", "repair"),
        ("de", "Den Boden richten lassen, das Abschleifen zahlts ihr.", "repair"),
        ("de", "Die Reinigung von Sofa und Teppich bezahlen. Angebot 260 Euro.", "other"),
        # French: wanting to know, a reprint, a new battery, a gift voucher honoured.
        ("fr", "jveu savoir ki a merdé et pk personne ma prevenu", "explanation"),
        ("fr", "Nous demandons la réimpression de l'album complet, sans frais.", "replacement"),
        ("fr", "Changez les batteries, elles sont défectueuses.", "replacement"),
        ("fr", "Qu'on honore mon bon cadeau, comme c'est écrit dessus.", "other"),
        ("fr", "Je veux pas décaler, je veux mes 80 balles, point.", "refund"),
        # Spanish: leaving it working, the right sizes, costs paid, a fine lifted, money waved.
        ("es", "que vuelva y la deje andando bien, sin cobrarme otra visita", "repair"),
        ("es", "no quiero reembolso, quiero las tallas correctas", "replacement"),
        ("es", "que me paguen el pasaje que perdí, 210 euros", "other"),
        ("es", "que vengan a por ellos ya y que me quiten la multa si me la ponen", "other"),
        ("es", "que me digáis qué pasa de verdad, si se va a enviar o no", "explanation"),
        ("es", "Mire, no es por los cuartos. Que vuelvan y lo hagan bien, sin cobrar.", "repair"),
        # English: money back said as "return" or "take it off", the right one, money waved.
        ("en", "Kindly return the £220 in full.", "refund"),
        ("en", "Take the $108 upgrade fee off, I ain't payin for something I said no to", "refund"),
        ("en", "not a refund, just one that's right, he needs it for Monday", "replacement"),
        (
            "en",
            "The correct lenses please, you can keep the money I don't want it back",
            "replacement",
        ),
        ("en", "Want a credit on the bill for every day it's been down, simple as.", "other"),
        ("en", "I would like it seen to properly, and sooner than April.", "repair"),
        # "Por lo menos" is "at least", no negation of what follows.
        ("es", "No es por la plata. Quiero que por lo menos me pidan disculpas.", "apology"),
        ("es", "que al menos me devuelvan el dinero", "refund"),
        # "je paie" is the customer paying, no wish.
        ("fr", "Je paie mon loyer, qu'on vienne remettre le chauffage en marche", "repair"),
        # Round 30: money "not the most important", a preference said after an either/or,
        # another appointment or lesson, a voucher for another day.
        (
            "fr",
            "L'argent ce n'est pas le plus important. Mais qu'on me fasse des excuses au moins.",
            "apology",
        ),
        (
            "fr",
            "Soit vous remplacez le plateau, soit vous nous remboursez sa valeur. On préférerait "
            "le remplacement.",
            "replacement",
        ),
        ("fr", "quon me redonne un rdv vite jai lexam le 2 avril", "other"),
        (
            "fr",
            "Qu'on me redonne un rendez-vous rapidement, la dent me fait toujours mal.",
            "other",
        ),
        ("fr", "Je ne demande pas tout, mais un bon pour une autre journée cette saison.", "other"),
        # A "dont" before a first wish is about that one, not about the wish said after it.
        ("en", "i dont want me money back i want a fresh bunch sent to her today", "replacement"),
        ("en", "Mi nuh want no money back, mi want a next cylinder weh nuh leak.", "replacement"),
        # ... and one before a first wish of anything, not only of an outcome.
        ("es", "no quiero otra reserva quiero mi dinero", "refund"),
        ("fr", "je veux pas d'autre réservation je veux être remboursé", "refund"),
    ],
)
def test_the_lists_alone_read_wishes_the_model_had_learnt(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    lists_only = replace(vocabularies[language], wish_model=None)
    assert lists_only.answered_outcome(text) == outcome


@pytest.mark.parametrize(
    "text",
    [
        "I don't really want a replacement",
        "I really don't think I want a replacement",
        "I don't want you to send another one",
        "I want to say I don't want a replacement",
    ],
)
def test_a_negation_before_the_only_wish_still_refuses_it(
    vocabularies: dict[str, Vocabulary], text: str
) -> None:
    lists_only = replace(vocabularies["en"], wish_model=None)
    assert lists_only.answered_outcome(text) != "replacement"


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        # Rounds 20 and 21's tuning answers. Money waved or refused in dialect, then the wish.
        (
            "de",
            "die 30 euro sind mir ehrlich gesagt egal, macht einfach das abo endlich weg",
            "other",
        ),
        ("de", "Meine Daten wiederherstellen. Geld oder Gutschein bringt mir nichts.", "repair"),
        ("de", "Mer wolle kaa Geld, mer wolle e Gutschein fürs nächste Mal.", "other"),
        # Swabian "koi": no money, the work done properly.
        ("de", "I will koi Geld, des Fenster soll ordentlich g'macht werre.", "repair"),
        (
            "de",
            "Die 59 € zurück, sofort. Und ne Entschuldigung wär och nett, aber Hauptsache Geld.",
            "refund",
        ),
        (
            "en",
            "refund nahi chahiye, just give some voucher and tell that rider to behave",
            "other",
        ),
        # Costs the fault caused, paid: compensation.
        (
            "de",
            "I möcht, dass die Hausverwaltung mir die Arztkosten und die Taxifahrten zahlt.",
            "other",
        ),
        (
            "es",
            "Que me cubran la factura de emergencia, fueron $260, y que me den una explicación",
            "other",
        ),
        (
            "fr",
            "Que vous preniez en charge la réparation de la voiture, les 612 € du devis.",
            "other",
        ),
        # The thing itself, again or as it was paid for.
        (
            "es",
            "Que me vuelvan a traer los congelados, y que me los suban a casa esta vez.",
            "replacement",
        ),
        ("es", "Que nos den la urna de mármol que pagamos, no queremos dinero", "replacement"),
        ("en", "just put the eggs and a bag of spinach on next week's order", "replacement"),
        (
            "en",
            "I should like it reprinted correctly. A refund would be of no use whatever.",
            "replacement",
        ),
        # Round 22: money first, a contract cancelled, coming again, wanting to know.
        ("en", "First my €56 back. Sorry also but money first.", "refund"),
        ("de", "Der neie Vertrag soll weg. Der alte is gut genug.", "other"),
        ("de", "Nochmals kommen, die Saite ersetzen und stimmen, kostenlos.", "repair"),
        ("de", "I will wissa, wo des Plastik herkommt.", "explanation"),
        ("fr", "Réactivez mon compte svp, jusqu'à l'examen au moins", "repair"),
        (
            "de",
            "Ums Geld geht's mir eigentlich nicht, die 58 Euro sind wurscht. Aber a "
            "ordentliche Entschuldigung wär schon angebracht.",
            "apology",
        ),
        # "Changer vos règles" changes no product.
        ("fr", "Je veux qu'elle soit avertie et que vous changiez vos règles.", "other"),
    ],
)
def test_wishes_in_the_words_of_the_newest_rounds(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert (vocabularies[language].answered_outcome(text) or "other") == outcome
