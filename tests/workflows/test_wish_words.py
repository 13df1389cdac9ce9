"""What a customer wants, as they link their wishes: set aside, or held back (issue 14)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.workflows.chat import Chat
from workflows.conversation import Field
from workflows.vocabulary import Vocabulary


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        ("en", "The money isn't the issue, I want someone to say sorry", "apology"),
        (
            "fr",
            "Franchement l'argent c'est secondaire. Ce que j'aimerais savoir, c'est pourquoi",
            "explanation",
        ),
        ("de", "geld brauch ich nich zurück, aber gebt uns halt zwei freikarten", "other"),
        ("es", "el dinero ya no es el tema, lo que quiero es que me pidan una disculpa", "apology"),
        (
            "es",
            "La plata ya me la devolvieron, eso no es el tema. Quiero que me pidan disculpas",
            "apology",
        ),
        ("es", "El dinero me da igual. Lo que quiero es que nos pida perdón", "apology"),
        # The comma inside a sum is no end of a clause: "is not the point" is said of it.
        (
            "en",
            "Refund of ₹1,499 is not the point. I want a proper written apology",
            "apology",
        ),
        # The learnt model reads "refund" here, not what was said of it: it does not overrule.
        (
            "en",
            "Compensate me the cost of saree, ₹12,000. Refund of ₹650 only is insulting.",
            "other",
        ),
        ("en", "You must pay for new curtains. Refunding the R640 won't help me.", "other"),
        ("de", "Kündigen. Das war jetzt das dritte Mal, Gutschrift brauch ich keine.", "other"),
        # Dialect: "kans" is "keins", "wurscht" is "egal"; "ni" after the money refuses it.
        ("de", "Geld brauch ma kans zruck. A ehrliche Entschuldigung wär's Mindeste.", "apology"),
        (
            "de",
            "Die 65 Euro san ma wurscht, i will wissen warum die Feile ned sauber war",
            "explanation",
        ),
        ("es", "Los 45 euros ni los quiero. Quiero que alguien me diga que lo siente.", "apology"),
    ],
)
def test_an_outcome_said_not_to_matter_is_not_the_wish(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert vocabularies[language].answered_outcome(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        ("en", "fix it, if not my money back", "repair"),
        ("en", "a new one please, otherwise a refund", "replacement"),
        # The wish before the fallback is in words no list holds: its stems say it.
        ("de", "am liebsten nen techniker der sich das anschaut, notfalls austauschen", "repair"),
        ("es", "que me lo arreglen, si no, que me devuelvan el dinero", "repair"),
        # A fallback said alone is still the wish: nothing stands before it.
        ("fr", "sinon, un remboursement", "refund"),
        # A sentence asking for something no list names, then "if not possible": the money
        # is only the fallback.
        ("en", "I want new bicycle same model. If not possible, the money £850.", "replacement"),
        ("fr", "Qu'il arrange le problème. S'il n'arrive pas, qu'il me rembourse", "repair"),
        # "Gratis" says how they want the repair, not another wish.
        ("es", "q me lo retoquéis gratis y si no tiene arreglo pues la pasta", "repair"),
        # "lui ou un autre" is whoever comes, not "another one" offered as an alternative.
        ("fr", "Qu'il revienne, lui ou un autre, changer la charnière. Sinon remboursez", "repair"),
    ],
)
def test_what_follows_a_fallback_is_wanted_only_if_the_first_wish_cannot_be_had(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert vocabularies[language].answered_outcome(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        (
            "en",
            "The washer you installed leaks. Order W-77821. If you can fix it this week fine, "
            "if not then I want it swapped out for a new one.",
            "repair",
        ),
        (
            "en",
            "Sofa order 2026/0412 came with a rip. I'll take a new one if you've got one in "
            "stock, if not then I want my money back.",
            "replacement",
        ),
        (
            "fr",
            "Ma TV achetée chez vous ne s'allume plus. Si vous n'arrivez pas à la réparer d'ici "
            "quinze jours, je veux être remboursé.",
            "repair",
        ),
        (
            "de",
            "Die Waschmaschine leckt seit gestern. Ich will, dass sie repariert wird.",
            "repair",
        ),
        # Bavarian "i wui" is "ich will"; "mei neues Hörgerät" is what broke, not the wish.
        (
            "de",
            "Servus, mei neues Hörgerät pfeift seit Dienstag dauernd. "
            "I wui dass des repariert wird.",
            "repair",
        ),
    ],
)
def test_a_first_message_wish_is_read_across_its_commas(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert _first_message_outcome(chat, vocabularies[language], text).startswith(outcome)


def test_a_first_message_naming_only_the_fallback_is_asked_what_they_want(
    chat: Chat, vocabularies: dict[str, Vocabulary]
) -> None:
    chat.settings = replace(chat.settings, vocab=vocabularies["de"])
    text = (
        "jacke in M bestellt, L gekommen, bestellnr 20-558713. "
        "wenns die in M noch gibt nehm ich die gern, sonst halt geld zurück"
    )
    chat.say(text)
    assert not chat.conversation.answered(Field.OUTCOME)


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        ("en", "I want the £68 taxi fare refunded", "other"),
        ("de", "Die Mehrkosten und das Taxi hätte ich gern erstattet", "other"),
        ("es", "que me devuelvan los gastos extra del hotel", "other"),
        # Paid for a new quilt after theirs ruined hers: compensation, not her money back.
        ("es", "que me paguen un edredón nuevo", "other"),
        ("es", "que me paguen los daños", "other"),
        ("es", "que me paguen una parte del precio", "refund"),
        # Costs borne named as compensation beside the word for refunding.
        ("fr", "Qu'elles remboursent mes frais de médecin, j'ai les reçus", "other"),
        ("en", "I want my money back", "refund"),
        # Goodwill is no standard outcome either.
        ("en", "Please give us free tickets to come again", "other"),
        ("de", "gebt uns halt zwei Freikarten", "other"),
    ],
)
def test_money_back_for_a_cost_the_fault_caused_is_compensation_not_a_refund(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert vocabularies[language].outcome_in(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        # Found by an attack review: none of these is a fallback, a dismissal or a hope.
        ("en", "It has leaked twice if not three times so I want a replacement.", "replacement"),
        ("en", "If the replacement arrives damaged again, I want my money back.", "refund"),
        (
            "en",
            "If you hadn't sent the wrong replacement I wouldn't be writing, I want a refund.",
            "refund",
        ),
        ("en", "Please, the replacement you sent is broken too, I want my money back.", "refund"),
        (
            "en",
            "The £20 delivery charge was already refunded so I want the rest of my money back.",
            "refund",
        ),
        (
            "de",
            "Das Zimmer war schmutzig. Ansonsten war alles okay, aber ich will mein Geld zurück.",
            "refund",
        ),
        ("es", "Quiero que me lo manden de vuelta reparado.", "repair"),
        # What a condition about the past names happened; the "not" of a dismissal is its own.
        (
            "en",
            "It broke again. If it wasn't for the rude engineer who came to fix it, I wouldn't "
            "complain. I want an apology.",
            "apology",
        ),
        (
            "en",
            "My boiler broke on Monday. Honestly the money is not the issue I just want it fixed.",
            "repair",
        ),
    ],
)
def test_words_that_look_like_a_fallback_or_a_dismissal_but_are_not(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert _first_message_outcome(chat, vocabularies[language], text).startswith(outcome)


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        (
            "en",
            "If you hadn't sent the wrong replacement I wouldn't be writing, I want a refund",
            "refund",
        ),
        (
            "es",
            "Si no me hubieran mandado un reemplazo roto no estaría escribiendo, quiero que me "
            "devuelvan el dinero",
            "refund",
        ),
        ("fr", "Si le technicien n'était pas venu réparer en retard je ne me plaindrais pas", None),
    ],
)
def test_an_outcome_in_a_condition_about_the_past_is_not_wished(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str | None
) -> None:
    assert vocabularies[language].outcome_in(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        # Swiss German: "kei Gäld zrugg" refuses the money, "neui Gläser" are new lenses.
        ("de", "Ich wott kei Gäld zrugg, ich wott neui Gläser wo stimmed.", "replacement"),
        ("es", "Plata no quiero, quiero un saco igual, era de un traje", "replacement"),
        ("es", "Que lo dejéis bien sin cobrarme nada más", "repair"),
        ("fr", "je veux nouvelles lunettes, pas réparer avec la colle", "replacement"),
        ("fr", "Faut que vous me la repeinturiez, c'est vous autres qui l'avez faite", "repair"),
        ("de", "Die Schiibe müend usgwächslet werde, flicke nützt da nüt.", "replacement"),
        ("de", "Ka Geld zruck, i mog neie Buidl, de wos passn", "replacement"),
        ("fr", "Qu'on m'envoie enfin un installateur, ça fait trois semaines", "repair"),
        ("en", "put me back on last years price and give me the difference back", "refund"),
        (
            "de",
            "Die H3 die ich bestellt hab. Nicht Geld zurück, ich brauch ja ne Matratze",
            "replacement",
        ),
        # "On en reparlera" is "we'll talk again", not "répar-"; the line restored is a repair.
        (
            "fr",
            "Je demande le rétablissement de ma ligne. Le dédommagement, on en reparlera.",
            "repair",
        ),
        ("fr", "que vous arrêtiez de prélever pis que vous me redonniez mon 54,99", "refund"),
        ("es", "Que regrese a terminar el trabajo que le pagué, sin cobrarme más", "repair"),
        # A manager's call is no explanation; "quelqu'un" is no repairer when they are to call.
        (
            "en",
            "I want the registered manager to telephone me personally and I want to know why",
            "other",
        ),
        ("fr", "Je veux que quelqu'un de la direction m'appelle aujourd'hui même.", "other"),
        ("fr", "Remettez-moi mes chaînes, je paie pour ça.", "repair"),
        ("de", "Ich möchte die Kosten für die Brille ersetzt bekommen.", "other"),
        # The condition names what is hoped for; the money is the fallback.
        (
            "fr",
            "Si vous n'arrivez pas à corriger les verres, alors je veux être remboursée",
            "repair",
        ),
    ],
)
def test_a_wish_in_dialect_or_beside_a_refusal_is_read(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert vocabularies[language].answered_outcome(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        ("en", "I want a refund and an apology. Both.", "other"),
        (
            "en",
            "Reimburse the clothes I had to buy and send me the right bag, both please",
            "other",
        ),
        (
            "fr",
            "Que votre assurance paye le miroir ET qu'on vienne poncer le parquet, les deux",
            "other",
        ),
        (
            "es",
            "Quiero que me devolváis la consulta y que me expliquéis qué pasó. Todo.",
            "other",
        ),
        # All of one thing is that thing; all of a fallback is still a fallback.
        ("en", "I want a refund. All of it.", "refund"),
        ("es", "Quiero que me devuelvan todo", "refund"),
        ("en", "Fix it. If you can't fix it, I want my money back, all of it.", "repair"),
    ],
)
def test_several_wishes_wanted_together_are_no_one_standard_outcome(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert vocabularies[language].answered_outcome(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        (
            "en",
            "The worktop you fitted on the 24th is chipped. Job 4471. Just replace it.",
            "replacement",
        ),
        (
            "en",
            "Job 4471, the worktop is chipped. "
            "Fix the worktop and take something off the bill. Both.",
            "other",
        ),
        (
            "fr",
            "Mon casque n° 44521 grésille depuis lundi. Réparez-le, sinon remboursez-moi.",
            "repair",
        ),
        (
            "de",
            "Der Toaster (Bestellung 88123) ist kaputt. Erstatten Sie mir den Betrag.",
            "refund",
        ),
        ("es", "La lavadora del pedido 7781-22 llegó rota. Cámbienme la lavadora.", "replacement"),
    ],
)
def test_a_wish_said_as_an_imperative_in_a_first_message_is_not_asked_again(
    chat: Chat, vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str
) -> None:
    assert _first_message_outcome(chat, vocabularies[language], text).startswith(outcome)


def test_a_verb_after_and_is_not_an_imperative(chat: Chat) -> None:
    chat.say(
        "Engineer was supposed to come and fix my boiler yesterday, job ref BG558120. "
        "Nobody showed up."
    )
    assert not chat.conversation.answered(Field.OUTCOME)


def _first_message_outcome(chat: Chat, vocab: Vocabulary, text: str) -> str:
    """The outcome recorded from a first message alone ("" when it is still to be asked)."""
    chat.settings = replace(chat.settings, vocab=vocab)
    chat.say(text)
    return chat.conversation.answer(Field.OUTCOME) or ""
