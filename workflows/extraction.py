"""Facts taken from what a customer wrote: order or account numbers, contacts, names."""

from __future__ import annotations

import re
from collections.abc import Iterator

from workflows.date_readers import ORDINAL_DAY
from workflows.phrases import alternation
from workflows.vocabulary import Vocabulary

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s()./-]{7,20}$")


_OUR_REFERENCE = re.compile(r"[A-Za-z]{1,5}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}")


# An order or file code: letters, digits and hyphens, and slashes or dots between them
# ("2026/0412", "MP260309.1542.A87"); or a number in groups of three after its first
# ("carte 118 204", "Account 7730 418 552").
_CODE = (
    r"\d{1,4}(?:[ \u00a0\u202f]\d{3})+(?![\w,.]\d)(?!\w)"
    r"|[A-Za-z0-9](?:[A-Za-z0-9\-]|[/.](?=[A-Za-z0-9])){2,24}"
    # Then groups of three or four digits, as account and tracking numbers are printed ("1183
    # 4420", "JD0044 9187 2210", "8100 2245 671") after a code ending in a digit; not a year.
    r"(?:(?<=\d)[ \u00a0\u202f](?!(?:19|20)\d\d\b)\d{3,4}(?![\w,.]\d)(?!\w))*"
)


def find_order_reference(text: str, vocab: Vocabulary) -> str | None:
    """An order, invoice or account number the message names (it must contain a digit)."""
    words = alternation(vocab.order_words)
    patterns = [
        rf"#\s?({_CODE})",
        # The numero sign and its abbreviations, in any language: "n° 44521", "Nr. 88123".
        # (An order word may end in its own abbreviation's dot: "Auftragsnr. GF-2026-00871".)
        rf"(?i)(?<![A-Za-z])(?:n\s?[°º]|nº|no\.|nr\.|num\.)\s*({_CODE})",
    ]
    if words:
        patterns.insert(
            0,
            rf"(?i)\b(?:{words})\.?\s*(?:no\.?|nr\.?|number|num|#|:|ref\.?)?\s*[:#]?\s*(?:(?:is|est|ist|lautet|es)\s+)?"
            rf"({_CODE})",
        )
    for pattern in patterns:
        for match in _overlapping(re.compile(pattern), text):
            candidate = match.group(1).strip("-")
            # A complaint reference ("ref CB-K7M3-XD9A") is ours, not the customer's order;
            # "order 2day" and "the 21st" are dates.
            if (
                any(c.isdigit() for c in candidate)
                and not _PRICE_AFTER.match(text, match.end(1))
                and not _OUR_REFERENCE.fullmatch(candidate)
                and candidate.lower() not in vocab.dates.days_ago
                and not ORDINAL_DAY.fullmatch(candidate.lower())
            ):
                return candidate
    return None


def _overlapping(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Every match, each tried from one character after the last one's start: in "parcel
    order 88123", "parcel" takes "order" as its code, which is refused, and "order 88123" must
    still be found."""
    at = 0
    while (match := pattern.search(text, at)) is not None:
        yield match
        at = match.start() + 1


# What makes a number a price or a measure, not an order ("compte : 189,99 €", "order 45
# EUR", "on me compte 1 200 kWh").
_PRICE_AFTER = re.compile(
    r"(?:[.,]\d{1,2})?\s?(?:€|\$|£|%|(?:eur|euros?|chf|usd|gbp|dollars?|pounds?"
    r"|kwh|kw|kg|km|m3|m²|litres?|liters?|liter|gb|mb|go|mo)\b)",
    re.IGNORECASE,
)


# Scripts written without spaces between words: Han, kana, Hangul syllables.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Roughly how many words a message has, also in scripts written without spaces."""
    spaced = len(_UNSPACED.sub(" ", text).split())
    # About two characters make a word in Chinese and Japanese.
    return spaced + len(_UNSPACED.findall(text)) // 2


_NAME = re.compile(r"[^\W\d_]+(?:[ '\u2019.-]{1,2}[^\W\d_]+){0,4}\.?")


def plausible_name(text: str | None) -> bool:
    """Whether a display name reads like a person's name (not a link, an address, an advert).

    A channel's display name is chosen by the sender; echoing anything else in our signed
    replies would let a stranger send their text, under our name, to someone else.
    """
    return (
        bool(text) and len(text or "") <= 60 and _NAME.fullmatch((text or "").strip()) is not None
    )


def looks_like_contact(text: str) -> bool:
    """Whether an answer could be an email address or a phone number."""
    stripped = text.strip()
    if _EMAIL.match(stripped):
        return True
    digits = sum(character.isdigit() for character in stripped)
    return bool(_PHONE.match(stripped)) and 7 <= digits <= 15


def clean_text(text: str) -> str:
    """Drop control characters (keeping newlines and tabs) and surrounding space."""
    kept = "".join(
        character
        for character in text
        if character in "\n\t" or not (ord(character) < 32 or 127 <= ord(character) < 160)
    )
    return kept.strip()
