"""The phrase helpers every reader of customers' words builds on."""

from __future__ import annotations

import re

from workflows.phrases import alternation


def test_an_alternation_tries_the_longest_word_first_and_matches_words_literally() -> None:
    words = alternation({"mar", "mars", "mardi", "12.3"})
    assert re.fullmatch(rf"(?:{words})", "mardi")
    # Longest first: at "mardi" the alternation takes the whole word, not "mar".
    assert re.match(words, "mardi 12").group(0) == "mardi"
    # A dot is a dot, not any character.
    assert not re.fullmatch(rf"(?:{words})", "1213")


def test_an_alternation_is_the_same_whatever_order_or_kind_of_collection() -> None:
    assert alternation(["b", "aa"]) == alternation({"aa": 1, "b": 2}) == alternation(("aa", "b"))
