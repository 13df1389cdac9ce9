"""The words a customer may use, per locale: commands, yes/no, outcomes, dates.

The core matches words but never stores them: the shell loads a Vocabulary from
``templates/<locale>/vocabulary.toml`` and hands it in, so every language lives in templates/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import cached_property

from workflows.clause_markers import ClauseMarkers
from workflows.consent_words import YesNoWords
from workflows.date_words import DateWords
from workflows.decision_words import DecisionWords
from workflows.phrases import contains_phrase, normalise, phrase_set
from workflows.wish_model import WishModel
from workflows.wish_words import WishWords

# A request to switch language is short; a longer message is a complaint that names a language.
_SWITCH_WORDS = 8
_SWITCH_PHRASE_WORDS = 3


class Command(StrEnum):
    """What a customer can ask for at any point of a conversation."""

    HELP = "help"
    STATUS = "status"
    CANCEL = "cancel"
    NEW = "new"
    PERSON = "person"


@dataclass(frozen=True)
class Vocabulary(YesNoWords):
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
    # Words that may introduce a name or anything else ("I'm Priya Shah", "I'm fed up"): a
    # name after them is two capitalised words or more.
    self_intros: frozenset[str] = frozenset()
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
    # "why", "warum": a negation after one is what the customer asks about ("I want to know why
    # it was not sent"), not a refusal of the wish.
    question_words: frozenset[str] = frozenset()
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
            question_words=phrases(data.get("question_words", [])),
            negations=phrases(data.get("negations", [])),
            prefer=phrases(data.get("prefer", [])),
            alternatives=phrases(data.get("alternatives", [])),
            name_intros=phrases(data.get("name_intros", [])),
            self_intros=phrases(data.get("self_intros", [])),
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
        """Whether a message asks to be answered in this language: one of the phrases alone,
        or one of three words or more in a short message ("can we do this in french please?");
        "in french" inside a complaint ("the manual is only in french") asks nothing."""
        words = normalise(text)
        if words in self.switch_to:
            return True
        return len(words.split()) <= _SWITCH_WORDS and any(
            len(phrase.split()) >= _SWITCH_PHRASE_WORDS and contains_phrase(words, phrase)
            for phrase in self.switch_to
        )

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
            question_words=self.question_words,
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

    @cached_property
    def _listed_wish_words(self) -> WishWords:
        return replace(self.wish_words, model=None)

    def worded_outcome(self, text: str) -> str | None:
        """The outcome an answer names in words the lists hold, the learnt model aside: a name
        ("Jake Turner") is no wish, whatever letters it shares with one ("return")."""
        return self._listed_wish_words.answered_outcome(text)

    def corrected_outcome(self, text: str) -> str | None:
        """The outcome named after a change of mind ("a new one, or actually no, my money")."""
        return self.wish_words.corrected_outcome(text)

    def wished_outcome(self, text: str) -> str | None:
        """The outcome a customer asks for in a sentence that says what they want."""
        return self.wish_words.wished_outcome(text)

    def is_skip(self, text: str) -> bool:
        """Whether the message asks to skip an optional question."""
        return normalise(text) in self.skip
