"""Case reference numbers: short, typable on a phone, random, with a check character."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Protocol

# 23 symbols, a prime, so that a position-weighted sum modulo 23 catches every single
# substitution and every transposition of neighbours. The look-alikes 0/O/Q, 1/I/L, 2/Z,
# 5/S, 6/G, 8/B and U/V are left out, so nothing printed can be misread.
ALPHABET = "3456789ACDEFHJKMNPRTWXY"
_MODULUS = len(ALPHABET)
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
# What a customer may type for a symbol we never print.
_READ_AS = {"B": "8", "G": "6", "S": "5"}
RANDOM_LENGTH = 7
BODY_LENGTH = RANDOM_LENGTH + 1


class RandomSource(Protocol):
    """Where the random part of a reference comes from (injected so tests are deterministic)."""

    def randbelow(self, n: int, /) -> int:
        """Return a uniformly random integer in [0, n)."""
        ...


class ReferenceCheck(Enum):
    """What a typed reference turned out to be."""

    VALID = "valid"
    MISTYPED = "mistyped"
    NOT_A_REFERENCE = "not_a_reference"


@dataclass(frozen=True, slots=True)
class ParsedReference:
    """The outcome of reading a reference a person typed."""

    check: ReferenceCheck
    canonical: str | None = None


def check_symbol(body: str) -> str:
    """Return the check symbol for the random part ``body`` (symbols of ALPHABET)."""
    total = sum((position + 1) * _VALUE[symbol] for position, symbol in enumerate(body))
    weight = len(body) + 1
    # Solve total + weight * c == 0 (mod 23); pow(..., -1, m) is the modular inverse.
    value = (-total * pow(weight, -1, _MODULUS)) % _MODULUS
    return ALPHABET[value]


def generate_reference(prefix: str, random: RandomSource) -> str:
    """Return a new reference such as ``CB-K7M3-XD9A``."""
    body = "".join(ALPHABET[random.randbelow(_MODULUS)] for _ in range(RANDOM_LENGTH))
    return format_reference(prefix, body + check_symbol(body))


def format_reference(prefix: str, body: str) -> str:
    """Lay out a full body (random part plus check symbol) for display."""
    half = BODY_LENGTH // 2
    return f"{prefix.upper()}-{body[:half]}-{body[half:]}"


def is_valid_body(body: str) -> bool:
    """Whether ``body`` has the right length, alphabet and check symbol."""
    if len(body) != BODY_LENGTH or any(symbol not in _VALUE for symbol in body):
        return False
    return check_symbol(body[:-1]) == body[-1]


def parse_reference(text: str, prefix: str) -> ParsedReference:
    """Read a reference as a person might type it: any case, spaces or dashes, prefix optional."""
    compact = re.sub(r"[\s\-_.]", "", text.upper())
    # Only strip the prefix when a whole body follows it: a body may itself start like the prefix.
    if len(compact) == len(prefix) + BODY_LENGTH and compact.startswith(prefix.upper()):
        compact = compact[len(prefix) :]
    if len(compact) != BODY_LENGTH or not compact.isalnum():
        return ParsedReference(ReferenceCheck.NOT_A_REFERENCE)
    body = "".join(_READ_AS.get(symbol, symbol) for symbol in compact)
    if is_valid_body(body):
        return ParsedReference(ReferenceCheck.VALID, format_reference(prefix, body))
    return ParsedReference(ReferenceCheck.MISTYPED)


def quoted_pattern(prefix: str) -> re.Pattern[str]:
    """How a reference is quoted in free text (prefix, then two groups of four)."""
    return re.compile(
        rf"\b{re.escape(prefix)}[\s\-]?([0-9A-Z]{{4}})[\s\-]?([0-9A-Z]{{4}})\b", re.IGNORECASE
    )


def find_references(text: str, prefix: str) -> list[ParsedReference]:
    """Find references quoted in free text (only where the prefix marks them, to avoid noise)."""
    found = quoted_pattern(prefix).finditer(text)
    return [parse_reference(match.group(0), prefix) for match in found]


def first_reference_typed(text: str, prefix: str) -> str:
    """The first reference quoted in free text, as typed (checked later), or nothing."""
    found = quoted_pattern(prefix).search(text)
    return found.group(0) if found else ""
