"""Money in what a customer wants: costs borne, money said not to matter, a sum (issue 14)."""

from __future__ import annotations

import pytest

from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Que vous me remboursiez le billet d'avion que j'ai dû racheter, 310 euros"),
        ("es", "pues que se hagan cargo de los gastos del hospital de mi suegra, como 6 mil pesos"),
        # Damage, a vet's bill, a fee paid elsewhere: paying for them is compensation.
        ("en", "Pay for the respray. £420 quote from my garage."),
        ("fr", "Qu'ils me remboursent la facture du vétérinaire, 142,50 $."),
        ("fr", "Qu'ils me remboursent les dégâts, le canapé et les livres"),
        ("de", "Die solln den Kratzer zahln, die Werkstatt sagt 680 Euro."),
        ("de", "I will dass d Fahrschul die 120 Euro TÜV-Gebühr übernimmt"),
        ("es", "Que me paguéis lo que se ha estropeado, calculo unos 600 euros"),
    ],
)
def test_money_back_for_costs_borne_is_compensation_whatever_the_model_says(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert vocabularies[language].answered_outcome(text) == "other"


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        ("en", "Money doesn't matter, I want it fixed", "repair"),
        ("fr", "L'argent m'est égal, je veux des excuses", "apology"),
        ("es", "El dinero no importa, quiero que lo arreglen", "repair"),
        ("de", "Das Geld ist nicht wichtig, ich will eine Entschuldigung", "apology"),
    ],
)
def test_money_said_not_to_matter_is_not_the_wish(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert vocabularies[language].answered_outcome(text) == outcome


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("es", "Quiero mi guitarra de vuelta, el dinero me da igual"),
        ("es", "Que me devuelvan mi guitarra, el dinero me da igual"),
        ("en", "I want my coat back, I'm not after the money"),
        ("de", "Ich will mei Uhr zrück. Des Geld is ma wurscht."),
        ("fr", "Je veux récupérer ma veste, l'argent je m'en fiche"),
    ],
)
def test_their_own_thing_back_with_the_money_waived_is_never_a_refund(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert vocabularies[language].answered_outcome(text) != "refund"


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # A sum to give back is a refund, whatever is said of the money.
        ("es", "Que me devuelvan los 4,50, no es por el dinero es por principio"),
        ("en", "I want my money back"),
        ("de", "Ich will mein Geld zurück"),
    ],
)
def test_a_sum_given_back_is_a_refund_even_on_principle(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert vocabularies[language].answered_outcome(text) == "refund"
