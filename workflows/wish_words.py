"""What a customer wants, as they say it: "a new sofa, not a refund", "I just want an apology".

Read with a language's words (``[outcomes]``, ``[outcome_stems]`` and the words for preferring,
refusing and changing one's mind in ``templates/<locale>/vocabulary.toml``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from workflows.clause_markers import ClauseMarkers
from workflows.phrases import contains_phrase, normalise, phrase_matches, without
from workflows.wish_clauses import CLAUSE_END, NamedWish, clauses_marked, inside, opens, wished_part
from workflows.wish_model import WishModel


@dataclass(frozen=True)
class WishWords:
    """A language's words for the outcomes customers want, and how a message names one."""

    outcomes: Mapping[str, frozenset[str]]
    outcome_stems: Mapping[str, frozenset[str]]
    # "I'd rather", "just want": of several outcomes, the one meant.
    prefer: frozenset[str]
    # "a refund or a replacement": undecided.
    alternatives: frozenset[str]
    # "not a refund"; "Geld will ich keins".
    negations: frozenset[str]
    negations_after: frozenset[str]
    # "a new one, or actually no, my money back".
    changes_of_mind: frozenset[str]
    # "I want", "please": a sentence that asks for something.
    wishes: frozenset[str]
    # Words that start a new clause ("and", "but"): a refusal reaches no further.
    clause_words: frozenset[str]
    # "if", "wenn": a negation after one sets a condition on the outcome, it does not refuse
    # it ("si vous êtes pas capables de le réparer" hopes for a repair).
    conditionals: frozenset[str] = frozenset()
    # "why", "warum": the question, not the wish, is what a negation after one belongs to.
    question_words: frozenset[str] = frozenset()
    # Phrases whose words look like an outcome and are not ("de nuevo" is "again").
    idioms: frozenset[str] = frozenset()
    # How a clause sets an outcome aside or holds it back.
    markers: ClauseMarkers = field(default_factory=ClauseMarkers)
    # The nearest outcome to an answer no phrase or stem names (learnt; None: not used).
    model: WishModel | None = None

    def outcome_in(self, text: str) -> str | None:
        """The desired outcome a message names.

        One not wanted is left out ("a new sofa, not a refund", "I don't want another one");
        of several, the one preferred ("I'd rather have a new one"), else the first named
        ("my refund and an explanation why"); after a change of mind, the one named after it.
        """
        words = self._read(text)
        return self._changed_outcome(words) or self._named_outcome(words)

    def answered_outcome(self, text: str) -> str | None:
        """The outcome an answer to "what would you like" names: by phrase, stem, or model.

        Never a refund when the answer says the money does not matter ("Quiero mi guitarra de
        vuelta, el dinero me da igual" wants the guitarra), unless it names the sum to give
        back ("que me devuelvan los 4,50, no es por el dinero, es por principio"): then the
        model's nearest other outcome, or none (the customer's words are kept).
        """
        words = self._read(text)
        found = self._answered(text, words)
        if found != "refund" or not self._money_waived(words) or self._sum_asked(words):
            return found
        return None if self.model is None else self.model.nearest(text, ruled_out="refund")

    def _sum_asked(self, words: str) -> bool:
        """Whether a sum follows a word of giving money back ("devuelvan los 4,50")."""
        giving_back = self.outcomes.get("refund", frozenset())
        giving_back |= self.outcome_stems.get("refund", frozenset())
        return any(
            any(word[:1].isdigit() for word in self._same_clause(words[wish.end :].split())[:3])
            for wish in self._wishes_named(words, {"refund": giving_back})
        )

    def _money_waived(self, words: str) -> bool:
        """Whether a clause says money is not the point ("I'm not after the money", "des Geld
        is ma wurscht", "Geld brauch ma kans zruck")."""
        for clause in words.split(CLAUSE_END):
            for money in self.markers.money:
                for match in phrase_matches(clause, money):
                    after = self._same_clause(clause[match.end() :].split())[:_AFTER_REACH]
                    if (
                        self._dismissed(clause, match.start(), match.end())
                        or set(after) & self.negations_after
                        or inside(clause, match, self.markers.dismissals)
                    ):
                        return True
        return False

    def _answered(self, text: str, words: str) -> str | None:
        named = self._wishes_named(words, self.outcomes)
        kept = self._before_fallback(words, named)
        if self._all_together(words, named, kept):
            return "other"  # "a refund, an apology and a call from the manager. All of it."
        if self._for_costs_borne(words, kept):
            return "other"  # the model cannot tell whose costs the money is for
        # What the model reads: the answer, or its words before a fallback.
        wished = wished_part(text, words, named, kept)
        # An answer the model is all but certain of ("que me paguen el refri po" is
        # compensation) is read by it: phrase lists lag behind the words customers find.
        if self.model is not None:
            surely = self.model.surely(wished)
            # Not an outcome the words name only to say it is not the point ("Refund of £650
            # only is insulting"): the model reads "refund", not what was said of it.
            if surely is not None and surely not in self._set_aside(words):
                return surely
        # Stems only where no phrase names a wish: "a refund or a new one" stays undecided, but
        # "un frigo neuf, pas une 4e réparation" is read by its stems ("neuf").
        if kept:
            return self.outcome_in(text)
        by_stem = self._named_outcome(words, self.outcome_stems)
        if by_stem is not None or self.model is None:
            return by_stem
        # Words the lists never foresaw ("just make it stop dripping"): the nearest outcome,
        # when the model is sure of it; the answer's own words are kept beside it. A clause
        # that refuses ("je ne veux pas être remboursée") is not what they want: the model
        # reads the others, where there are any.
        clauses = (c.strip() for c in self._read(wished).split(CLAUSE_END))
        wanted = [c for c in clauses if c and not self._refuses(c) and not self._dismisses(c)]
        return self.model.nearest(" . ".join(wanted) if wanted else wished)

    def _set_aside(self, words: str) -> set[str]:
        """Outcomes a phrase names only to say they are not the point ("is insulting")."""
        return {
            outcome
            for outcome, options in self.outcomes.items()
            for option in options
            for match in phrase_matches(words, option)
            if self._dismissed(words, match.start(), match.end())
        }

    def _all_together(self, words: str, named: list[NamedWish], kept: list[NamedWish]) -> bool:
        """Whether the answer ends on "all of it" ("les deux", "Todo") after naming two or
        more different outcomes (in phrases or stems), none of them a fallback ("if you can't
        fix it, my money back, all of it" wants the repair)."""
        if len(kept) < len(named):
            return False
        said = words.split()
        while said and said[-1] == CLAUSE_END:
            said.pop()
        last = self._same_clause(said[::-1])[::-1]
        if " ".join(last) not in self.markers.together:
            return False
        kinds = {wish.outcome for wish in named}
        kinds |= {wish.outcome for wish in self._wishes_named(words, self.outcome_stems)}
        return len(kinds) > 1

    def _read(self, text: str) -> str:
        """The words as the outcome is read from them: clauses marked, idioms taken out."""
        return " ".join(without(clauses_marked(text), self.idioms).split())

    def _refuses(self, clause: str) -> bool:
        """Whether a clause says no to something ("nicht das Geld zurück", "no quiero")."""
        return any(contains_phrase(clause, n) for n in self.negations) and not any(
            contains_phrase(clause, c) for c in self.conditionals
        )

    def counterfactual(self, words: str) -> bool:
        """Whether a condition is about the past ("if you hadn't sent the wrong one")."""
        return any(contains_phrase(words, c) for c in self.markers.counterfactuals)

    def _dismisses(self, clause: str) -> bool:
        """Whether a clause says an outcome is not the point ("das Geld ist Nebensache")."""
        return any(contains_phrase(clause, d) for d in self.markers.dismissals)

    def _dismissed(self, words: str, start: int, end: int) -> bool:
        """Whether the clause around the outcome named at words[start:end] says it is not the
        point: after it ("the money isn't the issue"), or before it with no wish between ("ya
        fue la plata"; but "already refunded, so I want the rest back" wants it)."""
        if self._dismisses(" ".join(self._same_clause(words[end:].split()))):
            return True
        before = self._same_clause(words[:start].split()[::-1])[::-1]
        near = before[-_DISMISSAL_REACH:]
        for start in range(len(near)):
            if self._dismisses(" ".join(near[start:])):
                rest = " ".join(near[start + 1 :])
                return not any(contains_phrase(rest, w) for w in self.wishes)
        return False

    def _named_outcome(
        self, words: str, table: Mapping[str, frozenset[str]] | None = None
    ) -> str | None:
        named = self._before_fallback(
            words, self._wishes_named(words, self.outcomes if table is None else table)
        )
        if not named:
            return None
        if self._for_costs_borne(words, named):
            return "other"  # "I want the taxi paid for, the £68, and something for the hassle"
        kinds = {wish.outcome for wish in named}
        if len(kinds) == 1:
            return kinds.pop()
        # A hope under a condition is the wish only with a fallback after it ("if you can't
        # fix it, my money back"); alone, "if you don't replace staff like that" wishes nothing.
        favourites = sorted(
            wish.start
            for wish in named
            if wish.preferred or (wish.hoped and any(o.start >= wish.end for o in named))
        )
        if not favourites and any(contains_phrase(words, w) for w in self.alternatives):
            return None  # "a refund or a replacement": undecided, so ask
        first = favourites[0] if favourites else min(wish.start for wish in named)
        return next(wish.outcome for wish in named if wish.start == first)

    def _for_costs_borne(self, words: str, named: list[NamedWish]) -> bool:
        """Whether the only money back wanted is for costs the fault caused ("le billet
        d'avion que j'ai dû racheter", "qu'elles remboursent mes frais de médecin"):
        compensation, not a refund of what was paid."""
        kinds = {wish.outcome for wish in named}
        return (
            "refund" in kinds
            and kinds <= {"refund", "other"}
            and any(contains_phrase(words, c) for c in self.markers.costs_borne)
        )

    def _wishes_named(self, words: str, table: Mapping[str, frozenset[str]]) -> list[NamedWish]:
        """The outcomes the words name and do not refuse, each where it is named."""
        named: list[NamedWish] = []
        for outcome, options in table.items():
            for option in options:
                for match in phrase_matches(words, option):
                    # "not a new one but my money back": a negation ends at a new clause.
                    back = self._same_clause(words[: match.start()].split()[::-1])
                    before = self._since_last_wish(back[:_NEGATION_REACH][::-1])
                    condition = any(contains_phrase(" ".join(back), c) for c in self.conditionals)
                    if condition and self.counterfactual(" ".join(back[::-1])):
                        continue  # "if you hadn't sent the wrong replacement": it happened
                    # The "not" of "the money is not the issue" says nothing of what follows.
                    unsaid = without(" ".join(before), self.markers.dismissals)
                    if not condition and any(contains_phrase(unsaid, n) for n in self.negations):
                        continue
                    # "Geld will ich keins": a negation after it, in the same clause.
                    after = self._same_clause(words[match.end() :].split())[:_AFTER_REACH]
                    after = self._before_question(words[match.start() : match.end()], after)
                    if set(after) & self.negations_after:
                        continue
                    if self._dismissed(words, match.start(), match.end()):
                        continue
                    # "I just want an apology": "just want" may run into the phrase itself.
                    leading = " ".join([*before, words[match.start() : match.end()]])
                    preferred = any(contains_phrase(leading, p) for p in self.prefer)
                    # "if you can't fix it, my money back": what they hope for is the repair.
                    hoped = (
                        condition
                        and any(contains_phrase(" ".join(before), n) for n in self.negations)
                        and not any(
                            contains_phrase(" ".join(before), f) for f in self.markers.fallbacks
                        )
                    )
                    named.append(
                        NamedWish(match.start(), match.end(), preferred, outcome, hoped=hoped)
                    )
        # A phrase inside a longer one is not said on its own: "another visit" is not "another".
        return [
            wish
            for wish in named
            if not any(
                other.start <= wish.start
                and wish.end <= other.end
                and other.end - other.start > wish.end - wish.start
                for other in named
            )
        ]

    def _since_last_wish(self, before: list[str]) -> list[str]:
        """The words before an outcome from the last wish said after another outcome or wish:
        in "i dont want me money back i want a fresh bunch" and "no quiero otra reserva quiero
        mi dinero" the negation was about the first, but in "i dont really want a new one" and
        "I want to say I don't want a refund" about the one named."""
        if not any(contains_phrase(" ".join(before), n) for n in self.negations):
            return before  # nothing to refuse: the words stay as they are (and cost nothing)
        for at in range(len(before) - 1, 0, -1):
            if any(opens(" ".join(before[at:]), wish) for wish in self.wishes):
                earlier = " ".join(before[:at])
                named = any(
                    contains_phrase(earlier, option)
                    for options in self.outcomes.values()
                    for option in options
                )
                just_before = " ".join(before[max(0, at - 2) : at])  # "i don t want"
                rewished = not any(contains_phrase(just_before, n) for n in self.negations) and any(
                    contains_phrase(earlier, wish) for wish in self.wishes
                )
                return before[at:] if named or rewished else before
        return before

    def _before_fallback(self, words: str, named: list[NamedWish]) -> list[NamedWish]:
        """The wishes named before a fallback ("if not", "sonst"): what follows one is not the
        wish itself, even when the wish is said in words no list holds ("take the M if you have
        it, otherwise money back")."""
        for fallback in sorted(self.markers.fallbacks):
            for match in phrase_matches(words, fallback):
                before = words[: match.start()].split()
                # Only a fallback that opens a clause: "twice if not three times" is none.
                opens = {CLAUSE_END, *self.alternatives, *self.clause_words}
                if not before or before[-1] not in opens:
                    continue
                wished_before = [wish for wish in named if wish.end <= match.start()]
                # "fix it, if not my money back"; "Das Zimmer war schmutzig. Ansonsten war
                # alles okay" is no fallback: the clause before must wish for something
                # ("nehm ich die gern, sonst Geld zurück"; "I want new bicycle same model. If
                # not possible, the money"). Opening the answer, "si no me la arreglan, …" is
                # a condition.
                clause = " ".join(self._same_clause(before[-2::-1])[::-1])
                # It wishes by a named outcome, a wish verb, or an outcome's stem ("Qu'il
                # arrange le problème. S'il n'arrive pas, qu'il me rembourse" hopes for the
                # repair); "gratis", "free" qualify another wish as often as they are one.
                if (
                    wished_before
                    or any(contains_phrase(clause, w) for w in self.wishes)
                    or any(
                        wish.outcome != "other"
                        for wish in self._wishes_named(clause, self.outcome_stems)
                    )
                ):
                    named = wished_before
        return named

    def _before_question(self, phrase: str, after: list[str]) -> list[str]:
        """The words after a wish up to a question word, in the phrase or after it: in "ich will
        wissen warum die Kündigung nicht bearbeitet wurde" the "nicht" is what is asked about."""
        if any(word in self.question_words for word in phrase.split()):
            return []
        asking = next((at for at, word in enumerate(after) if word in self.question_words), None)
        return after if asking is None else after[:asking]

    def _same_clause(self, words: list[str]) -> list[str]:
        """The words up to the next clause end ("_") or clause word ("und", "but")."""
        kept: list[str] = []
        for word in words:
            if word == CLAUSE_END or word in self.clause_words:
                break
            kept.append(word)
        return kept

    def corrected_outcome(self, text: str) -> str | None:
        """The outcome named after a change of mind ("a new one, or actually no, my money")."""
        return self._changed_outcome(clauses_marked(text))

    def _changed_outcome(self, words: str) -> str | None:
        for marker in self.changes_of_mind:
            said = phrase_matches(words, marker)
            # Only a change of mind: an outcome named before the marker, another after it.
            if (
                said
                and self._named_outcome(words[: said[-1].start()]) is not None
                and (found := self._named_outcome(words[said[-1].end() :])) is not None
            ):
                return found
        return None

    def wished_outcome(self, text: str) -> str | None:
        """The outcome a customer asks for in a sentence that says what they want.

        Stricter than ``outcome_in``: in "the engineer came to fix it" nobody asks for a repair.
        """
        if (corrected := self.corrected_outcome(text)) is not None:
            return corrected
        sentences = [s for s in re.split(r"[.!?\n]+", text) if s.strip()]
        asking = [sentence for sentence in sentences if self._asks(sentence)]
        wanted = {found for sentence in asking if (found := self.outcome_in(sentence)) is not None}
        if len(wanted) != 1:
            return None
        # "Fix the worktop and take something off the bill. Both.": wanted together.
        closing = sentences[-1] if sentences[-1] not in asking else ""
        words = self._read(". ".join([*asking, closing]))
        named = self._wishes_named(words, self.outcomes)
        if self._all_together(words, named, self._before_fallback(words, named)):
            return "other"
        return wanted.pop()

    def _asks(self, sentence: str) -> bool:
        """Whether a sentence asks for something: a word of wishing anywhere in it ("I want",
        "please"), or an imperative opening it or a part after a comma ("Fix the worktop",
        "Réparez-le, sinon remboursez-moi")."""
        words = normalise(sentence)
        if any(contains_phrase(words, wish) for wish in self.wishes):
            return True
        # Only after punctuation: after "and" a bare verb may be an infinitive ("was
        # supposed to come and fix my boiler").
        clauses = (c.strip() for c in clauses_marked(sentence).split(CLAUSE_END))
        return any(opens(c, verb) for c in clauses for verb in self.markers.imperatives)


# Words before an outcome that can say it is not wanted ("not a refund", "I don't want it
# touched up or resprayed").
_NEGATION_REACH = 8
# Words after an outcome that can say it is not wanted ("Geld zurück will ich nicht").
_AFTER_REACH = 4
# Words before an outcome within which a dismissal is about it ("ya fue la plata"; in "déjà
# remboursé les frais de port, il manque le remboursement du produit" the second is wanted).
_DISMISSAL_REACH = 6
