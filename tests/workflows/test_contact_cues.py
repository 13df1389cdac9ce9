"""Contacts said in the customer's own words: "reply to …", numbers in a country's own way."""

from __future__ import annotations

import pytest

from workflows.harvest import contact_in
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text", "found"),
    [
        (
            "en",
            "Please reply to marija.borg@maltanet.net not this number",
            "marija.borg@maltanet.net",
        ),
        ("de", "Bitte Antwort an Email von meine Tochter: olga.s91@mail.ru", "olga.s91@mail.ru"),
        ("fr", "Merci de répondre à chloe.r@bluewin.ch, pas au portable", "chloe.r@bluewin.ch"),
        ("es", "respondan a lu.pereyra@gmail.com por favor", "lu.pereyra@gmail.com"),
        # Kenyan English: "reply on" an address.
        ("en", "Please reply on wanjiru.k@gmail.com as my line is off", "wanjiru.k@gmail.com"),
        # Swiss German "Rückmäldig per Mail", and English "reply by email".
        (
            "de",
            "Bitte Rückmäldig per Mail: r.meier@example.ch, bi im Gschäft",
            "r.meier@example.ch",
        ),
        ("en", "Please reply by email: tom.h@example.org, I work nights", "tom.h@example.org"),
        # Someone else's number to call, a landline, a home: theirs to be reached on.
        ("en", "Floor all wet lor. Can call my hubby 9123 4567 he wfh today", "9123 4567"),
        ("en", "Pls call on landline 022 2640 1188 after 6pm.", "022 2640 1188"),
        ("fr", "vous voudrez bien me joindre à mon domicile au 03 80 41 22 19.", "03 80 41 22 19"),
        ("fr", "Appelez mon mari au 76.54.21, c'est lui qui a les billets.", "76.54.21"),
        ("de", "Bin tagsüber unter 0521 55 73 21 erreichbar", "0521 55 73 21"),
        (
            "de",
            "Bitte schriibe Sie mir an h.faller@web.de, am Händy bin i selte.",
            "h.faller@web.de",
        ),
        (
            "fr",
            "Appelez plutôt ma fille au 514-555-0176, moi je travaille de nuit.",
            "514-555-0176",
        ),
        ("es", "Llamen al 928 55 01 23 que es el fijo de casa", "928 55 01 23"),
        # "You can write to me at", "call me on" in Bremen, South Tyrol and Jamaica.
        ("es", "Pueden escribirme a m.ochoa@example.com porque no contesto", "m.ochoa@example.com"),
        ("de", "Koennen Sie mich bitte unter 0421 69 40 117 zurueckrufen", "0421 69 40 117"),
        ("de", "Bitte ruft mi unter 0471 97 33 20 an, nit auf dem Handy.", "0471 97 33 20"),
        ("en", "Call mi pon 876-555-0177 cause dis a mi wife phone", "876-555-0177"),
    ],
)
def test_a_first_text_asking_for_replies_elsewhere_gives_the_contact(
    vocabularies: dict[str, Vocabulary], language: str, text: str, found: str
) -> None:
    # Unasked, an address is the customer's only when they say so: "reply to" says so.
    assert contact_in(text, asked=False, cues=vocabularies[language].contact_cues) == found
    assert contact_in("I wrote to support@shop.example last week", asked=False) is None


def test_six_digits_in_groups_alone_are_a_phone_number_but_not_inside_a_sentence() -> None:
    assert contact_in("75 42 18") == "75 42 18"  # New Caledonia has six-digit numbers
    assert contact_in("order 754218") is None
    assert contact_in("dossier 75 42 18, conteneur 20 pieds") is None
