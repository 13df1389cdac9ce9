"""Triage in French, German and Spanish: each language's lexicon, with English hazards too.

Each language has its own labelled complaints in tests/workflows/triage_data/<code>/:
``tuning.jsonl`` (80 written by whoever wrote that lexicon, 90 by another writer; the
lexicon was tuned on all of them) and
``heldout.jsonl`` (written by someone who saw neither). Run with ``-s`` for the figures.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace

import pytest

from tests.workflows.test_triage_accuracy import DATA, GOAL, Floor, Labelled, assert_at_least
from workflows.classification import Rules, classify
from workflows.lexicon import Lexicon
from workflows.opinion import SecondOpinion

CONFIG = DATA.parents[2] / "config" / "triage"
# Held-out figures (2026-11-30), less a margin of about one complaint in 20. Each lexicon was
# written on 80 complaints, then tuned on 180 more by others who never read these; since the
# fourth session each language also has its own learnt model (config/triage/<code>.model.json,
# trained on its tuning complaints only: 260, then 380). Raise these as they improve.
HELD_OUT_FLOOR = {
    # First scored: critical 85.0%, high or above 91.2%, normal kept 80.8%, category 81.7%;
    # lexicon tuned on 180: the same; with a model from 260: 95.0%, 97.1%, 84.6%, 81.7%;
    # from 380: 90.0%, 94.1%, 88.5%, 81.7% (one critical complaint fewer, four ordinary more).
    "fr": Floor(0.875, 0.91, 0.86, 0.79),
    # First: 65.0%, 76.5%, 76.9%, 68.3%; tuned: 70.0%, 76.5%, 76.9%, 76.7%; model from 260:
    # 85.0%, 88.2%, 76.9%, 88.3%; from 380: 90.0%, 91.2%, 80.8%, 86.7%.
    "de": Floor(0.875, 0.88, 0.78, 0.84),
    # First: 75.0%, 85.3%, 80.8%, 76.7%; tuned: 80.0%, 88.2%, 84.6%, 76.7%; model from 260
    # and from 380: 90.0%, 94.1%, 88.5%, 85.0%.
    "es": Floor(0.875, 0.91, 0.86, 0.82),
}


def rules_for(code: str, english: Rules) -> Rules:
    """Rules as the shell builds them for a customer answered in ``code`` (English, the
    default, keeps its own)."""
    if code == "en":
        return english
    with (CONFIG / f"{code}.toml").open("rb") as handle:
        lexicon = Lexicon.from_mapping(tomllib.load(handle))
    model = CONFIG / f"{code}.model.json"
    opinion = SecondOpinion.from_mapping(json.loads(model.read_text(encoding="utf-8")))
    return replace(english, lexicon=lexicon, opinion=opinion, also=english.lexicon)


def labelled(code: str, part: str) -> list[Labelled]:
    rows = (DATA / code / f"{part}.jsonl").read_text(encoding="utf-8").splitlines()
    return [
        Labelled(
            row["id"],
            "\n".join(filter(None, [row.get("subject"), row["text"]])),
            row["severity"],
            row["category"],
        )
        for row in map(json.loads, filter(None, rows))
    ]


@pytest.mark.parametrize("code", ["fr", "de", "es"])
def test_each_language_grades_its_tuning_complaints_as_an_officer_would(
    code: str, rules: Rules
) -> None:
    if not (DATA / code / "tuning.jsonl").exists():
        pytest.skip(f"no labelled {code} complaints yet")
    assert_at_least(GOAL, labelled(code, "tuning"), rules_for(code, rules), f"{code} tuning")


@pytest.mark.parametrize("code", sorted(HELD_OUT_FLOOR))
def test_each_language_on_complaints_nobody_tuned_it_on(code: str, rules: Rules) -> None:
    items = labelled(code, "heldout")
    assert len(items) >= 60
    assert_at_least(HELD_OUT_FLOOR[code], items, rules_for(code, rules), f"{code} held-out")


def test_an_english_hazard_word_in_another_language_still_makes_it_critical(
    rules: Rules,
) -> None:
    spanish = rules_for("es", rules)
    assert classify("El cargador hizo sparks y olía a quemado", spanish).severity == "critical"
    assert classify("Mi pedido no ha llegado, the parcel is late", spanish).severity == "normal"
    german = rules_for("de", rules)
    text = "Ich habe gestern Brot gekauft. Weiter auf Englisch: I found glass in the bread"
    assert classify(text, german).severity == "critical"
    # ...but a word that is the language's own is read by its own lexicon alone.
    french = rules_for("fr", rules)
    assert classify("Mon téléphone va finir par exploser", french).severity == "normal"
    assert classify("Grille-pain reçu hier, une fente ne chauffe pas", french).severity == "normal"


def test_english_abbreviations_and_misspellings_do_not_read_other_languages(
    rules: Rules,
) -> None:
    spanish = rules_for("es", rules)
    # "esa" is Spanish for "that", not the ESA benefit; "solicito" is "I request".
    found = classify("Solicito que me devuelvan esa cantidad cobrada de más", spanish)
    assert found.severity == "normal", found.reasons


@pytest.mark.parametrize(
    ("code", "text", "severity"),
    [
        # Sound that crackles in headphones is a fault, not a shock waiting to happen...
        (
            "fr",
            "Mon casque (commande n° 44521) grésille depuis lundi dans l'oreillette gauche.",
            "normal",
        ),
        ("de", "Die Kopfhörer knistern auf dem linken Ohr", "normal"),
        ("en", "my new headphones crackle in the left ear", "normal"),
        # ...a socket or a charger that does is.
        ("fr", "La prise grésille et sent le chaud", "critical"),
        ("fr", "Le chargeur grésille et chauffe", "critical"),
        ("en", "the socket crackles and sparks when I plug in the kettle", "critical"),
    ],
)
def test_crackling_sound_is_not_an_electrical_hazard(
    rules: Rules, code: str, text: str, severity: str
) -> None:
    assert classify(text, rules_for(code, rules)).severity == severity


@pytest.mark.parametrize(
    ("code", "text", "category"),
    [
        # A tradesperson's work, with the invoice's number quoted: service, not billing.
        (
            "es",
            "El cerrajero vino el martes a cambiar la cerradura y ahora la llave no gira, me quedé "
            "fuera de casa toda la noche. Factura 3318",
            "service",
        ),
        (
            "fr",
            "le ramoneur est passé mardi et il a mis de la suie partout sur mon tapis blanc, "
            "facture R-7714",
            "service",
        ),
        (
            "de",
            "Der Schornsteinfeger kam zu spät und hat den Teppich schmutzig gemacht. Rechnung 4471",
            "service",
        ),
        ("en", "The locksmith came Tuesday and now the key won't turn, invoice 3318", "service"),
        # The invoice itself wrong, or charged twice: billing.
        ("es", "Me han cobrado dos veces la factura de marzo", "billing"),
        ("fr", "Ma facture est incorrecte", "billing"),
        ("de", "Die Rechnung ist falsch, Sie haben 80 Euro zu viel berechnet", "billing"),
    ],
)
def test_the_number_on_an_invoice_does_not_make_a_tradespersons_work_a_billing_complaint(
    rules: Rules, code: str, text: str, category: str
) -> None:
    assert classify(text, rules_for(code, rules)).category == category
