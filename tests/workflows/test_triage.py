"""Triage as a careful officer reads: hazards in ordinary words, negation, misspellings, reasons."""

from __future__ import annotations

from typing import Any

import pytest

from workflows.lexicon import Lexicon
from workflows.triage import Assessment, assess


def grade(text: str, lexicon: Lexicon) -> Assessment:
    return assess(text, lexicon, "general")


@pytest.mark.parametrize(
    "text",
    [
        # The complaints issue 7 found graded normal.
        "The kettle base sparked when I switched it on",
        "I got an electric shock from the lamp when I touched the switch",
        "The ladder collapsed under me and I broke my wrist",
        "There was a piece of glass in my sandwich",
        "Your app showed me another customer's name, address and order history",
        # Hazards in ordinary words and forms.
        "my toddler choked on a small part that came off the toy",
        "the charger melted overnight",
        "my daughter has been scalded by the kettle lid flying off",
        "He swallowed one of the magnets",
        "strong smell of gas since your engineer left",
        "I came up in hives and my throat swelled after eating your cereal bar",
        "the shelf bracket gave way and the unit came down next to my baby",
        "Our dog was violently sick after eating your treats and is at the vet",
        "three payments I never authorised have gone from my account",
        "someone logged into my account from abroad and changed my password",
        "the water from the leak is running into the plug socket",
        "my son was injured",
        "she is injuring herself on the sharp edge",
        "he has been hurt",
        # Misspellings of long words.
        "i got an elecric shock off it",
        "she had an alergic reaction",
        "he was taken to hosptial",
        # A negation earlier in the sentence that rules out something else (from a review).
        "Without warning the battery exploded in my son's hand.",
        "I can't get anyone to come out about the gas smell in the flat",
        "It wasn't my fault the kettle exploded.",
        "I haven't slept since my daughter was hospitalised after eating your yoghurt.",
        "He couldn't walk after the fall from the broken chair.",
        # Risk to life in the customer's own words.
        "I want to die, I can't take any more of this.",
        "I'd be better off dead at this rate.",
        "I'm thinking about taking my own life.",
        "He's been diagnosed with salmonella.",
        "Your driver almost ran over my cat reversing out of the drive.",
        "You sent my bank statements to someone else's address.",
        "caught f\u200bire",  # an invisible character inside a word
        # Money and accounts taken over, described without the obvious words.
        "a £250 charge from ur app at 3am, i was ASLEEP n my phone was next to me, i never bought",
        "Somebody changed my PIN and the phone number on my wallet and they still has access",
        "courier lobbed the sack over the gate and it landed on my rabbit",
    ],
)
def test_danger_and_harm_are_critical(text: str, lexicon: Lexicon) -> None:
    assert grade(text, lexicon).severity == "critical", grade(text, lexicon).reasons


@pytest.mark.parametrize(
    "text",
    [
        "I'll be taking this to the Financial Ombudsman",
        "My solicitor will be in touch",
        "I'm reporting you to Trading Standards",
        "I will speak to my solicter about this",
        "see you in small claims court",
        "I'm going to the press with this",
        # Vulnerability, in the forms customers use.
        "My mother is elderly and lives alone",
        "I am disabled and cannot get to the depot",
        "I'm 8 months pregnant and your engineer never came",
        "I am a full-time carer for my husband",
        "I was recently bereaved and the account is in my late husband's name",
        "I suffer with my mental health and these calls are making it worse",
        "I was refused service because of my headscarf, that is discrimination",
        "im 84 and on assisted collection, they havent taken my bins in 4 wks",
        "if its not sorted by fri my solicter is getting involved",
        "I've lodged a complaint with NSW Fair Trading about the mower",
    ],
)
def test_legal_intent_and_vulnerability_are_high(text: str, lexicon: Lexicon) -> None:
    assert grade(text, lexicon).severity == "high", grade(text, lexicon).reasons


@pytest.mark.parametrize(
    "text",
    [
        # Negated, ruled out, figurative or innocent: the issue's own examples first.
        "nobody was hurt",
        "it's not a legal matter",
        "I don't want to involve a lawyer",
        "the shock was the price",
        "the fire door sign is misspelt",
        "No one was injured but the box was crushed",
        "I don't want to make a fuss or involve a solicitor, I just want my money back",
        "Shocking customer service, two hours on hold",
        "The smoke alarm I ordered arrived three days late",
        "I nearly died of embarrassment at the till",
        "my order of sparkling water never came",
        "I work in A&E so I can't take deliveries during the day",
        "I ordered the rug in smoke grey and it came in blue",
        "your prices are killing me",
        "I was fired up about the offer but it never arrived",
        # Alarming words used as people use them (from a review).
        "I got a shock when I saw the bill.",
        "Er, the parcel never came",
        "My phone bill exploded this month",
        "I bought a burn cream and got the wrong size.",
        "The wax melts I ordered arrived melted.",
        "delivered to the wrong house so a stranger has my new shoes",
        "I'm 85% sure I cancelled that order.",
        "My dad is retired and wants to change his tariff.",
        "I heard on the radio about your sale",
        # Real words a step away from hazard words, met in real mail.
        "the expansion pack has 40 chars per line",
        "a CD burner and a publication date",
        # A visit to the vet is not harm; a hypothetical is not a hazard (from reviews).
        "dog had an op last month (nothing to do with u) n the vet says sensitive range",
        "What if it starts leaking onto the lights downstairs?",
        "the 'fire red' dress i orderd is more of a dull orange",
        "My profile picture keeps disappearing",
    ],
)
def test_negated_figurative_and_innocent_words_stay_normal(text: str, lexicon: Lexicon) -> None:
    assert grade(text, lexicon).severity == "normal", grade(text, lexicon).reasons


def test_a_negated_hazard_is_recorded_as_ignored_so_staff_see_it(lexicon: Lexicon) -> None:
    found = grade("Luckily nobody was hurt, but the parcel was soaked", lexicon)
    assert found.severity == "normal"
    assert [(r.kind, r.rule, r.words, r.note) for r in found.reasons if r.kind == "ignored"] == [
        ("ignored", "injury", "hurt", "negated")
    ]


def test_a_negation_ends_at_the_clause_and_a_later_hazard_counts(lexicon: Lexicon) -> None:
    assert grade("No damage to the box, but my hand was burnt", lexicon).severity == "critical"
    assert grade("Not only did it spark, it smoked", lexicon).severity == "critical"
    assert grade("I can't believe it caught fire", lexicon).severity == "critical"


def test_a_hazard_mentioned_in_passing_in_a_long_email_counts(lexicon: Lexicon) -> None:
    text = (
        "Dear team,\n\nI ordered the garden furniture set in May and it arrived a week late, "
        "which I was prepared to overlook. The assembly instructions were missing pages too. "
        "When my father sat on one of the chairs on Sunday the leg snapped and he fell "
        "backwards onto the patio; he is 82 and had to have his head stitched.\n\n"
        "I would like a full refund and for someone to look at the design.\n\nRegards, Ana"
    )
    found = grade(text, lexicon)
    assert (found.severity, found.category) == ("critical", "product")


def test_a_forgiven_misspelling_says_what_it_was_read_as(lexicon: Lexicon) -> None:
    found = grade("she had an alergic reaction", lexicon)
    notes = [r.note for r in found.reasons if r.kind == "severity"]
    assert any("allerg" in note for note in notes), found.reasons


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("frawd on my card, money gone", "critical"),
        ("gas smel in the flat since ur engineer left", "critical"),
        ("my acc got haked n sum1 changed the email", "critical"),
        ("was sick all nite after the curry", "critical"),
        ("the ur fire door sign is wrong lol", "normal"),
        ("i didnt get hurt n nobody was burnt", "normal"),
    ],
)
def test_text_speak_and_short_slips_are_read_as_the_words_they_stand_for(
    lexicon: Lexicon, text: str, severity: str
) -> None:
    assert grade(text, lexicon).severity == severity


def test_a_real_word_is_never_read_as_a_misspelling(lexicon: Lexicon) -> None:
    # "scolded" is one letter from "scalded", "charged" from "charred".
    assert grade("the manager scolded the cashier", lexicon).severity == "normal"
    assert grade("you charged me twice", lexicon).severity == "normal"


def test_the_category_is_what_the_complaint_is_about(lexicon: Lexicon) -> None:
    assert grade("the courier left my parcel in the rain", lexicon).category == "delivery"
    assert grade("I was overcharged on my last bill", lexicon).category == "billing"
    assert grade("the jumper shrank after one wash", lexicon).category == "product"
    assert grade("your advisor was rude and hung up on me", lexicon).category == "service"
    assert grade("please stop sending me marketing emails", lexicon).category == "privacy"
    assert grade("your website keeps crashing at checkout", lexicon).category == "general"
    assert grade("", lexicon) == Assessment("normal", "general", ())


def small(**extra: Any) -> Lexicon:
    """A tiny lexicon to test the syntax: one critical signal and two categories."""
    data: dict[str, Any] = {
        "language": "en",
        "negation": {"cues": ["not", "no"], "scope_ends": ["but"], "window": 4},
        "signals": [
            {
                "name": "hazard",
                "severity": "critical",
                "terms": ["spark", "melt*", "*proof", "=hot", "gave ... a shock", "=is =9?"],
                "unless": ["spark plug"],
            },
            {
                "name": "shock near electricity",
                "severity": "critical",
                "terms": ["shock"],
                "near": ["socket"],
            },
        ],
        "categories": [
            {"name": "delivery", "terms": ["parcel"]},
            {"name": "billing", "terms": ["refund"], "weight": 1},
        ],
    }
    data.update(extra)
    return Lexicon.from_mapping(data)


@pytest.mark.parametrize(
    ("text", "severity"),
    [
        ("it sparks", "critical"),  # a stem: spark, sparks, sparked, sparking
        ("it sparked", "critical"),
        ("the sparkling one", "normal"),
        ("the casing melted", "critical"),  # a prefix
        ("it is fireproof", "critical"),  # a suffix
        ("it was hot", "critical"),  # exactly this word
        ("it was hotter", "normal"),
        ("my father is 92", "critical"),  # "?" is any one letter or digit
        ("the voltage is 9", "normal"),
        ("the total is 120", "normal"),
        ("it gave my little boy a shock", "critical"),  # "..." stands for up to three words
        ("it gave me, a grown man with a great deal of patience, a shock", "normal"),
        ("I replaced the spark plug", "normal"),  # an exception
        ("a shock from the socket", "critical"),  # near: in the same sentence
        ("what a shock. it was loud. the socket is fine", "normal"),
        ("Our socket was new. Then the shock came", "critical"),  # or a neighbouring one
        ("it did not spark", "normal"),  # negated within the window
        ("it did not work but then it sparked", "critical"),  # the clause ended
        ("not one of the many hundreds of parts sparked", "critical"),  # past the window
    ],
)
def test_the_lexicon_syntax(text: str, severity: str) -> None:
    assert grade(text, small()).severity == severity


def test_category_ties_go_to_the_first_listed_and_weights_decide_otherwise() -> None:
    assert grade("parcel refund", small()).category == "delivery"
    heavier = small(
        categories=[
            {"name": "delivery", "terms": ["parcel"]},
            {"name": "billing", "terms": ["refund"], "weight": 2},
        ]
    )
    assert grade("parcel refund", heavier).category == "billing"
    assert grade("nothing here", small()).category == "general"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"language": "xx"}, "no stemmer"),
        ({"signals": [{"name": "x", "severity": "urgent", "terms": ["a"]}]}, "high or critical"),
        ({"signals": [{"name": "x", "severity": "high", "terms": []}]}, "at least one"),
        ({"signals": [{"name": "x", "severity": "high", "terms": ["... a"]}]}, "between words"),
        (
            {"signals": [{"name": "x", "severity": "high", "terms": ["a"], "category": "z"}]},
            "unknown category 'z'",
        ),
        ({"negation": {"window": 0}}, "window"),
        ({"spellings": {"two words": "x"}}, "one written word"),
        ({"spellings": {"frawd": 3}}, "one written word"),
        ({"spellings": []}, "table of written"),
        ({"categories": [{"name": "d", "terms": "parcel"}]}, "list of words"),
        ({"categories": [{"name": "d", "terms": ["x"], "weight": -1}]}, "positive"),
        # A misspelt key would be a rule silently ignored.
        ({"signals": [{"name": "x", "severity": "high", "terms": ["a"], "unles": ["b"]}]}, "unles"),
        ({"negations": {"cues": ["no"]}}, "unknown negations"),
        ({"signals": [{"name": "x", "severity": "high", "terms": ["colo?r"]}]}, "exact word"),
        ({"signals": [{"name": "x", "severity": "high", "terms": ["gave...a"]}]}, "spaces"),
        ({"signals": [{"name": "x", "severity": "high", "terms": ["=fire*"]}]}, "exact .* or"),
        (
            {"signals": [{"name": "x", "severity": "high", "terms": ["a"], "negatable": "no"}]},
            "true or false",
        ),
        (
            {
                "signals": [
                    {"name": "x", "severity": "high", "terms": ["a"], "near_sentences": True}
                ]
            },
            "near_sentences",
        ),
    ],
)
def test_a_mistake_in_the_lexicon_is_named(change: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        small(**change)
