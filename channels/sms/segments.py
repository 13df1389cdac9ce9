"""How many SMS segments a text costs, by the GSM 03.38 (3GPP TS 23.038) rules."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal

# The GSM 7-bit default alphabet in code order 0x00..0x7F; 0x1B is the escape to the extension
# table, not a character, so it is left out below.
_DEFAULT_ALPHABET = (
    "@£$¥èéùìòÇ\nØø\rÅå"
    "\N{GREEK CAPITAL LETTER DELTA}_\N{GREEK CAPITAL LETTER PHI}"
    "\N{GREEK CAPITAL LETTER GAMMA}\N{GREEK CAPITAL LETTER LAMDA}"
    "\N{GREEK CAPITAL LETTER OMEGA}\N{GREEK CAPITAL LETTER PI}"
    "\N{GREEK CAPITAL LETTER PSI}\N{GREEK CAPITAL LETTER SIGMA}"
    "\N{GREEK CAPITAL LETTER THETA}\N{GREEK CAPITAL LETTER XI}\x1bÆæßÉ"
    " !\"#¤%&'()*+,-./"
    "0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmno"
    "pqrstuvwxyzäöñüà"
)
_BASIC: frozenset[str] = frozenset(_DEFAULT_ALPHABET) - {"\x1b"}
# The extension table's characters: each is sent as ESC + code, two septets.
_EXTENSION: frozenset[str] = frozenset("\f^{}\\[~]|€")

_GSM_SINGLE = 160
_GSM_PART = 153  # 7 septets of every part go to the concatenation header
_UCS2_SINGLE = 70
_UCS2_PART = 67  # the same header takes 3 UTF-16 code units

_Encoding = Literal["GSM-7", "UCS-2"]


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    """A text's encoding, its length in septets (GSM-7) or UTF-16 code units, and its parts."""

    encoding: _Encoding
    units: int
    segments: int


def _gsm_weights(text: str) -> list[int] | None:
    weights: list[int] = []
    for char in text:
        if char in _BASIC:
            weights.append(1)
        elif char in _EXTENSION:
            weights.append(2)
        else:
            return None
    return weights


def _ucs2_weights(text: str) -> list[int]:
    # Characters beyond the BMP (most emoji) are a surrogate pair: two UTF-16 code units.
    return [2 if ord(char) > 0xFFFF else 1 for char in text]


def _parts(weights: list[int], part_size: int) -> int:
    # Fill parts greedily: an escape pair or a surrogate pair is never split across two
    # parts, so a part may end one unit short and the count can exceed ceil(units / size).
    parts, used = 1, 0
    for weight in weights:
        if used + weight > part_size:
            parts += 1
            used = 0
        used += weight
    return parts


def sms_segments(text: str) -> SegmentInfo:
    """Encoding, units and segment count of ``text``; an empty text is one GSM-7 segment."""
    # Empty is one segment: that is what a carrier bills for a message with no body.
    gsm = _gsm_weights(text)
    if gsm is not None:
        encoding: _Encoding = "GSM-7"
        weights, single, part = gsm, _GSM_SINGLE, _GSM_PART
    else:
        encoding = "UCS-2"
        weights, single, part = _ucs2_weights(text), _UCS2_SINGLE, _UCS2_PART
    units = sum(weights)
    segments = 1 if units <= single else _parts(weights, part)
    return SegmentInfo(encoding=encoding, units=units, segments=segments)


# Punctuation word processors and phones put in that GSM-7 lacks, as carriers would send it.
_PUNCTUATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
        "\u00a0": " ",
    }
)


def gsm_safe(text: str) -> str:
    """The text with letters outside GSM-7 written without their accent where that makes one.

    "reclamación" becomes "reclamacion" (é, ñ, ü and the others GSM-7 has are kept): one
    accented letter would otherwise send the whole message as UCS-2, 70 characters a part
    instead of 160, at two or three times the price. Emoji and scripts with no GSM-7 letter
    are left as they are.
    """
    folded = []
    for char in text.translate(_PUNCTUATION):
        if char in _BASIC or char in _EXTENSION:
            folded.append(char)
            continue
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        folded.append(base if base and all(c in _BASIC for c in base) else char)
    return "".join(folded)
