"""Triage: severity and category from everything the customer wrote, and the reasons for both.

Reads the text as a careful officer would skim it: sentence by sentence, every word by its stem
(so "injured", "injuring" and "injury" are one idea), long words forgiven one or two typing
slips ("elecric", "solicter"), and a hazard or threat that the customer rules out ("nobody was
hurt", "I don't want to involve a lawyer") set aside, with the reason kept so staff see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from workflows.lexicon import (
    CRITICAL,
    GAP,
    SLIP_MIN,
    Lexicon,
    Signal,
    Term,
    Word,
    WordKind,
    fold,
    rank,
    tokens,
)
from workflows.opinion import Opinion, SecondOpinion

_SENTENCE_END = re.compile(r"[.!?;\n]+|\s[-\u2013\u2014]\s|\(|\)")
# Typing slips are forgiven only in long words (short ones collide: "spark"/"spare").
_FUZZY_MIN = SLIP_MIN
_FUZZY_TWO = 10
# How far past a negation's reach an "or" may still carry it on, and how far in all.
_LIST_AHEAD = 4
_LONGEST_REACH = 30
# Triage reads this much of a text at most: a complaint says what matters well before this,
# and reading costs grow with length (a 25 MB email must not hold the server).
MAX_TRIAGE_CHARS = 20_000
# At most this many of one rule's matches are kept as reasons (a pasted log repeats itself).
_MAX_REASONS_PER_RULE = 8


# The kind of a case's grading record that says a person set its grade.
STAFF_GRADE = "staff"
# The rule name of what the learnt model decided (workflows/opinion.py).
# How a reason says a word was taken as a misspelling of a lexicon word ("read as 'fire'").
MISREAD = "read as"
SECOND_OPINION = "second opinion (learnt from graded complaints)"


@dataclass(frozen=True, slots=True)
class Reason:
    """Why triage decided what it did: a rule, the customer's words, and what they meant."""

    kind: str  # "severity", "category", "ignored" (a match set aside), or STAFF_GRADE
    rule: str
    level: str  # the severity for "severity" and "ignored", the category for "category"
    words: str
    note: str = ""  # "negated", "typo of injured", an exception's words

    def to_data(self) -> dict[str, str]:
        """A JSON-ready form for the case record."""
        data = {"kind": self.kind, "rule": self.rule, "level": self.level, "words": self.words}
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True, slots=True)
class Assessment:
    """Severity and category of a complaint, with the reasons (the audit trail's evidence)."""

    severity: str
    category: str
    reasons: tuple[Reason, ...] = ()


@dataclass(slots=True)
class _Token:
    text: str
    stem: str
    sentence: int
    clause: int
    negated: bool = False


@dataclass
class _Text:
    """One text tokenised for a lexicon, with a cache of word comparisons."""

    lexicon: Lexicon
    words: list[_Token]
    _cache: dict[tuple[int, Word], str | None] = field(default_factory=dict)
    # Every place each lexicon entry matches, by the entry's id: found in one reading.
    matches: dict[int, list[tuple[int, int, list[str]]]] = field(default_factory=dict)

    def word_at(self, index: int, word: Word) -> str | None:
        """None if the token does not match; else "" or the word it is a misspelling of."""
        key = (index, word)
        if key not in self._cache:
            self._cache[key] = _match_word(self.words[index], word, self.lexicon)
        return self._cache[key]


def assess(
    text: str, lexicon: Lexicon, default_category: str, opinion: SecondOpinion | None = None
) -> Assessment:
    """Severity, category and reasons for one complaint's whole text.

    With a second ``opinion`` (a model learnt from graded complaints), a complaint the model
    is confident is critical is raised to critical, a lexicon's critical grade is held back
    where the model is nearly certain the complaint is ordinary, and a confident category is
    taken; always said in the reasons.
    """
    prepared = _prepare(text, lexicon)
    reasons: list[Reason] = []
    severity = "normal"
    # Per category, the weight found at each word: a word counts once, at its best weight.
    weights: dict[str, dict[int, float]] = {}
    topic_reasons: dict[str, list[Reason]] = {}
    for signal in lexicon.signals:
        for words, note, start in _signal_matches(prepared, signal)[:_MAX_REASONS_PER_RULE]:
            if signal.negatable and prepared.words[start].negated:
                reasons.append(Reason("ignored", signal.name, signal.severity, words, "negated"))
                continue
            if signal.severity != "normal":
                reasons.append(Reason("severity", signal.name, signal.severity, words, note))
                if rank(signal.severity) > rank(severity):
                    severity = signal.severity
            if signal.category is not None:
                found = weights.setdefault(signal.category, {})
                found[start] = max(found.get(start, 0.0), signal.weight)
                topic_reasons.setdefault(signal.category, []).append(
                    Reason("category", signal.name, signal.category, words, note)
                )
    category = default_category
    scores = {name: sum(found.values()) for name, found in weights.items()}
    if scores:
        # Ties go to the category listed first in the lexicon.
        order = {name: position for position, name in enumerate(lexicon.categories)}
        category = max(scores, key=lambda name: (scores[name], -order.get(name, 0)))
        reasons.extend(topic_reasons[category])
    if opinion is not None:
        severity, category = _second_opinion(text, opinion, severity, category, reasons)
    # The same rule matching the same words twice is one reason.
    return Assessment(severity, category, tuple(dict.fromkeys(reasons)))


def _second_opinion(
    text: str, opinion: SecondOpinion, severity: str, category: str, reasons: list[Reason]
) -> tuple[str, str]:
    """Raise to critical, hold a critical grade back, choose the category: where confident."""
    found = opinion.assess(text)
    if severity == CRITICAL and found.ordinary >= opinion.ordinary_threshold:
        note = f"held back: {int(found.ordinary * 100)}% like ordinary complaints"
        reasons[:] = [
            Reason("ignored", r.rule, r.level, r.words, note)
            if r.kind == "severity" and r.level == CRITICAL
            else r
            for r in reasons
        ]
        levels = [r.level for r in reasons if r.kind == "severity"]
        severity = max(levels, key=rank) if levels else "normal"
        return severity, _opinion_category(found, opinion, category, reasons)
    if found.critical >= opinion.critical_threshold and severity != CRITICAL:
        note = f"{int(found.critical * 100)}% like complaints graded critical"
        words = ", ".join(found.critical_words)
        reasons.append(Reason("severity", SECOND_OPINION, CRITICAL, words, note))
        severity = CRITICAL
    return severity, _opinion_category(found, opinion, category, reasons)


def _opinion_category(
    found: Opinion, opinion: SecondOpinion, category: str, reasons: list[Reason]
) -> str:
    if found.category_probability >= opinion.category_threshold and found.category != category:
        note = f"{int(found.category_probability * 100)}% like complaints about {found.category}"
        reasons[:] = [reason for reason in reasons if reason.kind != "category"]
        words = ", ".join(found.category_words)
        reasons.append(Reason("category", SECOND_OPINION, found.category, words, note))
        return found.category
    return category


def _prepare(text: str, lexicon: Lexicon) -> _Text:
    folded = fold(text[:MAX_TRIAGE_CHARS])
    words: list[_Token] = []
    clause = 0
    for sentence, piece in enumerate(_SENTENCE_END.split(folded)):
        for part in piece.split(","):
            clause += 1
            for written, _, _ in tokens(part):
                for word in lexicon.spellings.get(written, (written,)):
                    words.append(_Token(word, lexicon.stem(word), sentence, clause))
    prepared = _Text(lexicon, words)
    index = lexicon.index
    for start, token in enumerate(words):
        for term in index.starting_with(token.text, token.stem):
            result = _match_from(prepared, term.words, 0, start, [])
            if result is not None:
                end, typos = result
                prepared.matches.setdefault(id(term), []).append((start, end, typos))
    _mark_negated(prepared)
    return prepared


def _mark_negated(text: _Text) -> None:
    """Mark the words a negation governs: the next few, up to a clause or sentence end."""
    lexicon = text.lexicon
    pseudo: set[int] = set()
    for term in lexicon.pseudo_negations:
        for start, end, _ in _term_matches(text, term):
            pseudo.update(range(start, end))
    ends = _starts(text, lexicon.scope_ends)
    extenders = _starts(text, lexicon.scope_extenders)
    for term in lexicon.negations:
        for start, end, _ in _term_matches(text, term):
            if start in pseudo:
                continue
            clause = text.words[start].clause
            index, reach = end, end + lexicon.window
            # A list may carry a negation on, but never further than a long sentence.
            stop = min(len(text.words), end + _LONGEST_REACH)
            while index < stop:
                if index in ends or text.words[index].clause != clause:
                    break
                if index >= reach:
                    # "I don't want to make a fuss or involve a lawyer": a list goes on.
                    ahead = range(index, min(index + _LIST_AHEAD, len(text.words)))
                    following = [i for i in ahead if i in extenders]
                    if any(i in ends for i in ahead):
                        following = []
                    if not following:
                        break
                    reach = following[0] + 1 + lexicon.window
                if index in extenders:
                    reach = index + 1 + lexicon.window
                text.words[index].negated = True
                index += 1


def _starts(text: _Text, terms: tuple[Term, ...]) -> set[int]:
    return {start for term in terms for start, _, _ in _term_matches(text, term)}


def _signal_matches(text: _Text, signal: Signal) -> list[tuple[str, str, int]]:
    """(customer's words, note, first word's index) for each place the signal's terms match."""
    if not text.words:
        return []
    # An exception covers the words it spans: "fire" in "fire door", not "fire door caught fire".
    excepted = _reach([span for term in signal.unless for span in _term_matches(text, term)], text)
    near_sentences: set[int] | None = None
    if signal.near:
        # The context word's sentence or a neighbour ("Our dog got out. She was hit by a car.")
        near_sentences = {
            text.words[start].sentence + offset
            for term in signal.near
            for start, _, _ in _term_matches(text, term)
            for offset in range(-signal.near_sentences, signal.near_sentences + 1)
        }
    spans: dict[tuple[int, int], list[str]] = {}
    for term in signal.terms:
        for start, end, typos in _term_matches(text, term):
            if excepted[start] >= end:
                continue
            if near_sentences is not None and text.words[start].sentence not in near_sentences:
                continue
            spans.setdefault((start, end), typos)
    found: list[tuple[str, str, int]] = []
    # "financial ombudsman" says all that "ombudsman" would: keep the longest match. Sorted by
    # start, longest first, a span inside an earlier one ends no later than the furthest end.
    furthest = -1
    for (start, end), typos in sorted(spans.items(), key=lambda item: (item[0][0], -item[0][1])):
        if end <= furthest:
            continue
        furthest = end
        said = " ".join(token.text for token in text.words[start:end])
        note = "; ".join(f"{MISREAD} {typo!r}" for typo in typos)
        found.append((said, note, start))
    return found


def _reach(spans: list[tuple[int, int, list[str]]], text: _Text) -> list[int]:
    """For each word, the furthest end of a span starting at or before it (-1: none)."""
    reach = [-1] * (len(text.words) + 1)
    for start, end, _ in spans:
        reach[start] = max(reach[start], end)
    for index in range(1, len(reach)):
        reach[index] = max(reach[index], reach[index - 1])
    return reach


def _term_matches(text: _Text, term: Term) -> list[tuple[int, int, list[str]]]:
    """Every (start, end, typos) where the entry's words match, left to right."""
    return text.matches.get(id(term), [])


def _match_from(
    text: _Text, words: tuple[Word, ...], position: int, index: int, typos: list[str]
) -> tuple[int, list[str]] | None:
    if position == len(words):
        return index, typos
    word = words[position]
    if word.kind is WordKind.GAP:
        for skip in range(GAP + 1):
            result = _match_from(text, words, position + 1, index + skip, typos)
            if result is not None:
                return result
        return None
    if index >= len(text.words):
        return None
    # A phrase does not run across sentences.
    if position > 0 and index > 0 and text.words[index].sentence != text.words[index - 1].sentence:
        return None
    found = text.word_at(index, word)
    if found is None:
        return None
    return _match_from(text, words, position + 1, index + 1, [*typos, found] if found else typos)


def _match_word(token: _Token, word: Word, lexicon: Lexicon) -> str | None:
    """None if no match, "" for a match, or the word for a forgiven misspelling."""
    if word.kind is WordKind.EXACT:
        return "" if token.text == word.text else None
    if word.kind is WordKind.PATTERN:
        return "" if re.fullmatch(word.text, token.text) else None
    if word.kind is WordKind.PREFIX:
        if token.text.startswith(word.text):
            return ""
        return _typo(token, word.text, lexicon, prefix=True)
    if word.kind is WordKind.SUFFIX:
        return "" if token.text.endswith(word.text) and token.text != word.text else None
    if token.stem == word.stem or token.text == word.text:
        return ""
    return _typo(token, word.text, lexicon, prefix=False)


def _typo(token: _Token, word: str, lexicon: Lexicon, *, prefix: bool) -> str | None:
    """``word`` if the token looks like a slip of it (same first letter, few edits)."""
    if len(word) < _FUZZY_MIN:
        return None
    if token.stem in lexicon.real_words:
        return None
    allowed = min(lexicon.max_slips, 2 if len(word) >= _FUZZY_TWO else 1)
    if allowed == 0:
        return None
    # Slips are rare in a word's first letters; requiring them keeps real words apart.
    if token.text[: allowed + 1] != word[: allowed + 1]:
        return None
    if prefix:
        candidates = [token.text[: len(word) + shift] for shift in (-1, 0, 1)]
    else:
        candidates = [token.text]
    if len(token.text) < len(word) - allowed:
        return None
    for candidate in candidates:
        # OSA distance: a swapped pair of letters ("hosptial") is one slip, not two.
        if OSA.distance(candidate, word, score_cutoff=allowed) <= allowed:
            return word + ("*" if prefix else "")
    return None
