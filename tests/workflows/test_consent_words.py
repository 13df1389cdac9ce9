"""Consent in the customer's words: a longer yes, a reluctant one, and what is never one."""

from __future__ import annotations

import pytest

from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text", "agrees"),
    [
        ("en", "Yes, you can keep them.", True),
        ("en", "yes I'm fine with that", True),
        ("en", "yes but not my phone number", False),
        ("en", "sure, but why do you need it?", False),
        ("en", "yes delete my data", False),
        # Not consent: a question back, second thoughts, an exception, a refusal, "si" = if.
        ("en", "sure why do you need it", False),
        ("en", "Ok I'll think about it", False),
        ("en", "Yes except my phone number", False),
        ("en", "Yes, I'd rather you didn't", False),
        ("en", "yeah nah", False),
        ("fr", "d'accord, je vais réfléchir", False),
        ("fr", "ok pourquoi vous en avez besoin", False),
        ("de", "ja bitte löschen", False),
        ("de", "Ja, außer meiner Telefonnummer", False),
        ("es", "Si me devuelven el dinero", False),
        ("fr", "oui, c'est bon pour moi", True),
        ("es", "Sí, no hay problema", True),
        ("fr", "oui pas de trouble", True),
        ("fr", "oui, c'est en ordre pour moi", True),
        ("fr", "oui mais pas mon adresse", False),
        ("de", "ja, dürfen Sie gerne speichern", True),
        # Not passed on: a limit on what the yes is for (below), not an exception to it.
        ("de", "ja, aber nicht weitergeben", True),
        ("es", "sí, no hay drama", True),
        ("es", "sí, pueden guardarlos sin problema", True),
        ("es", "sí pero no mi teléfono", False),
        # A yes said again, or with only a few words besides it.
        ("en", "Yes, that is quite all right.", True),
        ("en", "Yes I am agreeing", True),
        ("en", "yes no wahala", True),
        ("es", "ya", True),
        ("en", "yes, maybe later", False),
        ("en", "ok let me check first", False),
        ("de", "ja vielleicht", False),
        ("es", "sí, tal vez", False),
        # Consent for this complaint only is what was asked for; a "but" that limits it to
        # that takes nothing back. Dialect and doubled yeses.
        ("en", "yes, but only for this complaint", True),
        ("en", "yes for this complaint only", True),
        ("en", "yes, but not for this complaint", False),
        ("fr", "oui mais seulement pour cette réclamation", True),
        ("de", "ja, aber nur für diese Beschwerde", True),
        ("es", "sí, solo para esta queja", True),
        ("en", "aye", True),
        ("de", "jaja mach nur", True),
        # A reluctant yes is a yes; reluctance that holds back, takes back or asks is not.
        ("en", "I suppose so", True),
        ("en", "yes if you must, as long as you don't pass it on", True),
        ("en", "I suppose so, but not my phone number", False),
        ("en", "if you must know, no", False),
        ("en", "I guess so? what is it for", False),
        ("fr", "Si c'est vraiment nécessaire, oui", True),
        ("fr", "bon ok, si c'est obligé", True),
        ("fr", "si c'est nécessaire, mais je vais réfléchir", False),
        ("de", "jut, meinetwejen", True),
        # What is asked is consent to handle this complaint: not passing the details on, not
        # using them for advertising, is what that consent is anyway (a limit, not a no).
        ("de", "wenn es sein muss, aber nicht weitergeben", True),
        ("es", "si no queda de otra, sí", True),
        ("es", "simón", True),
        ("de", "k", True),
        # Consent that names its purpose, and courtesy around a yes; the courtesy alone is not.
        ("fr", "J'accepte, pour les besoins exclusifs du traitement de ma réclamation.", True),
        ("fr", "Oui bien sûr, si c'est pour traiter ma réclamation.", True),
        ("fr", "Allez, oui.", True),
        ("fr", "allez", False),
        ("es", "Sí, no hay problema, joven.", True),
        ("es", "Sí, podéis guardarlos.", True),
        ("es", "si ps", True),
        ("es", "joven", False),
        ("en", "yeah whatever, fine", True),
        ("en", "whatever", False),
        ("fr", "Oui safi", True),
        ("fr", "oui ya pas dproblème", True),
        ("de", "Wenn's sei muss, ja.", True),
        ("de", "Ja freilich.", True),
        ("es", "sí, cómo no", True),
        ("es", "¿cómo no?", False),
        ("es", "ya pe, sí", True),
        ("en", "Yes, provided it is kept confidential", True),
        # Formal consent that says what it allows; dialect; a yes in another tongue's spelling.
        (
            "en",
            "I consent to you retaining my details for the purpose of handling this complaint.",
            True,
        ),
        ("en", "Yes, you may retain them.", True),
        ("en", "no you may not retain them", False),
        ("en", "Ar, go on then", True),
        ("fr", "oui vous savez garder, pas de souci", True),
        ("fr", "oui mon frère, vous pouvez", True),
        ("fr", "non vous pouvez pas", False),
        ("de", "Jo, des passt.", True),
        ("de", "passt nicht", False),
        ("de", "Ja, aber bitte nur für diese Beschwerde.", True),
        ("de", "Ja, aber bitte nicht für Werbung", True),
        ("es", "Sì, sí, ok", True),
        ("en", "Very well.", True),
        ("en", "Yes, you may store", True),
        ("fr", "mouais ok", True),
        ("fr", "mouais, non", False),
        ("fr", "Ja, oui, d'accord.", True),
        ("de", "ja, isch in Ornig", True),
        ("de", "Einverstanden, sofern die Daten nur für diesen Vorgang verwendet werden.", True),
        ("es", "Bueno, si no hay más remedio, sí", True),
        ("es", "si no hay más remedio, no", False),
        ("es", "qué sé yo", False),
        # Round 12: keeping them said in other words, dialects, a grudging "what else".
        ("fr", "Oui, vous pouvez conserver mes coordonnées pour ce dossier.", True),
        ("fr", "Oui oui, gardez-les.", True),
        ("fr", "ne les gardez pas", False),
        ("de", "Jo, dat geiht in Ordnung.", True),
        ("de", "dat geiht nich in ordnung", False),
        ("es", "Sí, autorizo la conservación de mis datos", True),
        ("es", "ya pues, qué más queda", True),
        ("es", "sí, dele", True),
        # Round 13.
        ("en", "Yes, you may keep my details for the purpose of this complaint.", True),
        ("en", "Yes, keep them until this is resolved", True),
        ("de", "Ja mei, wenns sei muaß.", True),
        ("de", "ja klar, speichert halt", True),
        ("de", "speichert nichts", False),
        ("es", "Presto mi consentimiento.", True),
        ("es", "no presto mi consentimiento", False),
        # Round 16: Jamaican, Kenyan, Réunion, Luxembourgish, Basque, Canarian yeses.
        ("en", "Yeah mon, no problem", True),
        ("en", "Sawa, yes", True),
        ("fr", "Oui, na point problème.", True),
        ("de", "Jo, dat ass ok.", True),
        ("de", "Wenn's hilft, ja.", True),
        ("es", "Bai, sí, para esto sí.", True),
        ("es", "Sí, seguro", True),
        ("es", "no estoy seguro", False),
        ("es", "seguro que no", False),
        # Round 19: Doric, Belfast, South African, Haitian, Swabian, Turkish-German, Basque.
        ("en", "Aye, nae bother.", True),
        ("en", "Aye dead on", True),
        ("en", "ja ok", True),
        ("fr", "Wi, pa gen pwoblèm", True),
        ("fr", "Oui, bien sûr, si cela peut servir à quelque chose.", True),
        ("fr", "oui si vous me remboursez", False),
        ("de", "Jo, das dörfe Si.", True),
        ("de", "Ja tamam, ok.", True),
        ("de", "Ja, für die Bearbeitung dieser Beschwerde.", True),
        ("es", "Bai, ados", True),
        ("es", "Sí, claro, pa eso escribo", True),
        # Terms of address and dialect yeses (Welsh, Cornish, Norfolk, Swabian, Platt).
        ("en", "Yes, that's fine bach.", True),
        ("en", "Yes, that's fine my luvver.", True),
        ("en", "yis thass alright bor", True),
        ("en", "Yes, I suppose so, if it is needed.", True),
        ("de", "Ha jo, freilich.", True),
        ("de", "Jo, mok dat man.", True),
        ("fr", "oui khoya c bon", True),
        ("es", "Si, claro, sen problema", True),
        ("en", "yes, if it is needed, but no", False),
        ("en", "shoots", True),
        ("fr", "Ouais, allez-y, de toute façon vous les avez déjà.", True),
        ("de", "Ja. Für meinen Vater ebenfalls, er ist einverstanden.", True),
        ("es", "Sí, mientras dure la reclamación.", True),
        ("en", "Yes, certainly.", True),
        ("fr", "Je n'y vois pas d'objection.", True),
        ("de", "Jo, bassd scho.", True),
        ("es", "Sí, por supuesto, faltaría más", True),
        # Regional words beside a yes (Costa Rica, Kölsch, Bavaria, Tunisia), and a relative's.
        ("es", "Sí, tuanis", True),
        ("de", "Jo, is jut.", True),
        ("de", "Ja fei.", True),
        ("fr", "Oui behi, pas de problème", True),
        ("en", "Yes, that's fine, she says ok.", True),
        # Kiwi, Welsh, Canadian, Réunion, Ivorian, Alsatian, Bavarian, Saxon, Kölsch, Platt.
        ("en", "Yeah, sweet as.", True),
        ("en", "Yes, no problem at all, love.", True),
        ("en", "Sure, eh", True),
        ("en", "Yes, that would be acceptable.", True),
        ("en", "Yes, fine for the both of us.", True),
        ("fr", "Oui, lé bon", True),
        ("fr", "Ya pas drap.", True),
        ("fr", "Oui hopla", True),
        ("de", "Jo, kei Problem", True),
        ("de", "Nu, machen Se das.", True),
        ("de", "Jawoi, freilich.", True),
        ("de", "Jo, dat es en Ordnung.", True),
        ("de", "Jo, kannste maken.", True),
        ("es", "Sí, muchas gracias", True),
        # Geordie, a carer, Norman, banlieue, Lebanese, Saxon, Swiss, Bogotá, Costa Rica, a
        # Romanian writing Spanish; "me da igual" alone is no yes.
        ("en", "Aye, gan on.", True),
        ("en", "Yes, that's fine, on his behalf as well.", True),
        ("fr", "Dame oui, allez-y", True),
        ("fr", "ouais vsy", True),
        ("fr", "Oui, merci kteer", True),
        ("fr", "Oui, pour moi et pour papa aussi", True),
        ("de", "Jo, man to.", True),
        ("de", "ja wayne", True),
        ("de", "Ja, im Rahmen der Bearbeitung dieser Beschwerde.", True),
        ("de", "Jo, des goht en Ordnung.", True),
        ("es", "Sí, sumercé, no hay problema", True),
        ("es", "Sí, claro, pura vida", True),
        ("es", "Da, sí, vale", True),
        ("es", "vale si, lo q sea", True),
        ("es", "me da igual", False),
        ("en", "Yes that's fine darling", True),
        ("fr", "oui bien sûr habibi", True),
        ("de", "Jo, sell passt.", True),
        ("de", "Jo, dat jeiht klar.", True),
        ("es", "Sí, ensin problema", True),
        ("es", "Sí, nítido", True),
        ("es", "sí, mi arma", True),
        ("en", "Ess, go on", True),
        ("en", "Aye, that's reet", True),
        ("fr", "Oui normalement c bon", True),
        ("fr", "Da, oui, pas de problème", True),
        ("fr", "Je vous y autorise, dans le cadre strict de cette réclamation.", True),
        ("de", "Jo, dat geht.", True),
        ("de", "Jo, mache Se ruhig.", True),
        ("es", "Sí, ñaño", True),
        ("es", "Sí, pode ser", True),
        # Alsatian "yo", Basque "bai", Réunion "mi veut bien", Belgian "non, peut-être".
        ("fr", "Yo, d'accord", True),
        ("fr", "Bai, oui", True),
        ("fr", "Oui mi veut bien", True),
        ("fr", "Non, peut-être !", True),
        ("de", "Jo, isch recht.", True),
        ("es", "Otorgo mi consentimiento, naturalmente.", True),
        ("de", "Jo, das isch i dr Ornig.", True),
        ("de", "Jo, mache mer so.", True),
        ("es", "Sí, home, sí.", True),
        ("en", "she says yes thats fine love", True),
        ("fr", "ui", True),
        ("fr", "Oui, va bene", True),
        ("fr", "Oui, biloute", True),
        ("en", "Yes, I understand. You may.", True),
        ("en", "I understand", False),
        ("fr", "Je vous en donne bien volontiers l'autorisation.", True),
        ("de", "Jo, is jot.", True),
        ("es", "Naturalmente, no tengo inconveniente.", True),
        ("es", "Sí, claro, ve", True),
        ("es", "Sí, bé", True),
        ("fr", "Je n'y vois pas d'inconvénient.", True),  # not a "pas" that refuses
        ("fr", "Yalla oui", True),
        ("fr", "Waaw", True),  # Wolof
        ("en", "Not acceptable, no.", False),
    ],
)
def test_a_longer_answer_agrees_when_it_opens_with_yes_and_takes_nothing_back(
    vocabularies: dict[str, Vocabulary], language: str, text: str, agrees: bool
) -> None:
    assert vocabularies[language].agrees(text) is agrees


@pytest.mark.parametrize(
    ("language", "text"),
    [
        # Found by an attack review: none of these gives consent (asked again instead).
        ("en", "Go ahead and delete it"),
        ("en", "yes please delete it"),
        ("en", "I consent to nothing"),
        ("en", "Sure, you can't keep it"),
        ("en", "I do mind"),
        ("en", "I guess I'll pass"),
        ("en", "Yeah right"),
        ("en", "sure, when pigs fly"),
        ("en", "ok 🙄"),
        ("en", "ok cancel it"),
        ("en", "yes if deleted after"),
        ("en", "yes except my phone"),
        ("en", "yes to a refund"),
        ("en", "ok later"),
        ("en", "Agree to what?"),
        ("fr", "j'accepte rien"),
        ("fr", "ok supprime tout"),
        ("fr", "ouais c'est ça"),
        ("fr", "oui, pour un mois"),
        ("fr", "ok on verra"),
        ("de", "Ok, speichern Sie nichts"),
        ("de", "passt ned"),
        ("de", "ja, unter einer Bedingung"),
        ("de", "ja, nachher"),
        ("es", "¡Qué va!"),
        ("es", "si me pagan"),
        ("es", "Sí, si me devuelven el dinero"),
        ("es", "ya veremos"),
        ("es", "vale, olvídalo"),
        # A condition or a take-back is no limit on what the consent is for.
        ("en", "yes, only if you refund me"),
        ("en", "ok, only kidding, no"),
        ("en", "no, only for marketing"),
        ("fr", "oui mais seulement si vous me remboursez"),
        ("de", "ja nur wenn ihr zahlt"),
        ("es", "si, solo si me pagan"),
        ("es", "sí, pero solo mañana"),
    ],
)
def test_an_answer_that_is_not_consent_is_never_read_as_consent(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert not vocabularies[language].agrees(text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Yes, provided the details are used solely for this complaint."),
        ("en", "yes, but don't share it"),
        ("fr", "Ok mais pas de pub hein"),
        ("fr", "Oui, pour le traitement de cette réclamation uniquement."),
        ("de", "Ja meinetwegen, aber nicht an Fremde weitergeben."),
        ("de", "Ja, aber nur für die Sache hier."),
        ("es", "Bueno, vale, pero que no me llamen para anuncios."),
        ("es", "Sí, siempre y cuando no los usen para publicidad."),
        # "s'il vous plaît" is courtesy, not the "s'il" of a condition.
        ("fr", "Oui, mais pas de newsletter ni de pub s'il vous plaît."),
    ],
)
def test_a_yes_limited_to_handling_this_complaint_is_consent(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    # What is asked is consent to handle this complaint: "only for this", "no marketing"
    # grant exactly that, where asking again would tell the customer they were not heard.
    assert vocabularies[language].agrees(text)


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
