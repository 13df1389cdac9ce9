"""The customer's words: commands, yes/no/skip, outcomes, as the shipped vocabulary defines them."""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

import pytest

from workflows.phrases import normalise
from workflows.vocabulary import Command, Vocabulary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello,   World!", "hello world"),
        ("  HELP?  ", "help"),
        ("\uff28\uff25\uff2c\uff30", "help"),  # full-width letters fold to plain ones
        ("Straße", "strasse"),
        ("order #A-12/3", "order #a-12/3"),
        ("line one\nline two\ttab", "line one line two tab"),
        ("", ""),
    ],
)
def test_normalise_folds_case_and_width_drops_punctuation_and_collapses_space(
    text: str, expected: str
) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("help", Command.HELP),
        ("Help!", Command.HELP),
        ("/help", Command.HELP),
        ("?", Command.HELP),
        ("What can you do?", Command.HELP),
        ("STATUS", Command.STATUS),
        ("Where is my complaint?", Command.STATUS),
        ("cancel", Command.CANCEL),
        ("Withdraw.", Command.CANCEL),
        ("new complaint", Command.NEW),
        ("Start over", Command.NEW),
        ("talk to a person", Command.PERSON),
        ("Human!", Command.PERSON),
    ],
)
def test_a_whole_message_naming_a_command_is_that_command(
    vocab: Vocabulary, text: str, command: Command
) -> None:
    assert vocab.command_in(text) == (command, "")


@pytest.mark.parametrize(
    "text",
    [
        "help me, my order is late",
        "I need help with a refund",
        "cancel my subscription, you charged me twice",
        "new phone arrived broken",
        "the person at the desk was rude",
        "hi",
        "yes",
    ],
)
def test_a_command_word_inside_a_complaint_is_not_a_command(vocab: Vocabulary, text: str) -> None:
    assert vocab.command_in(text) is None


def test_status_takes_the_reference_after_it(vocab: Vocabulary) -> None:
    # The argument comes back normalised (lower case); references are read case-insensitively.
    assert vocab.command_in("status CB-K7M3-XD9A") == (Command.STATUS, "cb-k7m3-xd9a")
    assert vocab.command_in("  /status   cb k7m3 xd9a ") == (Command.STATUS, "cb k7m3 xd9a")


@pytest.mark.parametrize(
    "text",
    [
        "status: CB-K7M3-XD9A",
        "Status  CB-K7M3-XD9A",
        "check status - CB-K7M3-XD9A",
        "Where is my complaint, CB-K7M3-XD9A?",
    ],
)
def test_status_finds_the_reference_despite_punctuation_and_spacing(
    vocab: Vocabulary, text: str
) -> None:
    found = vocab.command_in(text)
    assert found is not None
    command, argument = found
    assert command is Command.STATUS
    assert argument.upper().replace("-", "").replace(" ", "") == "CBK7M3XD9A"


@pytest.mark.parametrize(
    "text",
    [
        "Track my parcel please, it never arrived and nobody answers",
        "Progress on my repair has stalled for three weeks now",
        "status of the replacement: nobody has called me back at all",
    ],
)
def test_a_complaint_that_starts_with_a_status_word_is_not_a_status_request(
    vocab: Vocabulary, text: str
) -> None:
    assert vocab.command_in(text) is None


def test_no_phrase_means_two_commands_or_a_command_and_an_answer(vocab: Vocabulary) -> None:
    seen: dict[str, str] = {}
    for command, phrases in vocab.commands.items():
        for phrase in phrases:
            assert phrase not in seen, f"{phrase!r} is both {seen[phrase]} and {command}"
            seen[phrase] = command.value
    answers = vocab.yes | vocab.no | vocab.skip | vocab.greetings
    for phrases in vocab.outcomes.values():
        answers |= phrases
    # A command phrase that is also an answer would swallow the answer.
    assert not set(seen) & answers


def test_yes_no_and_skip_do_not_overlap(vocab: Vocabulary) -> None:
    assert not vocab.yes & vocab.no
    assert not vocab.yes & vocab.skip
    assert not vocab.no & vocab.skip


@pytest.mark.parametrize("text", ["yes", "Yes!", "OK", "that's right", "I agree.", "y"])
def test_agreement_is_recognised(vocab: Vocabulary, text: str) -> None:
    assert vocab.is_yes(text)
    assert not vocab.is_no(text)


@pytest.mark.parametrize("text", ["no", "No.", "nope", "I don't agree"])
def test_refusal_is_recognised(vocab: Vocabulary, text: str) -> None:
    assert vocab.is_no(text)
    assert not vocab.is_yes(text)


@pytest.mark.parametrize(
    "text",
    ["not", "yesterday", "yes but not the date", "ok no", "not ok", "yes the kettle sparked again"],
)
def test_a_yes_with_something_against_it_or_more_to_say_is_not_a_yes(
    vocab: Vocabulary, text: str
) -> None:
    assert not vocab.is_yes(text)


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "yes please register it now"),
        ("en", "yeah that's fine thanks"),
        ("fr", "oui pas de souci"),
        ("fr", "oui d'accord merci"),
        ("de", "ja, ist ok"),
        ("de", "von mir aus ja"),
        ("es", "sí, vale, gracias"),
    ],
)
def test_a_short_yes_in_the_customers_words_is_a_yes(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    assert vocabularies[language].is_yes(text)
    assert not vocabularies[language].is_no(text)


@pytest.mark.parametrize(
    ("language", "text"),
    [("fr", "non merci pas maintenant"), ("de", "nein, lieber nicht"), ("es", "no, gracias")],
)
def test_a_short_no_in_the_customers_words_is_a_no(
    vocabularies: dict[str, Vocabulary], language: str, text: str
) -> None:
    vocab = vocabularies[language]
    assert vocab.is_no(text) or vocab.refuses(text)
    assert not vocab.is_yes(text)


@pytest.mark.parametrize("text", ["skip", "Don't know", "n/a", "-", "none"])
def test_skip_is_recognised(vocab: Vocabulary, text: str) -> None:
    assert vocab.is_skip(text)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("refund", "refund"),
        ("Money back!", "refund"),
        ("I'd like a replacement", "replacement"),
        ("please fix it", "repair"),
        ("I want to know what happened", "explanation"),
        ("an apology would do", "apology"),
        ("something else", "other"),
    ],
)
def test_the_desired_outcome_is_read_from_the_customers_words(
    vocab: Vocabulary, text: str, outcome: str
) -> None:
    assert vocab.outcome_in(text) == outcome


@pytest.mark.parametrize("text", ["refund or a replacement", "a pony", "fixture", ""])
def test_no_outcome_or_two_outcomes_is_not_an_answer(vocab: Vocabulary, text: str) -> None:
    assert vocab.outcome_in(text) is None


def test_the_shipped_vocabulary_knows_months_weekdays_and_every_command(
    vocab: Vocabulary,
) -> None:
    assert set(vocab.commands) == set(Command)
    assert all(vocab.commands[command] for command in Command)
    assert sorted(set(vocab.dates.months.values())) == list(range(1, 13))
    assert sorted(set(vocab.dates.weekdays.values())) == list(range(7))
    assert vocab.dates.day_first is True
    assert vocab.dates.days_ago["yesterday"] == 1


def test_from_mapping_normalises_phrases(vocabulary_data: dict[str, Any]) -> None:
    data = copy.deepcopy(vocabulary_data)
    data["yes"] = ["  Absolutely!  "]
    assert Vocabulary.from_mapping(data).yes == frozenset({"absolutely"})


def test_from_mapping_rejects_a_phrase_list_that_is_not_a_list(
    vocabulary_data: dict[str, Any],
) -> None:
    data = copy.deepcopy(vocabulary_data)
    data["yes"] = "yes"
    with pytest.raises(ValueError, match="list of phrases"):
        Vocabulary.from_mapping(data)


def test_from_mapping_requires_every_command(vocabulary_data: dict[str, Any]) -> None:
    data = copy.deepcopy(vocabulary_data)
    del data["commands"]["person"]
    with pytest.raises(KeyError):
        Vocabulary.from_mapping(data)


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("a new sofa, not a refund", "replacement"),
        ("Just refund me, I don't want another one", "refund"),
        ("fix it or replace it, but honestly I'd rather have a new one", "replacement"),
        ("I want my refund and an explanation why it's taking so long", "refund"),
        ("repair it under warranty please, I don't want a new one", "repair"),
    ],
)
def test_the_outcome_wanted_among_several_named(vocab: Vocabulary, text: str, outcome: str) -> None:
    assert vocab.outcome_in(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        ("en", "I want a new one, or actually no, just give me my money back", "refund"),
        ("en", "the money's not the point, I want an apology from the store", "apology"),
        ("en", "I'd take store credit instead of a refund to the card", "refund"),
        ("de", "Ich will keinen neuen, sondern mein Geld zurück bitte", "refund"),
        ("es", "que venga un técnico a verlo, no quiero que me lo cambien", "repair"),
        ("es", "quiero una queja por el trato del repartidor", None),
        ("fr", "envoyez-moi juste une nouvelle carte", "replacement"),
        # "sorry" and "I mean" are not a change of mind; "actually no" is, in each language.
        ("en", "I want a refund, sorry, but you need to explain why this happened", "refund"),
        ("en", "I want it fixed, sorry to go on but I also want to know why", "repair"),
        ("fr", "Un échange, non attendez, un remboursement", "refund"),
        ("fr", "Un échange ou plutôt un remboursement", "refund"),
        ("es", "Uno nuevo, o mejor no, mi dinero", "refund"),
        # The engineer named is not a wish for one; a refusal may come after the word.
        ("de", "Der Techniker war unfreundlich, ich möchte eine Entschuldigung", "apology"),
        ("de", "Geld will ich keins. Aber eine ordentliche Entschuldigung", "apology"),
        ("de", "ich erwarte eine entschuldigung und dass das nicht nochmal passiert", "apology"),
        # A phrase inside a longer one is not said on its own; "just want" says which.
        ("en", "Want him back out, no charge, another visit", "repair"),
        ("en", "I want the difference put back on my Visa", "refund"),
        ("en", "I've had them fixed somewhere else now so I just want an apology", "apology"),
        ("fr", "Je veux juste qu'on reconnaisse ce qui s'est passé et qu'on s'excuse", "apology"),
        ("de", "ich will einfach nur dass die wieder geht", "repair"),
        # "If you can't repair it": the condition is the wish; a dash ends a refusal.
        ("fr", "Si vous êtes pas capables de le réparer, je veux mon argent", "repair"),
        ("de", "wenn ihr es nicht reparieren könnt, will ich mein Geld zurück", "repair"),
        ("de", "Nicht das Geld zurück \u2013 ich will einen Ersatz", "replacement"),
        # "de nuevo" is "again", not a new one; "bien" alone offers no choice.
        ("es", "que me lo arreglen bien sin cobrarme de nuevo", "repair"),
        # The customer's own "excuse me" is courtesy, not a wish for an apology.
        ("de", "Guten Tag, bitte entschuldigen Sie die Störung. Der Tisch kam nicht.", None),
        ("fr", "Excusez-moi de vous déranger, la bouilloire fuit.", None),
        ("es", "Perdonen la molestia, el hervidor gotea.", None),
        ("en", "Sorry to bother you, the kettle leaks.", None),
        ("es", "que se disculpen, ya lo he dicho", "apology"),
        # A negation after "why" is what is asked about, not a refusal of the wish.
        ("de", "ich will wissen warum die Kündigung nicht bearbeitet wurde", "explanation"),
        ("de", "Vor allem will ich wissen, warum das nicht angekündigt wurde", "explanation"),
        ("en", "I want to know why it was not sent", "explanation"),
        ("de", "Erklärung will ich nicht, ich will mein Geld", "refund"),
    ],
)
def test_the_outcome_wanted_in_each_language(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str | None
) -> None:
    assert vocabularies[language].outcome_in(text) == outcome


@pytest.mark.parametrize(
    ("language", "text", "outcome"),
    [
        ("en", "want the consultation fee back", "refund"),
        ("en", "Have the showers repaired.", "repair"),
        ("en", "could you send out another box?", "replacement"),
        ("fr", "que vous me rendiez ma caution !!", "refund"),
        ("de", "Ich brauch nen Techniker, am besten morgen", "repair"),
        ("es", "que me regresen los 3,500 pesos", "refund"),
        # Two outcomes offered as a choice stay undecided (asked again): no stem overrules them.
        ("fr", "un crédit ou des billets pour un autre show", None),
        ("en", "put my points back", "other"),
        # A phrase refused leaves the stems to say what is wanted.
        ("fr", "un frigo neuf, pas une 4e réparation", "replacement"),
        ("de", "dass die Klima wieder geht, auf Ihre Kosten", "repair"),
        ("es", "que manden a alguien a retapizar ese lado", "repair"),
    ],
)
def test_an_answer_to_what_they_want_is_read_by_its_stems_when_no_phrase_names_it(
    vocabularies: dict[str, Vocabulary], language: str, text: str, outcome: str | None
) -> None:
    # The lists alone: the learnt model, where it is sure, may read further (its own tests).
    lists_alone = replace(vocabularies[language], wish_model=None)
    assert lists_alone.answered_outcome(text) == outcome


def test_stems_are_only_for_answers_not_for_what_a_complaint_mentions(vocab: Vocabulary) -> None:
    assert vocab.outcome_in("the engineer repaired it last week and it broke again") is None
