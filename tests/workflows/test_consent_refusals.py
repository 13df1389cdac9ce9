"""Consent refused in the customer's words, and the answers that only sound like a refusal."""

from __future__ import annotations

import pytest

from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Would rather not, to be honest."),
        ("en", "naw, ah'm no wantin ma details kept"),
        ("fr", "Non, je préfère pas que vous gardiez mes infos."),
        ("de", "Na, des mog i ned."),
        ("de", "Lieber nich, ick will nur dass die Rechnung wegkommt."),
        ("es", "No, no vull que guarden res"),
        # A bare no, then a reason: nothing after it gives way.
        ("de", "Nein. Sie haben meine Adresse ja sowieso."),
        ("en", "No. You have my address anyway."),
        ("de", "Nai, das will i nit. I will nur mis Gäld."),
        # A question back, then their own answer to it.
        ("de", "Sie wollen meine Daten behalten? Nein, auf keinen Fall!"),
        ("en", "Why do you need them? No."),
        ("de", "Nei, lieber nöd."),
        ("de", "Nein. Ich möchte nicht, dass Sie meine Daten noch länger speichern."),
        # "Ya" after a refusal is "already", not a yes that gives way.
        ("es", "No, mejor no. Ya bastante tienen ustedes."),
        ("es", "Prefiero que no."),
        ("es", "No. Eso no. Que luego me llaman pa venderme cosas."),
        ("fr", "Non. Je préfère que ces informations ne soient pas gardées."),
        # "Nur" here is what they want instead, not a limit on a consent.
        ("de", "Nein, bitte nicht speichern. Nur antworten."),
        # Tyrolean: "I would not like that".
        ("de", "Na, des mecht i nit. Meine Daten kriegs es nit a no."),
        ("de", "Na, liabr ned. Mached's eifach."),
        ("de", "Na. Des geht niemand was an, des is eh privat gnua."),
        ("en", "naw. just gie me ma money"),
        ("de", "Na. Meine Daten bleiben bei mir."),
        ("de", "Naa, lieber ned."),
        ("de", "Na. Ned speichern bitte."),
        ("en", "nah rather you didn't, just cancel it"),
        # "C'est tout": what they want instead, not a yes after the no.
        (
            "fr",
            "Non, je ne veux pas que vous gardiez quoi que ce soit. Traitez-la, c'est tout.",
        ),
    ],
)
def test_a_refusal_in_the_customers_own_words_is_a_refusal(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert vocabularies[language].refuses(text)
    assert not vocabularies[language].agrees(text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "yes, rather not be called though"),
        ("de", "Ja, aber lieber nicht anrufen"),
        # A no that gives way after it is no refusal either.
        ("en", "No, well ok then"),
        ("de", "Nein. Na gut, ok."),
        ("en", "No. Let me think about it"),
        # A question back and no answer to it yet.
        ("es", "¿Y eso para qué es? No sé, después veo."),
        ("de", "Muss das sein? Na gut, ja."),
        # Words that refuse, then a clause that gives way: asked again.
        ("es", "Preferiría que no, la verdad. Pero si hace falta, vale."),
        ("es", "Prefiero que no, pero si es necesario, adelante."),
    ],
)
def test_a_yes_then_a_wish_about_how_is_asked_again_not_taken_as_a_refusal(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    # A refusal sets the complaint aside: a customer who opened with yes is asked again.
    assert not vocabularies[language].refuses(text)
