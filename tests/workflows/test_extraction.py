"""Facts read from what customers write: order numbers, contacts, clean text."""

from __future__ import annotations

from datetime import date

import pytest

from workflows.dates import find_date
from workflows.extraction import (
    clean_text,
    find_order_reference,
    looks_like_contact,
)
from workflows.vocabulary import Vocabulary

# Friday 20 March 2026 (the weekday matters for "last monday").
TODAY = date(2026, 3, 20)


# Order numbers that are not dates ------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "commande 44521"), ("de", "Bestellung 88123, 2 Stück"), ("es", "pedido 7781")],
)
def test_an_order_number_is_not_read_as_a_date_in_any_language(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert find_date(text, TODAY, vocabularies[language].dates) is None


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("fr", "n° 44521", "44521"),
        ("fr", "ma commande 44521 est arrivée cassée", "44521"),
        ("de", "Bestellung 88123", "88123"),
        ("de", "meine Kundennummer ist 7781-22", "7781-22"),
        ("es", "el número de pedido es AB-9921", "AB-9921"),
        ("fr", "personne n'est venu. Dossier 2026/0412.", "2026/0412"),
        ("en", "order no. 2231/24 arrived", "2231/24"),
        ("de", "Auftragsnr. GF-2026-00871, kam wieder nicht", "GF-2026-00871"),
        # Dots between a code's parts, and a number written in groups of three after its first.
        ("fr", "transaction n° MP260309.1542.A87. L'auto-école dit", "MP260309.1542.A87"),
        ("fr", "Je suis abonnée depuis septembre 2024, carte 118 204.", "118 204"),
        ("en", "nobody can tell me why. Account 7730 418 552.", "7730 418 552"),
        ("en", "the worktop is cut short. Job 4471. Fix it", "4471"),
        # Groups of four after a first part ending in a digit; not "confirmation" and a number,
        # not a year after the code.
        ("en", "Water come back Tuesday gone. Account 1183 4420.", "1183 4420"),
        ("en", "trainers £62. tracking JD0044 9187 2210", "JD0044 9187 2210"),
        ("en", "Account 8100 2245 671.", "8100 2245 671"),
        ("en", "order 55123 2026 was a mess", "55123"),
        # The slip a repair shop gives when it takes something in.
        ("es", "os llevé el móvil a cambiar la pantalla, resguardo 0331, y anoche", "0331"),
        ("de", "Abholschein 5520, das Rad ist immer noch nicht fertig", "5520"),
    ],
)
def test_order_numbers_in_the_forms_each_language_uses(
    vocabularies: dict[str, Vocabulary], language: str, text: str, expected: str
) -> None:
    assert find_order_reference(text, vocabularies[language]) == expected


def test_a_word_is_not_an_order_number_with_the_number_after_it(
    vocabularies: dict[str, Vocabulary],
) -> None:
    # "booking confirmation 7741-0932": "confirmation 7741" would be neither.
    assert find_order_reference("booking confirmation 7741", vocabularies["en"]) is None


# Order, invoice and account numbers -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("order #A12345", "A12345"),
        ("Order #A12345 never arrived", "A12345"),
        ("invoice no. 998877", "998877"),
        ("Invoice No: 55-1234", "55-1234"),
        ("my order number is 12-3456", "12-3456"),
        ("my order is 778899 and it is late", "778899"),
        ("account: ACC-99812", "ACC-99812"),
        ("booking ref. XK92Q", "XK92Q"),
        ("they sent #77812 to the wrong address", "77812"),
        ("c'est la commande n° 44521", "44521"),
        ("commande nº44521 jamais reçue", "44521"),
        ("Bestellung Nr. 88123 ist kaputt", "88123"),
        ("ref: 7781-22", "7781-22"),
        ("your reference 55-901 on the letter", "55-901"),
        ("the worktop is cut short. Job 4471.", "4471"),
        # "parcel" (an order word) takes "order" as its code; the number after is still found.
        ("my parcel order 88123 never arrived", "88123"),
        ("the booking invoice 55-1234 is wrong", "55-1234"),
    ],
)
def test_order_and_invoice_numbers_are_found(vocab: Vocabulary, text: str, expected: str) -> None:
    assert find_order_reference(text, vocab) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my parcel never arrived",
        "the order was wrong",
        "order #ABCDEF",
        "I ordered it last week",
        "my order is late",
        "No. I never got it",
        "see ref CB-K7M3-XD9A",
        "",
        # A price is not an order number.
        "two payments appeared on my account: 189,99 € and 45 €",
        "the order 45 EUR was charged twice",
        "commande 1 200 € payée deux fois",
        # Nor a measure.
        "my account 1 200 kWh for one month, I live alone",
        "account 250 GB used when I never stream",
    ],
)
def test_no_order_number_without_one_that_contains_a_digit(vocab: Vocabulary, text: str) -> None:
    assert find_order_reference(text, vocab) is None


# Contacts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "ana@example.com",
        "  first.last+tag@mail.example.co.uk ",
        "+44 7700 900123",
        "07700 900123",
        "(020) 7946-0958",
        "+1 (555) 010-9999",
        "0612.34.56.78",
    ],
)
def test_emails_and_phone_numbers_look_like_contacts(text: str) -> None:
    assert looks_like_contact(text)


@pytest.mark.parametrize(
    "text",
    [
        "tomorrow",
        "call me",
        "ana at example dot com",
        "ana@example",
        "12345",
        "1234567890123456789",
        "",
        "@",
    ],
)
def test_other_answers_do_not_look_like_contacts(text: str) -> None:
    assert not looks_like_contact(text)


# Cleaning ---------------------------------------------------------------------------------


def test_clean_text_drops_control_characters_but_keeps_newlines_and_tabs() -> None:
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x9ff\r\ng\th") == "abcdef\ng\th"


def test_clean_text_strips_surrounding_space() -> None:
    assert clean_text("  \n my parcel \t ") == "my parcel"


@pytest.mark.parametrize(
    "text",
    [
        "My parcel 📦 never came 😡",
        "החבילה שלי לא הגיעה",
        "لم يصل الطرد أبدا",
        "Crème brûlée, naïve café, 東京",
        "👩‍👩‍👧 family emoji with joiners",
    ],
)
def test_clean_text_keeps_emoji_accents_and_right_to_left_text(text: str) -> None:
    assert clean_text(text) == text


def test_a_date_word_is_not_an_order_number(vocab: Vocabulary) -> None:
    assert find_order_reference("got my cake order 2day, ref 20811", vocab) == "20811"
