"""The words a customer may use, per locale: commands, yes/no, outcomes, dates.

The core matches words but never stores them: the shell loads a Vocabulary from
``templates/<locale>/vocabulary.toml`` and hands it in, so every language lives in templates/.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from workflows.date_words import DateWords
from workflows.decision_words import DecisionWords
from workflows.phrases import alternation, contains_phrase, normalise, phrase_set, without
from workflows.wish_model import WishModel
from workflows.wish_words import ClauseMarkers, WishWords


class Command(StrEnum):
    """What a customer can ask for at any point of a conversation."""

    HELP = "help"
    STATUS = "status"
    CANCEL = "cancel"
    NEW = "new"
    PERSON = "person"


@dataclass(frozen=True)
class Vocabulary:
    """Phrases per meaning, all normalised (see ``normalise``)."""

    commands: Mapping[Command, frozenset[str]]
    yes: frozenset[str]
    no: frozenset[str]
    skip: frozenset[str]
    outcomes: Mapping[str, frozenset[str]]
    order_words: frozenset[str]
    # How this language says when something happened (see workflows/dates.py).
    dates: DateWords
    greetings: frozenset[str] = field(default_factory=frozenset)
    # Words that mark a sentence as what the customer wants ("I would like", "please").
    wishes: frozenset[str] = field(default_factory=frozenset)
    # Phrases that ask for a command from inside a short sentence ("can I speak to someone
    # please", "where is my complaint? It's been ages").
    requests: Mapping[Command, frozenset[str]] = field(default_factory=dict)
    # Phrases that refuse consent when answering it ("No, I do not agree"), and ones that
    # refuse it wherever they are written ("I do not consent to you keeping my details").
    refusals: frozenset[str] = field(default_factory=frozenset)
    explicit_refusals: frozenset[str] = field(default_factory=frozenset)
    # Words that put a refusal off until the complaint is done ("ok, but delete me
    # afterwards"): beside a yes, such an answer is asked again, not taken as a refusal.
    afterwards: frozenset[str] = field(default_factory=frozenset)
    # Whole messages that ask to be answered in this vocabulary's language ("en français").
    switch_to: frozenset[str] = field(default_factory=frozenset)
    # Words before the outcome a customer prefers ("I'd rather have a new one").
    prefer: frozenset[str] = frozenset()
    # How customers give their name ("je m'appelle", "ich heiße") and say a contact is theirs
    # ("mon numéro", "meine E-Mail"), besides the English forms the core knows.
    name_intros: frozenset[str] = frozenset()
    contact_cues: frozenset[str] = frozenset()
    # Words that offer a choice between outcomes ("a refund or a replacement").
    alternatives: frozenset[str] = frozenset()
    # Words that turn a yes into something else ("not ok", "pas d'accord").
    negations: frozenset[str] = frozenset()
    # Phrases that grant consent inside a longer answer ("you can keep them", "dürfen Sie").
    consent_phrases: frozenset[str] = frozenset()
    # Words that hold a yes back ("ok, I'll think about it", "oui mais plus tard").
    hesitations: frozenset[str] = frozenset()
    # "if", "wenn": a negation after one sets a condition on an outcome, not a refusal.
    conditionals: frozenset[str] = frozenset()
    # Phrases that look like an outcome and are not ("de nuevo" is "again").
    idioms: frozenset[str] = frozenset()
    # How a clause sets an outcome aside or holds it back ("money isn't the issue", "if not").
    markers: ClauseMarkers = field(default_factory=ClauseMarkers)
    # Yeses that mean something else inside a sentence ("right", "ya", "si" is also "if"):
    # consent only as the whole answer.
    yes_alone: frozenset[str] = frozenset()
    # Words of courtesy around a consent that change nothing ("thanks", "bitte", "pues").
    courtesy: frozenset[str] = frozenset()
    # Consent without a yes, however grudging ("I suppose so", "meinetwegen", "je consens").
    assents: frozenset[str] = frozenset()
    # Words that limit what consent is for ("only", "no marketing", "nicht weitergeben"): a
    # clause of them beside a yes still consents to handling the complaint.
    limits: frozenset[str] = frozenset()
    # Words after an outcome that refuse it ("Geld will ich keins").
    negations_after: frozenset[str] = frozenset()
    # A change of mind between outcomes ("a new one, or actually no, my money back").
    changes_of_mind: frozenset[str] = frozenset()
    # Asking to change an answer on the summary ("change something").
    change: frozenset[str] = frozenset({"change", "change something"})
    # Word stems that name an outcome in an answer to "what would you like us to do" when no
    # phrase of ``outcomes`` does ("the consultation fee back", "have the showers repaired").
    outcome_stems: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # Answers to a response (accept, reject), asking to reopen, satisfaction scores.
    decisions: DecisionWords = field(default_factory=DecisionWords)
    # The language's two-letter code: dates the readers here miss are read in it (dateparser).
    language: str = "en"
    # Learnt from labelled conversations: the nearest outcome to a wish no phrase names.
    wish_model: WishModel | None = None

    @staticmethod
    def from_mapping(data: Mapping[str, object], language: str = "en") -> Vocabulary:
        """Build a vocabulary from parsed TOML (lists of phrases under known keys)."""

        # A phrase of symbols only ("?") is kept as typed: normalising would empty it; a
        # trailing * ("rembours*") matches any word that starts so.
        phrases = phrase_set

        def table(name: str) -> Mapping[str, object]:
            value = data[name]
            if not isinstance(value, dict):
                raise ValueError(f"[{name}] must be a table")
            return value

        commands = table("commands")
        outcomes = table("outcomes")
        stems = data.get("outcome_stems", {})
        if not isinstance(stems, dict) or set(stems) - set(outcomes):
            raise ValueError("[outcome_stems] must be a table of the outcomes in [outcomes]")
        asks = data.get("requests", {})
        decisions = data.get("decisions", {})
        if not isinstance(asks, dict) or not isinstance(decisions, dict):
            raise ValueError("[requests] and [decisions] must be tables")
        return Vocabulary(
            commands={command: phrases(commands[command.value]) for command in Command},
            yes=phrases(data["yes"]),
            no=phrases(data["no"]),
            skip=phrases(data["skip"]),
            outcomes={str(key): phrases(value) for key, value in outcomes.items()},
            outcome_stems={str(key): phrases(value) for key, value in stems.items()},
            order_words=phrases(data["order_words"]),
            dates=DateWords.from_mapping(data, language),
            greetings=phrases(data.get("greetings", [])),
            wishes=phrases(data.get("wishes", [])),
            requests={Command(name): phrases(value) for name, value in asks.items()},
            refusals=phrases(data.get("refusals", [])),
            explicit_refusals=phrases(data.get("explicit_refusals", [])),
            afterwards=phrases(data.get("afterwards", [])),
            switch_to=phrases(data.get("switch_to", [])),
            change=phrases(data.get("change", ["change", "change something"])),
            consent_phrases=phrases(data.get("consent_phrases", [])),
            hesitations=phrases(data.get("hesitations", [])),
            assents=phrases(data.get("assents", [])),
            yes_alone=phrases(data.get("yes_alone", [])),
            courtesy=frozenset(
                word for phrase in phrases(data.get("courtesy", [])) for word in phrase.split()
            ),
            conditionals=phrases(data.get("conditionals", [])),
            idioms=phrases(data.get("idioms", [])),
            markers=ClauseMarkers.from_mapping(data),
            changes_of_mind=phrases(data.get("changes_of_mind", [])),
            negations_after=phrases(data.get("negations_after", [])),
            negations=phrases(data.get("negations", [])),
            prefer=phrases(data.get("prefer", [])),
            alternatives=phrases(data.get("alternatives", [])),
            name_intros=phrases(data.get("name_intros", [])),
            contact_cues=phrases(data.get("contact_cues", [])),
            limits=phrases(data.get("limits", [])),
            decisions=DecisionWords.from_mapping(decisions),
            language=language,
        )

    def knows_whole(self, words: str) -> bool:
        """Whether a whole normalised message is one of this language's short answers."""
        return (
            words in self.yes
            or words in self.no
            or words in self.greetings
            or words in self.switch_to
            or any(words in phrases for phrases in self.commands.values())
        )

    def is_switch(self, text: str) -> bool:
        """Whether the whole message asks to be answered in this language."""
        return normalise(text) in self.switch_to

    def command_in(self, text: str) -> tuple[Command, str] | None:
        """The command a whole message asks for, with any words after it (e.g. a reference)."""
        # A message of symbols only ("?", "!!!", an emoji) is compared as typed, so it can be
        # the "?" command but is never the empty phrase.
        words = normalise(text) or text.strip()
        for command, options in self.commands.items():
            for phrase in options:
                if words == phrase:
                    return command, ""
                # Only "status" takes an argument; "help me, my order is late" is a complaint.
                # The argument is taken from the normalised words ("status: CB-..." has a colon
                # the phrase has not), and a reference is at most three words ("CB K7M3 XD9A"):
                # "track my parcel, it never arrived" is a complaint too.
                if command is Command.STATUS and words.startswith(phrase + " "):
                    argument = words[len(phrase) :].strip()
                    if len(argument.split()) <= 3:
                        return command, argument
        return None

    def request_in(self, text: str, max_other_words: int = 5) -> Command | None:
        """The command a message asks for in a sentence, when asking is all it does.

        "any news?" and "where is my complaint? it's been ages" ask; "Gas leak from the new
        hob, can I speak to someone please" is a complaint first (more than a few words
        besides the request), and so is "any news? the cooker is sparking again".
        """
        words = normalise(text)
        found: dict[Command, int] = {}
        for command, phrases in self.requests.items():
            for phrase in phrases:
                if contains_phrase(words, phrase):
                    found[command] = max(found.get(command, 0), len(phrase.split()))
        if len(found) != 1:
            return None
        [(command, size)] = found.items()
        # Numbers (a reference, an order) do not count as saying something else.
        others = [word for word in words.split() if not any(c.isdigit() for c in word)]
        return command if len(others) - size <= max_other_words else None

    def mentions(self, text: str, command: Command) -> bool:
        """Whether the text asks for ``command`` anywhere in it ("this is a new problem: …")."""
        words = normalise(text)
        return any(contains_phrase(words, phrase) for phrase in self.requests.get(command, ()))

    @cached_property
    def wish_words(self) -> WishWords:
        """The words for what a customer wants, with how they are read."""
        return WishWords(
            outcomes=self.outcomes,
            outcome_stems=self.outcome_stems,
            prefer=self.prefer,
            alternatives=self.alternatives,
            negations=self.negations,
            negations_after=self.negations_after,
            changes_of_mind=self.changes_of_mind,
            wishes=self.wishes,
            clause_words=self.dates.clause_words,
            conditionals=self.conditionals,
            idioms=self.idioms,
            markers=self.markers,
            model=self.wish_model,
        )

    def outcome_in(self, text: str) -> str | None:
        """The desired outcome a message names (see ``WishWords.outcome_in``)."""
        return self.wish_words.outcome_in(text)

    def answered_outcome(self, text: str) -> str | None:
        """The outcome an answer to "what would you like" names, by phrase or else by stem."""
        return self.wish_words.answered_outcome(text)

    def corrected_outcome(self, text: str) -> str | None:
        """The outcome named after a change of mind ("a new one, or actually no, my money")."""
        return self.wish_words.corrected_outcome(text)

    def wished_outcome(self, text: str) -> str | None:
        """The outcome a customer asks for in a sentence that says what they want."""
        return self.wish_words.wished_outcome(text)

    def refuses(self, text: str) -> bool:
        """Whether an answer to the consent question says no ("no", "I don't agree")."""
        refusing = self.is_no(text) or self._has(text, self.explicit_refusals | self.refusals)
        return refusing and not self._deletes_afterwards(text)

    def _deletes_afterwards(self, text: str) -> bool:
        """Whether the answer agrees for now and asks for deletion later ("meinetwegen, aber
        löscht mich danach"): not a refusal that would set the complaint aside."""
        agreeing = self.yes | self.assents | self.consent_phrases
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
        if self._has(tail, self.conditionals | self.hesitations):
            return False
        return not any(normalise(part) in self.no for part in re.split(r"[,;:.!()]+", tail))

    def _clause_ends(self, text: str) -> list[int]:
        """Where a clause of the answer ends: at punctuation, and before "but", "aber"."""
        ends = r"[,;:.!()]+"
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

    def is_skip(self, text: str) -> bool:
        """Whether the message asks to skip an optional question."""
        return normalise(text) in self.skip


# Words in a message that is only an answer to a yes/no question ("oui d'accord merci").
_SHORT_ANSWER = 5
_COURTESY_WORDS = 2
# Words after an opening yes that still make a plain agreement ("yes I am agreeing").
_SHORT_REST = 3


def _menu_number(text: str) -> str:
    """A menu choice as typed ("1", "1.", "2)"), bare."""
    return text.strip().rstrip(".)").strip()
