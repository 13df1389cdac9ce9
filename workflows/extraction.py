"""Facts taken from what a customer wrote: dates, order or account numbers, contacts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateparser.search import search_dates

from workflows.vocabulary import Vocabulary, contains_phrase, normalise

_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})(?:[/.](\d{2,4}))?\b")
_DOTTED = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{2,4})\b")
_DOTTED_SHORT = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(?!\d)")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")


@dataclass(frozen=True, slots=True)
class DateFound:
    """A date read from text; ``valid`` is False for a real-looking date that cannot be right."""

    value: date | None
    valid: bool


def find_date(text: str, today: date, vocab: Vocabulary) -> DateFound | None:
    """The date a message says the problem happened; None when it mentions none.

    A correction wins ("on the 21st, sorry I meant the 12th"); a date of buying or ordering
    ("bought it on 2 January, it broke on the Tuesday before last") gives way to another.
    """
    for marker in sorted(vocab.corrections, key=len, reverse=True):
        found = re.search(rf"(?<!\w){re.escape(marker)}(?!\w)", text, flags=re.IGNORECASE)
        if found is not None:
            corrected = _first_date(text[found.end() :], today, vocab)
            if corrected is not None:
                return corrected
    clauses = [
        c for c in re.split(r"[.;!?,\n]+|\b(?:but|and|then|when)\b", text) if c and c.strip()
    ]
    bought = [
        c for c in clauses if any(contains_phrase(normalise(c), w) for w in vocab.purchase_words)
    ]
    if bought:
        # Only a date of buying is not when it went wrong: better to ask.
        return _first_date(" . ".join(c for c in clauses if c not in bought), today, vocab)
    return _first_date(text, today, vocab)


def _first_date(text: str, today: date, vocab: Vocabulary) -> DateFound | None:
    """The first date the text mentions."""
    # normalise() drops dots, so make "14.03.2026" read as "14/03/2026" first ("10.3." too).
    words = normalise(_DOTTED_SHORT.sub(r"\1/\2", _DOTTED.sub(r"\1/\2/\3", text)))
    readers = (_iso_date, _numeric_date, _named_date, _holiday, _day_of_month, _relative_date)
    found = None
    for reader in readers:
        found = reader(words, today, vocab)
        if found is not None:
            break
    if found is None and vocab.language != "en":
        # The readers above know the vocabulary's words; dateparser knows each language's
        # grammar of dates ("il y a trois jours", "vor zwei Wochen", "el martes pasado").
        found = _parsed_date(text, today, vocab)
    if found is not None and found.value is not None and found.value > today:
        return DateFound(found.value, valid=False)
    return found


# A date read by dateparser further back than this is a misreading ("a customer for ten years").
_OLDEST = timedelta(days=366)


def _parsed_date(text: str, today: date, vocab: Vocabulary) -> DateFound | None:
    base = datetime(today.year, today.month, today.day, 12)
    try:
        matches = search_dates(
            text[:1_000],
            languages=[vocab.language],
            settings={"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past"},
        )
    except (ValueError, OverflowError):
        return None
    words = _date_words(vocab)
    units = vocab.day_units | vocab.week_units
    ago = {word for phrase in vocab.ago_words for word in phrase.split()}
    for said, when in matches or ():
        tokens = set(normalise(said).split())
        # Only what says a date in the vocabulary's words: dateparser alone reads "Die" as
        # Tuesday, and "10 días de retraso" (no "hace") as ten days ago.
        if not tokens & words and not (tokens & units and tokens & ago):
            continue
        # A month without a day ("résilié en janvier") is not the day it happened.
        if tokens & set(vocab.months) and not any(t.isdigit() for t in tokens):
            continue
        if not today - _OLDEST <= when.date() <= today:
            continue
        return DateFound(when.date(), valid=True)
    return None


def _date_words(vocab: Vocabulary) -> set[str]:
    # Whole words only: the words of "ayer por la mañana" would let "la" and "por" through.
    singles = {phrase for phrase in vocab.days_ago if " " not in phrase}
    return set(vocab.months) | set(vocab.weekdays) | singles | set(vocab.last_words)


def _iso_date(words: str, today: date, vocab: Vocabulary) -> DateFound | None:
    match = _ISO.search(words)
    if match is None:
        return None
    return _make(int(match[1]), int(match[2]), int(match[3]))


def _numeric_date(words: str, today: date, vocab: Vocabulary) -> DateFound | None:
    match = _NUMERIC.search(words)
    if match is None:
        return None
    first, second = int(match[1]), int(match[2])
    day, month = (first, second) if vocab.day_first else (second, first)
    if month > 12 >= day:
        day, month = month, day  # "3/14" can only be 14 March, whatever the local order

    year = _full_year(match[3], today) if match[3] else None
    return _with_year(day, month, year, today)


def _named_date(words: str, today: date, vocab: Vocabulary) -> DateFound | None:
    months = "|".join(sorted((re.escape(name) for name in vocab.months), key=len, reverse=True))
    if not months:
        return None
    # "3rd of March", "1er mars", "3 de marzo de 2026" ("3. März" arrives as "3 märz").
    day_part = r"(\d{1,2})(?:st|nd|rd|th|er|e)?"
    patterns = (
        rf"\b{day_part}(?: of| de)? ({months})\b(?:(?: de)? (\d{{4}}))?",
        rf"\b({months}) {day_part}\b(?: (\d{{4}}))?",
    )
    for index, pattern in enumerate(patterns):
        match = re.search(pattern, words)
        if match is None:
            continue
        day_text, month_text = (match[1], match[2]) if index == 0 else (match[2], match[1])
        year = int(match[3]) if match[3] else None
        return _with_year(int(day_text), vocab.months[month_text], year, today)
    return None


_ORDINAL_DAY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)\b")


def _holiday(words: str, today: date, vocab: Vocabulary) -> DateFound | None:
    """ "On Valentine's Day", "New Year's Eve": its latest date that is not in the future."""
    for name, (month, day) in sorted(vocab.holidays.items(), key=lambda item: -len(item[0])):
        if contains_phrase(words, name):
            found = date(today.year, month, day)
            return DateFound(found if found <= today else date(today.year - 1, month, day), True)
    return None


def _day_of_month(words: str, today: date, vocab: Vocabulary) -> DateFound | None:
    """ "On the 12th", "Friday the 13th": the latest such day that is not in the future."""
    match = _ORDINAL_DAY.search(words)
    if match is None or not 1 <= int(match[1]) <= 31:
        return None
    day = int(match[1])
    year, month = today.year, today.month
    if any(contains_phrase(words, phrase) for phrase in vocab.previous_month):
        # "last month on the 14th": from the month before this one.
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        today = date(year, month, 28) + timedelta(days=4)
        today = today - timedelta(days=today.day)  # that month's last day
    for _ in range(12):  # back month by month to one that has that day and is not ahead
        try:
            found = date(year, month, day)
        except ValueError:
            found = None
        if found is not None and found <= today:
            return DateFound(found, valid=True)
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return None


def _relative_date(words: str, today: date, vocab: Vocabulary) -> DateFound | None:
    tokens = words.split()
    # "two weeks ago", "zwei Wochen": number words read as numbers.
    tokens = [str(vocab.numbers[t]) if t in vocab.numbers else t for t in tokens]
    for index, name in enumerate(tokens):
        weekday = vocab.weekdays.get(name)
        following = " ".join(tokens[index + 1 : index + 3])
        if weekday is not None and any(contains_phrase(following, p) for p in vocab.before_last):
            # "the Tuesday before last": a week before last Tuesday.
            back = ((today.weekday() - weekday) % 7 or 7) + 7
            return DateFound(today - timedelta(days=back), valid=True)
    for index, token in enumerate(tokens):
        if token.isdigit() and index + 1 < len(tokens):
            unit = tokens[index + 1]
            scale = 7 if unit in vocab.week_units else 1 if unit in vocab.day_units else 0
            # "3 days ago", or the ago word first: "vor 3 Tagen", "hace 3 días", "il y a 3 jours".
            ago_after = index + 2 < len(tokens) and tokens[index + 2] in vocab.ago_words
            ago_before = any(
                " ".join(tokens[max(0, index - len(ago.split())) : index]) == ago
                for ago in vocab.ago_words
            )
            if scale and (ago_after or ago_before):
                return DateFound(today - timedelta(days=int(token) * scale), valid=True)
        weekday = vocab.weekdays.get(token)
        if weekday is not None:
            # "last Tuesday", or the weekday first: "mardi dernier", "el martes pasado",
            # "Monday just gone".
            before = " ".join(tokens[max(0, index - 2) : index])
            after = " ".join(tokens[index + 1 : index + 3])
            if any(before.endswith(word) or after.startswith(word) for word in vocab.last_words):
                back = (today.weekday() - weekday) % 7 or 7
                return DateFound(today - timedelta(days=back), valid=True)
    # Longest phrase first: "the day before yesterday" is not "yesterday" (and after the
    # counted ones: "two weeks ago today" is not today).
    for phrase, days in sorted(vocab.days_ago.items(), key=lambda item: -len(item[0])):
        if contains_phrase(words, phrase):
            return DateFound(today - timedelta(days=days), valid=True)
    for name, weekday in vocab.weekdays.items():
        if name in tokens:
            back = (today.weekday() - weekday) % 7
            return DateFound(today - timedelta(days=back), valid=True)
    return None


def _full_year(text: str, today: date) -> int:
    year = int(text)
    if year < 100:
        year += 2000 if 2000 + year <= today.year else 1900
    return year


def _with_year(day: int, month: int, year: int | None, today: date) -> DateFound:
    if year is not None:
        return _make(year, month, day)
    found = _make(today.year, month, day)
    # "3 December" said in January means last December.
    if found.valid and found.value is not None and found.value > today:
        return _make(today.year - 1, month, day)
    return found


def _make(year: int, month: int, day: int) -> DateFound:
    try:
        return DateFound(date(year, month, day), valid=True)
    except ValueError:
        return DateFound(None, valid=False)


_OUR_REFERENCE = re.compile(r"[A-Za-z]{1,5}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}")


def find_order_reference(text: str, vocab: Vocabulary) -> str | None:
    """An order, invoice or account number the message names (it must contain a digit)."""
    words = "|".join(re.escape(word) for word in sorted(vocab.order_words, key=len, reverse=True))
    patterns = [
        r"#\s?([A-Za-z0-9][A-Za-z0-9\-]{2,24})",
        # The numero sign and its abbreviations, in any language: "n° 44521", "Nr. 88123".
        r"(?i)(?<![A-Za-z])(?:n\s?[°º]|nº|no\.|nr\.|num\.)\s*([A-Za-z0-9][A-Za-z0-9\-]{2,24})",
    ]
    if words:
        patterns.insert(
            0,
            rf"(?i)\b(?:{words})\s*(?:no\.?|nr\.?|number|num|#|:|ref\.?)?\s*[:#]?\s*(?:(?:is|est|ist|lautet|es)\s+)?"
            r"([A-Za-z0-9][A-Za-z0-9\-]{2,24})",
        )
    for pattern in patterns:
        for match in re.finditer(pattern, text):
            candidate = match.group(1).strip("-")
            # A complaint reference ("ref CB-K7M3-XD9A") is ours, not the customer's order;
            # "order 2day" and "the 21st" are dates.
            if (
                any(c.isdigit() for c in candidate)
                and not _OUR_REFERENCE.fullmatch(candidate)
                and candidate.lower() not in vocab.days_ago
                and not _ORDINAL_DAY.fullmatch(candidate.lower())
            ):
                return candidate
    return None


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
