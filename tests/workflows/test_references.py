"""Reference numbers: typable, unguessable, and a check symbol that catches typing slips."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from workflows.references import (
    ALPHABET,
    BODY_LENGTH,
    RANDOM_LENGTH,
    ParsedReference,
    RandomSource,
    ReferenceCheck,
    check_symbol,
    find_references,
    format_reference,
    generate_reference,
    is_valid_body,
    parse_reference,
)

PREFIX = "CB"
# Groups of symbols people confuse on screens and paper; at most one of each may be printed.
LOOK_ALIKE_GROUPS = ("0OQ", "1IL", "2Z", "5S", "6G", "8B", "UV")
# Never printed (5, 6 and 8 are kept: S, G and B are the ones left out and read as them).
NEVER_PRINTED = "0OQ1IL2ZSGBUV"
BODY_COUNT = 2000


def body_of(reference: str) -> str:
    """The eight symbols of a displayed reference such as CB-K7M3-XD9A."""
    _prefix, first, second = reference.split("-")
    return first + second


def weighted_sum(body: str) -> int:
    """The check the scheme promises: position weights 1..8 sum to 0 modulo the alphabet size."""
    return sum((position + 1) * ALPHABET.index(symbol) for position, symbol in enumerate(body))


def is_prime(number: int) -> bool:
    return number > 1 and all(number % divisor for divisor in range(2, int(number**0.5) + 1))


class ScriptedRandom:
    """A RandomSource that returns given values and records what it was asked."""

    def __init__(self, values: list[int]) -> None:
        self.values = list(values)
        self.asked: list[int] = []

    def randbelow(self, n: int, /) -> int:
        self.asked.append(n)
        return self.values.pop(0)


@pytest.fixture(scope="module")
def bodies(seeded_random: Callable[[int], RandomSource]) -> list[str]:
    """Many random reference bodies from one seeded source."""
    source = seeded_random(7)
    return [body_of(generate_reference(PREFIX, source)) for _ in range(BODY_COUNT)]


# The alphabet -----------------------------------------------------------------------------


def test_alphabet_has_no_look_alike_pairs() -> None:
    assert not set(ALPHABET) & set(NEVER_PRINTED)
    for group in LOOK_ALIKE_GROUPS:
        assert len(set(group) & set(ALPHABET)) <= 1, group


def test_alphabet_symbols_are_distinct_upper_case_and_the_size_is_prime() -> None:
    assert len(set(ALPHABET)) == len(ALPHABET)
    assert ALPHABET.isupper()
    assert ALPHABET.isalnum()
    assert is_prime(len(ALPHABET))
    # Every position weight (1..8) must be invertible modulo the size, or a slip could hide.
    assert len(ALPHABET) > BODY_LENGTH


# Generation -------------------------------------------------------------------------------


def test_generated_reference_has_prefix_two_groups_of_four_and_a_valid_check(
    bodies: list[str],
) -> None:
    reference = format_reference(PREFIX, bodies[0])
    assert reference.startswith("CB-")
    assert [len(group) for group in reference.split("-")] == [2, 4, 4]
    for body in bodies:
        assert len(body) == BODY_LENGTH
        assert set(body) <= set(ALPHABET)
        assert weighted_sum(body) % len(ALPHABET) == 0
        assert is_valid_body(body)


def test_every_random_symbol_comes_from_the_injected_source() -> None:
    source = ScriptedRandom([0, 1, 2, 3, 4, 5, 22])
    reference = generate_reference(PREFIX, source)
    assert source.asked == [len(ALPHABET)] * RANDOM_LENGTH
    assert body_of(reference)[:RANDOM_LENGTH] == "345678Y"


def test_generated_references_parse_back_valid_with_the_same_canonical_form(
    bodies: list[str],
) -> None:
    for body in bodies:
        reference = format_reference(PREFIX, body)
        assert parse_reference(reference, PREFIX) == ParsedReference(
            ReferenceCheck.VALID, reference
        )


def test_references_are_not_sequential_or_guessable(
    seeded_random: Callable[[int], RandomSource],
) -> None:
    source = seeded_random(11)
    references = [generate_reference(PREFIX, source) for _ in range(1000)]
    assert len(set(references)) == len(references)
    first_symbols = Counter(body_of(reference)[0] for reference in references)
    assert len(first_symbols) >= 20
    # Consecutive references differ all along, not just at the end as a counter would.
    leading_changes = sum(body_of(a)[:4] != body_of(b)[:4] for a, b in pairwise(references))
    assert leading_changes >= 990


# Catching slips: exhaustive over many bodies ------------------------------------------------


def test_every_single_symbol_substitution_is_reported_mistyped(bodies: list[str]) -> None:
    missed: list[str] = []
    for body in bodies:
        for position in range(BODY_LENGTH):
            for symbol in ALPHABET:
                if symbol == body[position]:
                    continue
                typed = format_reference(PREFIX, body[:position] + symbol + body[position + 1 :])
                if parse_reference(typed, PREFIX).check is not ReferenceCheck.MISTYPED:
                    missed.append(typed)
    assert missed == []


def test_every_swap_of_neighbouring_symbols_is_reported_mistyped(bodies: list[str]) -> None:
    missed: list[str] = []
    swaps = 0
    for body in bodies:
        # Position RANDOM_LENGTH - 1 swaps the last random symbol with the check symbol.
        for position in range(BODY_LENGTH - 1):
            a, b = body[position], body[position + 1]
            if a == b:
                continue
            swaps += 1
            swapped = body[:position] + b + a + body[position + 2 :]
            typed = format_reference(PREFIX, swapped)
            if parse_reference(typed, PREFIX).check is not ReferenceCheck.MISTYPED:
                missed.append(typed)
    assert swaps > BODY_COUNT * 6
    assert missed == []


def test_swapping_the_last_random_symbol_with_the_check_symbol_is_mistyped(
    bodies: list[str],
) -> None:
    tested = 0
    for body in bodies:
        if body[-2] != body[-1]:
            tested += 1
            swapped = body[:-2] + body[-1] + body[-2]
            assert parse_reference(swapped, PREFIX).check is ReferenceCheck.MISTYPED
    assert tested > BODY_COUNT // 2


# How people type them ---------------------------------------------------------------------


def test_typing_is_forgiving_about_case_spaces_dashes_and_the_prefix(bodies: list[str]) -> None:
    body = bodies[1]
    canonical = format_reference(PREFIX, body)
    for typed in (
        canonical.lower(),
        f"cb {body[:4]} {body[4:]}".lower(),
        f"CB{body}",
        body,
        body.lower(),
        f"{body[:4]}-{body[4:]}",
        f" cb - {body[:2]} {body[2:6]} {body[6:]} ",
        f"cb.{body[:4]}_{body[4:]}",
    ):
        assert parse_reference(typed, PREFIX) == ParsedReference(ReferenceCheck.VALID, canonical)


def test_b_g_and_s_typed_for_8_6_and_5_are_read_correctly() -> None:
    random_part = "8A6C5D8"
    body = random_part + check_symbol(random_part)
    canonical = format_reference(PREFIX, body)
    typed = "cb-" + body.replace("8", "B").replace("6", "G").replace("5", "s")
    assert parse_reference(typed, PREFIX) == ParsedReference(ReferenceCheck.VALID, canonical)


@pytest.mark.parametrize(
    "text",
    ["", "hello", "CB-123", "CB-K7M3-XD9A-EXTRA", "order 1234-5678", "CB-K7M3-XD9!", "£££££££££"],
)
def test_text_of_the_wrong_shape_is_not_a_reference(text: str) -> None:
    assert parse_reference(text, PREFIX).check is ReferenceCheck.NOT_A_REFERENCE


def test_right_shape_with_symbols_outside_the_alphabet_is_mistyped_not_valid() -> None:
    assert parse_reference("CB-1234-0000", PREFIX).check is ReferenceCheck.MISTYPED


# A configurable prefix --------------------------------------------------------------------


def test_a_configured_prefix_is_used_and_read_back(
    seeded_random: Callable[[int], RandomSource],
) -> None:
    reference = generate_reference("acme", seeded_random(3))
    assert reference.startswith("ACME-")
    body = body_of(reference)
    for typed in (reference, reference.lower(), body, f"acme {body}"):
        assert parse_reference(typed, "ACME") == ParsedReference(ReferenceCheck.VALID, reference)
    # A reference of another prefix is not one of ours.
    assert parse_reference(reference, "CB").check is ReferenceCheck.NOT_A_REFERENCE


@pytest.mark.parametrize(("prefix", "start"), [("ACME", "ACME"), ("C", "C"), ("CA", "CA")])
def test_a_body_that_happens_to_start_like_the_prefix_is_read_without_the_prefix(
    prefix: str, start: str
) -> None:
    random_part = (start + "KMNPRTW")[:RANDOM_LENGTH]
    body = random_part + check_symbol(random_part)
    canonical = format_reference(prefix, body)
    assert parse_reference(body, prefix) == ParsedReference(ReferenceCheck.VALID, canonical)
    assert parse_reference(canonical, prefix) == ParsedReference(ReferenceCheck.VALID, canonical)


# Finding references in what customers write -----------------------------------------------


def test_a_reference_is_found_inside_a_sentence(bodies: list[str]) -> None:
    reference = format_reference(PREFIX, bodies[2])
    text = f"Hello, about my complaint {reference.lower()}: still no answer!"
    assert find_references(text, PREFIX) == [ParsedReference(ReferenceCheck.VALID, reference)]


def test_several_references_are_found_in_order(bodies: list[str]) -> None:
    first, second = (format_reference(PREFIX, body) for body in bodies[3:5])
    text = f"{first} and also {second.replace('-', ' ')}"
    assert [found.canonical for found in find_references(text, PREFIX)] == [first, second]


def test_a_mistyped_reference_in_a_sentence_is_reported_mistyped(bodies: list[str]) -> None:
    body = bodies[5]
    wrong = ALPHABET[(ALPHABET.index(body[0]) + 1) % len(ALPHABET)] + body[1:]
    text = f"my reference is {format_reference(PREFIX, wrong)} thanks"
    assert find_references(text, PREFIX) == [ParsedReference(ReferenceCheck.MISTYPED)]


@pytest.mark.parametrize(
    "text",
    [
        "my order 1234-5678 never came",
        "call me on 0123-4567",
        "the parcel never arrived",
        "ticket ABCD-EFGH",
    ],
)
def test_numbers_without_the_prefix_are_not_taken_for_references(text: str) -> None:
    assert find_references(text, PREFIX) == []


def test_find_references_uses_the_configured_prefix(
    seeded_random: Callable[[int], RandomSource],
) -> None:
    reference = generate_reference("ACME", seeded_random(5))
    text = f"Re: {reference} is still open"
    assert find_references(text, "ACME") == [ParsedReference(ReferenceCheck.VALID, reference)]
    assert find_references(text, "CB") == []


@hypothesis_settings(database=None, max_examples=200)
@given(
    random_part=st.text(alphabet=ALPHABET, min_size=RANDOM_LENGTH, max_size=RANDOM_LENGTH),
    separator=st.sampled_from(["-", " ", "", " - "]),
    lower=st.booleans(),
)
def test_any_body_with_its_check_symbol_parses_valid_however_it_is_laid_out(
    random_part: str, separator: str, lower: bool
) -> None:
    body = random_part + check_symbol(random_part)
    typed = f"CB{separator}{body[:4]}{separator}{body[4:]}"
    typed = typed.lower() if lower else typed
    parsed = parse_reference(typed, PREFIX)
    assert parsed == ParsedReference(ReferenceCheck.VALID, format_reference(PREFIX, body))
