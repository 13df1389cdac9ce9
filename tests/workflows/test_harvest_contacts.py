"""Where to reach a customer, said anywhere they write it, and only where it fits (issue 14)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workflows.chat import Chat, templates
from tests.workflows.conftest import NOW
from workflows.conversation import Field
from workflows.harvest import contact_in
from workflows.intake import IntakeSettings
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("call me at (312) 555-0148", "(312) 555-0148"),
        ("call me 07700.900.331", "07700.900.331"),
        ("tél : 06.45.78.12.09", "06.45.78.12.09"),
        ("Handy: 0176 / 44 21 98 03", "0176 / 44 21 98 03"),
        ("llamame al 11 5823-4417 o mandame whatsapp ahi", "11 5823-4417"),
        # Six digits in groups first in the answer: a New Caledonian number.
        ("75 21 48 (mobile), ou s.w@example.nc", "75 21 48"),
        ("any time after 14/03/2026", None),
    ],
)
def test_asked_how_to_reach_them_a_number_in_any_national_format_is_taken(
    text: str, found: str | None
) -> None:
    assert contact_in(text) == found


@pytest.mark.parametrize(
    ("language", "text", "contact"),
    [
        (
            "es",
            "el cerrajero me dejó la puerta q no cierra. si no me pillais al tlf escribidme a "
            "nerea.gp@example.es q curro d noche",
            "nerea.gp@example.es",
        ),
        (
            "de",
            "Das Hörgerät pfeift immerzu. Bitte rufen Sie meine Tochter an 0371 5523190, ich "
            "höre am Telefon schlecht.",
            "0371 5523190",
        ),
        (
            "de",
            "Ihr habt meine Buchung storniert!! Schreibt mir bitte an s.w@example.de, auf Arbeit "
            "hab ich kaum Netz.",
            "s.w@example.de",
        ),
        # A full stop after the number; a local number without its 0 right after "call me".
        (
            "fr",
            "Il dit pas sa faute. Mon mari parle mieux français, appelez lui 07 81 44 29 63.",
            "07 81 44 29 63",
        ),
        (
            "es",
            "nadie nos avisó. Llámenme mejor al fijo 922 38 14 07 que aquí el móvil no coge",
            "922 38 14 07",
        ),
        (
            "fr",
            "Merci de me répondre par mail, f.b@example.ch, je ne lis pas bien les SMS.",
            "f.b@example.ch",
        ),
        ("es", "los kids llorando. Mándenme email a lupe@example.com porfa", "lupe@example.com"),
        ("fr", "rechargé 34,99 $ le 3 mars. Rappelez-moi au 581 307-4456 svp", "581 307-4456"),
        ("es", "Si no me contestan aquí llamen a mi esposo al 956-214-7730.", "956-214-7730"),
        ("fr", "allez quoi! Répondez-moi par mail svp: l.p@example.be", "l.p@example.be"),
        ("en", "Email photos to c.mc@example.com if yous want them", "c.mc@example.com"),
        ("en", "Got my ticket still with me leh. Call my office 6123 4567 if needed.", "6123 4567"),
        ("fr", "Rappelez au 44.18.27 c'est le fixe de la station, oh", "44.18.27"),
        ("es", "le pusieron el EpiPen. Pueden contestarme a y.n@example.com", "y.n@example.com"),
        # A landline with a slash after its area code.
        (
            "de",
            "Bitte rufen Sie auf dem Festnetz an: 0231 / 52 19 84, das Handy höre ich oft nicht.",
            "0231 / 52 19 84",
        ),
        # Nine digits with the leading 0 (Uruguay), after words that say it is theirs.
        ("es", "Llamame al 099 456 321 que este cel es de mi señora.", "099 456 321"),
        (
            "es",
            "Si quieren llamar mejor al fijo 925 33 12 40 que el móvil no lo oigo.",
            "925 33 12 40",
        ),
        (
            "fr",
            "Répondez moi plutôt par mail julie.d@example.fr, le tel je l'ai jamais sur moi",
            "julie.d@example.fr",
        ),
        ("de", "bin jetz am schlafen, ruft auf 0176 55 20 41 93 an", "0176 55 20 41 93"),
        (
            "de",
            "Schreibense mir bitte an s.r@example.de, das Handy is von meim Mann.",
            "s.r@example.de",
        ),
    ],
)
def test_a_texter_asking_to_be_reached_elsewhere_has_that_contact_recorded(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str, contact: str
) -> None:
    # By SMS the number is the contact, and it is not asked: one the customer asks to be
    # reached at instead, said the way friends say it ("escribidme", "schreibt mir"), is kept.
    chat.settings = replace(chat.settings, vocab=vocabularies[language])
    chat.say(text)
    assert chat.conversation.answer(Field.CONTACT) == contact


def test_unasked_a_loose_number_in_a_complaint_is_not_taken_as_the_contact() -> None:
    assert contact_in("order 114-8823019-5521 came on the 11th", asked=False) is None


def test_an_order_number_after_words_that_call_it_theirs_is_not_their_contact(
    vocabularies: dict[str, Vocabulary],
) -> None:
    fr = vocabularies["fr"]
    said = "voici mon numéro de commande 4412 887 01, rien reçu"
    assert contact_in(said, asked=False, cues=fr.contact_cues, orders=fr.order_words) is None


@pytest.mark.parametrize(
    ("said", "contact"),
    [
        ("rappelez-moi avant le 14.03.26 svp", None),
        ("appelez lui au 07 81 22 40 65, pas au fixe", "07 81 22 40 65"),
    ],
)
def test_a_date_or_the_start_of_a_longer_number_is_no_short_number_to_call(
    vocabularies: dict[str, Vocabulary], said: str, contact: str | None
) -> None:
    fr = vocabularies["fr"]
    assert contact_in(said, asked=False, cues=fr.contact_cues, orders=fr.order_words) == contact


def test_call_me_on_a_number_gives_the_contact_and_calls_for_no_one(
    intake_settings: IntakeSettings, vocabularies: dict[str, Vocabulary]
) -> None:
    settings = replace(intake_settings, vocab=vocabularies["es"])
    chat = Chat(settings=settings, now=NOW, new_reference="CB-K7M3-XD9A")
    chat.lasting_address = False
    chat.say("Mi vuelo del martes 17 salió con 6 horas de retraso, reserva LPZ8K2")
    for answer in ("que me expliquen el motivo", "Diego Mendoza Rojas"):
        chat.say(answer)
    decision = chat.say("pueden llamarme al 987 654 321")
    assert chat.conversation.answer(Field.CONTACT) == "987 654 321"
    assert "customer/confirm_request" not in templates(decision)
