"""The triage lexicon: the operator's words for hazards, threats and topics, per language.

A lexicon is data (``config/triage/<language>.toml``); this module reads it into matchers.
Each entry is a phrase of words, where a word is matched by its stem ("sparked" and "sparks"
are "spark"), or as written:

- ``word``: any form with the same stem, and a likely misspelling of a long word;
- ``word*``: any word starting with it; ``*word``: any word ending with it;
- ``=word``: exactly that word (no stemming, no misspellings); ``?`` in it stands for any one
  letter or digit (``=8?`` is 80 to 89, not 8);
- ``...``: up to three words of anything ("gave ... a shock").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property, lru_cache

import snowballstemmer

import workflows.checked_toml as checked

SEVERITIES = ("normal", "high", "critical")
CRITICAL = SEVERITIES[-1]


def rank(severity: str) -> int:
    """A severity's place in the order normal < high < critical (unknown ones rank lowest)."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else -1


# The shortest lexicon word in which a typing slip is forgiven (short words collide).
SLIP_MIN = 7
# How many words "..." may stand for.
GAP = 3
# Words, and currency signs on their own ("£40" is "£" and "40").
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[£$€¥]")
STEMMERS = {
    "en": "english",
    "fr": "french",
    "de": "german",
    "es": "spanish",
    "it": "italian",
    "nl": "dutch",
    "pt": "portuguese",
}


class WordKind(StrEnum):
    """How one word of an entry is matched."""

    STEM = "stem"
    PREFIX = "prefix"
    SUFFIX = "suffix"
    EXACT = "exact"
    PATTERN = "pattern"
    GAP = "gap"


@dataclass(frozen=True, slots=True)
class Word:
    """One word of an entry and how to match it."""

    kind: WordKind
    text: str
    stem: str = ""


@dataclass(frozen=True, slots=True)
class Term:
    """One lexicon entry, as the operator wrote it and as matched."""

    source: str
    words: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class Signal:
    """Words that raise severity (or only suggest a category), with their exceptions."""

    name: str
    severity: str
    category: str | None
    weight: float
    terms: tuple[Term, ...]
    unless: tuple[Term, ...] = ()
    # When set, a term counts only with one of these in the same sentence or, with
    # ``near_sentences`` = 1, in the sentence before or after.
    near: tuple[Term, ...] = ()
    near_sentences: int = 1
    # Whether "not", "nobody"... before the words cancel them (topics are never negated:
    # "not delivered" is still about delivery).
    negatable: bool = True


@dataclass(frozen=True)
class Lexicon:
    """Everything triage knows about one language."""

    language: str
    negations: tuple[Term, ...]
    pseudo_negations: tuple[Term, ...]
    scope_ends: tuple[Term, ...]
    # Words that carry a negation on over a list: "no cuts or bruises", "not X nor Y".
    scope_extenders: tuple[Term, ...]
    window: int
    # Stems of real words: never read as a misspelling of another word.
    real_words: frozenset[str]
    signals: tuple[Signal, ...]
    categories: tuple[str, ...]
    stemmer_name: str
    # Most slips forgiven in a long word: German compounds are often two from another word
    # ("hingefahren", "hingefallen"), so German forgives one.
    max_slips: int = 2
    # English hazard words that are everyday words in this language (French "pain" is bread):
    # never read as English here.
    false_friends: frozenset[str] = frozenset()
    # Words as customers type them, read as the words they stand for ("frawd", "acc", "sum1").
    spellings: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def stem(self, word: str) -> str:
        """The stem of one folded word in this language."""
        return _stem(self.stemmer_name, word)

    @cached_property
    def index(self) -> TermIndex:
        """Every entry of the lexicon, found by its first word (built once, on first use)."""
        index = TermIndex()
        terms = [*self.negations, *self.pseudo_negations, *self.scope_ends, *self.scope_extenders]
        for signal in self.signals:
            terms += [*signal.terms, *signal.unless, *signal.near]
        for term in terms:
            index.add(term)
        return index

    @staticmethod
    def from_mapping(data: Mapping[str, object]) -> Lexicon:
        """Build a lexicon from a parsed ``config/triage/<language>.toml``."""
        checked.known(data, _TOP_KEYS, "the lexicon")
        language = checked.text(data, "language")
        stemmer_name = STEMMERS.get(language)
        if stemmer_name is None:
            raise ValueError(f"language {language!r}: no stemmer; use one of {sorted(STEMMERS)}")

        def stem(word: str) -> str:
            return _stem(stemmer_name, word)

        negation = checked.table(data, "negation")
        checked.known(negation, _NEGATION_KEYS, "[negation]")

        def terms(table: Mapping[str, object], key: str) -> tuple[Term, ...]:
            return tuple(compile_term(str(item), stem) for item in checked.strings(table, key))

        signals: list[Signal] = []
        for item in checked.tables(data, "signals"):
            severity = checked.text(item, "severity")
            if severity not in SEVERITIES[1:]:
                raise ValueError(f"signal {item.get('name')!r}: severity must be high or critical")
            signals.append(_signal(item, severity, terms))
        categories: list[str] = []
        for item in checked.tables(data, "categories"):
            # A category may have several tables: words of different weights.
            name = checked.text(item, "name")
            if name not in categories:
                categories.append(name)
            signals.append(_signal(item, "normal", terms, category=name))
        for signal in signals:
            if signal.category is not None and signal.category not in categories:
                raise ValueError(f"signal {signal.name!r}: unknown category {signal.category!r}")
        window = negation.get("window", 5)
        if not isinstance(window, int) or not 1 <= window <= 12:
            raise ValueError("[negation] window must be a whole number of words from 1 to 12")
        return Lexicon(
            language=language,
            negations=terms(negation, "cues"),
            pseudo_negations=terms(negation, "not_cues"),
            scope_ends=terms(negation, "scope_ends"),
            scope_extenders=terms(negation, "extenders"),
            window=window,
            real_words=frozenset(stem(fold(word)) for word in checked.strings(data, "real_words"))
            | _stems(signals),
            signals=tuple(signals),
            categories=tuple(categories),
            stemmer_name=stemmer_name,
            spellings=_spellings(data),
            max_slips=_max_slips(data),
            false_friends=frozenset(fold(word) for word in checked.strings(data, "false_friends")),
        )


@dataclass
class TermIndex:
    """Entries by their first word, so a text is read once rather than once per entry."""

    by_stem: dict[str, list[Term]] = field(default_factory=dict)
    by_text: dict[str, list[Term]] = field(default_factory=dict)
    prefixes: dict[str, list[tuple[str, Term]]] = field(default_factory=dict)
    suffixes: list[tuple[str, Term]] = field(default_factory=list)
    patterns: list[tuple[re.Pattern[str], Term]] = field(default_factory=list)
    # Entries whose first word is long enough to forgive a slip in, by its first two letters.
    slips: dict[str, list[Term]] = field(default_factory=dict)

    def add(self, term: Term) -> None:
        """File one entry under its first word."""
        first = term.words[0]
        if first.kind is WordKind.STEM:
            self.by_stem.setdefault(first.stem, []).append(term)
            self.by_text.setdefault(first.text, []).append(term)
        elif first.kind is WordKind.EXACT:
            self.by_text.setdefault(first.text, []).append(term)
        elif first.kind is WordKind.PREFIX:
            self.prefixes.setdefault(first.text[:1], []).append((first.text, term))
        elif first.kind is WordKind.SUFFIX:
            self.suffixes.append((first.text, term))
        elif first.kind is WordKind.PATTERN:
            self.patterns.append((re.compile(first.text), term))
        if first.kind in (WordKind.STEM, WordKind.PREFIX) and len(first.text) >= SLIP_MIN:
            self.slips.setdefault(first.text[:2], []).append(term)

    def starting_with(self, text: str, stem: str) -> list[Term]:
        """The entries whose first word may match this word (each is then checked in full)."""
        found = [
            *self.by_stem.get(stem, ()),
            *self.by_text.get(text, ()),
            *(term for prefix, term in self.prefixes.get(text[:1], ()) if text.startswith(prefix)),
            *(term for suffix, term in self.suffixes if text.endswith(suffix)),
            *(term for pattern, term in self.patterns if pattern.fullmatch(text)),
            *self.slips.get(text[:2], ()),
        ]
        return list({id(term): term for term in found}.values())


_TOP_KEYS = frozenset(
    {
        "language",
        "real_words",
        "false_friends",
        "max_slips",
        "spellings",
        "negation",
        "signals",
        "categories",
    }
)
_NEGATION_KEYS = frozenset({"cues", "not_cues", "scope_ends", "extenders", "window"})
_CATEGORY_KEYS = frozenset({"name", "weight", "terms", "unless", "near", "near_sentences"})
_SIGNAL_KEYS = _CATEGORY_KEYS | {"severity", "category", "negatable"}


def _max_slips(data: Mapping[str, object]) -> int:
    value = data.get("max_slips", 2)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 2:
        raise ValueError("max_slips must be 0, 1 or 2")
    return value


def _spellings(data: Mapping[str, object]) -> dict[str, tuple[str, ...]]:
    """The [spellings] table: one written word to the word or words it stands for."""
    table = data.get("spellings", {})
    if not isinstance(table, dict):
        raise ValueError("[spellings] must be a table of written = meant")
    spellings: dict[str, tuple[str, ...]] = {}
    for written, meant in table.items():
        words = [word for word, _, _ in tokens(fold(str(written)))]
        if len(words) != 1 or not isinstance(meant, str) or not tokens(fold(meant)):
            raise ValueError(f"[spellings] {written!r}: one written word = the words it means")
        spellings[words[0]] = tuple(word for word, _, _ in tokens(fold(meant)))
    return spellings


def _stems(signals: Sequence[Signal]) -> frozenset[str]:
    """Every stem the lexicon names: the words it knows are not misspellings."""
    return frozenset(
        word.stem
        for signal in signals
        for term in (*signal.terms, *signal.near, *signal.unless)
        for word in term.words
        if word.kind is WordKind.STEM
    )


def fold(text: str) -> str:
    """Text as matched: compatibility forms, lower case, one kind of apostrophe, no invisibles.

    Invisible format characters (zero-width space, soft hyphen) would split a word in two.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("\u2019", "'").replace("`", "'")
    return "".join(char for char in folded if unicodedata.category(char) != "Cf")


def tokens(text: str) -> list[tuple[str, int, int]]:
    """The words of folded text with their spans."""
    return [(match[0], match.start(), match.end()) for match in _TOKEN.finditer(text)]


def compile_term(source: str, stem: Callable[[str], str]) -> Term:
    """One lexicon entry as matchers (see the module docstring for the syntax)."""
    words: list[Word] = []
    for part in fold(source).split():
        if part == "...":
            words.append(Word(WordKind.GAP, ""))
            continue
        exact, prefix, suffix = part.startswith("="), part.endswith("*"), part.startswith("*")
        if "..." in part:
            raise ValueError(f"entry {source!r}: put spaces around '...'")
        if "?" in part and not exact:
            raise ValueError(f"entry {source!r}: '?' only works in an exact word ('=8?')")
        if exact and prefix:
            raise ValueError(f"entry {source!r}: a word is exact (=word) or a prefix (word*)")
        core = part.strip("=*")
        if exact and "?" in core:
            words.append(Word(WordKind.PATTERN, re.escape(core).replace("\\?", "\\w")))
            continue
        pieces = [piece for piece, _, _ in tokens(core)]
        for position, piece in enumerate(pieces):
            if exact:
                words.append(Word(WordKind.EXACT, piece))
            elif prefix and position == len(pieces) - 1:
                words.append(Word(WordKind.PREFIX, piece))
            elif suffix and position == 0:
                words.append(Word(WordKind.SUFFIX, piece))
            else:
                words.append(Word(WordKind.STEM, piece, stem(piece)))
    if not words or all(word.kind is WordKind.GAP for word in words):
        raise ValueError(f"entry {source!r} has no words")
    if words[0].kind is WordKind.GAP or words[-1].kind is WordKind.GAP:
        raise ValueError(f"entry {source!r}: '...' only goes between words")
    return Term(source, tuple(words))


def _signal(
    item: Mapping[str, object],
    severity: str,
    terms: Callable[[Mapping[str, object], str], tuple[Term, ...]],
    category: str | None = None,
) -> Signal:
    name = checked.text(item, "name")
    checked.known(item, _SIGNAL_KEYS if category is None else _CATEGORY_KEYS, repr(name))
    weight = item.get("weight", 1)
    if not isinstance(weight, int | float) or weight <= 0:
        raise ValueError(f"{name!r}: weight must be a positive number")
    found = terms(item, "terms")
    if not found:
        raise ValueError(f"{name!r}: terms must list at least one word or phrase")
    own_category = item.get("category")
    reach = item.get("near_sentences", 1)
    if isinstance(reach, bool) or reach not in (0, 1):
        raise ValueError(f"{name!r}: near_sentences must be 0 (same sentence) or 1")
    negatable = item.get("negatable", True)
    if not isinstance(negatable, bool):
        raise ValueError(f"{name!r}: negatable must be true or false")
    return Signal(
        name=name,
        severity=severity,
        category=category
        if category is not None
        else (str(own_category) if own_category else None),
        weight=float(weight),
        terms=found,
        unless=terms(item, "unless"),
        near=terms(item, "near"),
        near_sentences=int(reach),
        negatable=category is None and negatable,
    )


_CACHE: dict[str, snowballstemmer.basestemmer.BaseStemmer] = {}


def _stemmer(name: str) -> snowballstemmer.basestemmer.BaseStemmer:
    # Stemmers keep a small cache of their own; one per language is enough.
    if name not in _CACHE:
        _CACHE[name] = snowballstemmer.stemmer(name)
    return _CACHE[name]


@lru_cache(maxsize=100_000)
def _stem(stemmer_name: str, word: str) -> str:
    # Stemming is pure Python and the same few thousand words recur: remember them.
    return str(_stemmer(stemmer_name).stemWord(word))
