"""Yes, no and consent in a customer's words: how a Vocabulary reads them.

Consent is never assumed (see ``YesNoWords.agrees``); a refusal stops the complaint, so only
words that refuse count as one ("I do not agree, delete my data"), not a question back or a
limit on what the consent is for ("no quiero publicidad").
"""

from __future__ import annotations

import re
import unicodedata

from workflows.date_words import DateWords
from workflows.phrases import alternation, contains_phrase, normalise, without


class YesNoWords:
    """The reading of yes, no and consent; Vocabulary holds the words (its fields)."""

    yes: frozenset[str]
    no: frozenset[str]
    negations: frozenset[str]
    hesitations: frozenset[str]
    conditionals: frozenset[str]
    refusals: frozenset[str]
    explicit_refusals: frozenset[str]
    afterwards: frozenset[str]
    consent_phrases: frozenset[str]
    assents: frozenset[str]
    yes_alone: frozenset[str]
    courtesy: frozenset[str]
    limits: frozenset[str]
    dates: DateWords

    def refuses(self, text: str) -> bool:
        """Whether an answer to the consent question says no ("no", "I don't agree").

        A refusal sets the complaint aside, so it must be one: not a question back ("Only if
        you delete them afterwards?"), nor a no to what the consent is not for ("Depende, no
        quiero publicidad"). Those are asked again; words that refuse anywhere still refuse.
        """
        if self.is_no(text) or self._has(text, self.explicit_refusals):
            return not self._deletes_afterwards(text)
        # "Sie wollen meine Daten behalten? Nein, auf keinen Fall!": the question is theirs to
        # answer, and they did.
        answered = text.rpartition("?")[2]
        if "?" in text and self._plainly_refuses(answered):
            return True
        clauses = re.split(_CLAUSE_PUNCTUATION, text)
        refusing = "?" not in text and (self._said_no(clauses) or self._opens_no(clauses))
        # "Yes, rather not be called though": a yes first, then a wish about how; asked again
        # rather than set aside.
        opens_yes = self._agrees(re.split(_CLAUSE_PUNCTUATION, text)[0])
        return refusing and not opens_yes and not self._deletes_afterwards(text)

    def _plainly_refuses(self, text: str) -> bool:
        """Whether the words open with a bare no ("Nein, auf keinen Fall!") or refuse in so many
        words, with no hesitation ("No sé, después veo" is none)."""
        opening = normalise(re.split(_CLAUSE_PUNCTUATION, text.strip())[0])
        refusing = opening in self.no or self._has(text, self.refusals | self.explicit_refusals)
        return refusing and not self._has(text, self.hesitations | self.assents)

    def _said_no(self, clauses: list[str]) -> bool:
        """Whether a clause refuses in words, not said only of what consent is not for ("no
        quiero publicidad"), and nothing after it gives way ("Preferiría que no, pero si es
        imprescindible...", asked again)."""
        said = ""
        for at, clause in enumerate(clauses):
            if self._has(clause, self.limits):
                continue
            # A refusal may run across a comma ("Ich möchte nicht, dass Sie ... speichern").
            said += f" {clause}"
            if self._has(said, self.refusals):
                return not self._gives_way(clauses[at + 1 :], after_words=True)
        return False

    def _opens_no(self, clauses: list[str]) -> bool:
        """Whether a bare no opens the answer and nothing after it gives way ("Nein. Sie haben
        meine Adresse ja sowieso."); "No. Well, ok then" or "no, only for this" are not."""
        return self.is_no(clauses[0]) and not self._gives_way(clauses[1:])

    def _gives_way(self, clauses: list[str], *, after_words: bool = False) -> bool:
        """Whether a clause after a no yields: a yes, a condition, a limit or a hesitation.

        A yes that means something else inside a sentence ("Ya bastante tienen ustedes")
        yields nothing unless it is the whole clause. After words that refuse (``after_words``)
        only a yes, a grudging consent or a condition yields: "Reckon not. Just cancel it",
        "Lieber nich, ick will nur dass die Rechnung wegkommt" still refuse.
        """
        giving = self.assents | self.consent_phrases | self.conditionals
        for clause in clauses:
            words = normalise(clause).split()
            if not words:
                continue
            opening = words[0] in self.yes and words[0] not in self.yes_alone
            if opening or self._has(clause, giving):
                return True
            if after_words:
                continue
            if self._agrees(clause) or self._has(clause, self.limits | self.hesitations):
                return True
        return False

    def _deletes_afterwards(self, text: str) -> bool:
        """Whether the answer agrees for now, or on that condition, and asks for deletion later
        ("meinetwegen, aber löscht mich danach"): not a refusal that sets the complaint aside."""
        agreeing = self.yes | self.assents | self.consent_phrases | self.conditionals
        return self._has(text, self.afterwards) and self._has(text, agreeing)

    def refuses_explicitly(self, text: str) -> bool:
        """Whether the text refuses consent in words that mean it anywhere ("delete my data")."""
        return self._has(text, self.explicit_refusals) and not self._deletes_afterwards(text)

    def _has(self, text: str, phrases: frozenset[str]) -> bool:
        words = normalise(text)
        return any(contains_phrase(words, phrase) for phrase in phrases)

    def says_yes(self, text: str) -> bool:
        """Yes in words, or 1 on a yes/no menu (a menu number means the same on every screen)."""
        return self.is_yes(text) or _menu_number(text) == "1"

    def says_no(self, text: str) -> bool:
        """No in words, or 2 on a yes/no menu."""
        return self.is_no(text) or _menu_number(text) == "2"

    def agrees(self, text: str) -> bool:
        """Whether an answer to the consent question gives consent ("Yes, you can keep them").

        Consent is never assumed: every word must be accounted for, as a yes, a consent said
        without one ("I suppose so", "doy mi consentimiento"), what it grants ("for this
        complaint only") or courtesy ("thanks"). A word the lists do not know, a question, a
        condition, a negation or a hesitation leaves it unagreed, and the question is asked
        again: "yes delete it", "sure, when pigs fly", "ok later" do not agree.
        """
        if "?" in text or self.refuses(text):
            return False
        if _menu_number(text) == "1":
            return True
        if self._agrees(text):
            return True
        # "Sí, pero solo para esto, que luego me llenan el correo de ofertas": a yes, then only
        # what it is for. A condition ("only if you refund me") or a hesitation is no limit.
        ends = self._clause_ends(text)
        return any(self._only_limits(text[end:]) and self._agrees(text[:end]) for end in ends)

    def _only_limits(self, tail: str) -> bool:
        """Whether the rest of an answer limits what consent is for, and takes back nothing:
        no condition, hesitation or "no" of its own ("ok, only kidding, no")."""
        if not self._has(tail, self.limits):
            return False
        # "s'il vous plaît" is courtesy, not the "s'il" of a condition.
        polite = self.courtesy - self.conditionals
        if self._has(without(normalise(tail), polite), self.conditionals | self.hesitations):
            return False
        return not any(normalise(part) in self.no for part in re.split(_CLAUSE_PUNCTUATION, tail))

    def _clause_ends(self, text: str) -> list[int]:
        """Where a clause of the answer ends: at punctuation, and before "but", "aber"."""
        ends = _CLAUSE_PUNCTUATION
        if self.dates.clause_words:
            ends += rf"|(?<!\w)(?:{alternation(self.dates.clause_words)})(?!\w)"
        return [match.start() for match in re.finditer(ends, text, flags=re.IGNORECASE)]

    def _agrees(self, text: str) -> bool:
        """Whether every word of the answer is accounted for by a yes (see ``agrees``)."""
        words = normalise(text)
        if not words or any(unicodedata.category(c) == "So" for c in text):
            return False  # "👍" alone is unclear; in "ok 🙄" the symbol says more than the words
        if words in self.yes:
            return True  # whole, even a yes that means something else inside a sentence
        if self._denies(without(without(words, self.consent_phrases), self.assents)):
            return False  # "yes but not my phone", "speichern Sie nichts"
        if any(contains_phrase(words, phrase) for phrase in self.hesitations):
            return False  # "ok, I'll think about it"
        inside = frozenset(phrase for phrase in self.yes if phrase not in self.yes_alone)
        # All at once, longest first: "c'est en ordre" goes whole, not "en ordre" from it.
        rest = without(words, self.assents | self.consent_phrases | inside)
        # A yes that means something else alone ("right", "si") is a yes beside another
        # ("Sure, that's fine", "si vale"); sarcasm ("yeah right") is a hesitation.
        alone = {word for phrase in self.yes_alone for word in phrase.split()}
        left = [word for word in rest.split() if word not in self.courtesy | alone]
        # Only such yeses ("ya, si") are a yes too.
        said = rest != words or any(word in alone for word in words.split())
        return said and not left

    def is_yes(self, text: str) -> bool:
        """Whether the message is an agreement: "yes", or a short one that says yes and no no.

        "ja, ist ok", "oui d'accord merci", "von mir aus ja" agree; "not ok", "yes no",
        "ja, aber nicht so" do not.
        """
        words = normalise(text)
        if words in self.yes:
            return True
        if not self._short_answer(words, self.yes) or self._denies(words):
            return False
        if any(contains_phrase(words, phrase) for phrase in self.hesitations):
            return False  # "yes, maybe later", "ja vielleicht": not yet a yes
        # Besides the yes, a word or two of courtesy ("merci", "ist"), not news ("yes the
        # kettle sparked again" is something to read, not only an agreement).
        return len(without(words, self.yes).split()) <= _COURTESY_WORDS

    def is_no(self, text: str) -> bool:
        """Whether the message is a refusal: "no", or a short one that says no and not yes."""
        words = normalise(text)
        if words in self.no:
            return True
        if self._has(words, self.refusals) or self._has(words, self.explicit_refusals):
            return False  # "no thanks": a refusal in words, handled as one
        return self._short_answer(words, self.no) and not self._short_answer(words, self.yes)

    def _short_answer(self, words: str, phrases: frozenset[str]) -> bool:
        # A longer message is saying something else too; single letters ("y", "n") count
        # only alone.
        if len(words.split()) > _SHORT_ANSWER:
            return False
        return any(len(p) > 1 and contains_phrase(words, p) for p in phrases)

    def _denies(self, words: str) -> bool:
        # "pas de souci", "no problem" say yes with a negation inside: take them out first.
        words = without(words, frozenset(phrase for phrase in self.yes if " " in phrase))
        return any(contains_phrase(words, word) for word in self.negations) or any(
            len(p) > 1 and contains_phrase(words, p) for p in self.no
        )


# Words in a message that is only an answer to a yes/no question ("oui d'accord merci").
_SHORT_ANSWER = 5
_COURTESY_WORDS = 2
_CLAUSE_PUNCTUATION = r"[,;:.!()]+"


def _menu_number(text: str) -> str:
    """A menu choice as typed ("1", "1.", "2)"), bare."""
    return text.strip().rstrip(".)").strip()
