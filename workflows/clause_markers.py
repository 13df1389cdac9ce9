"""The words that set a wish aside or hold it back within a clause ("if not", "it's not about
the money"), per language."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workflows.phrases import phrase_set


@dataclass(frozen=True)
class ClauseMarkers:
    """A language's words that set an outcome aside or hold it back, read per clause."""

    # "money isn't the issue", "l'argent c'est secondaire", "la plata ya fue": an outcome named
    # in the same clause is not what they want, after it or just before it.
    dismissals: frozenset[str] = frozenset()
    # "if not", "otherwise", "sinon", "notfalls": what follows is a fallback, wanted only if the
    # outcome named before it cannot be had ("fix it, if not my money back" wants a repair).
    fallbacks: frozenset[str] = frozenset()
    # Costs the customer bore because of the fault ("the taxi", "a day off work", "Mehrkosten"):
    # money back for them is compensation, not a refund of what was paid.
    costs_borne: frozenset[str] = frozenset()
    # "money", "Geld", "dinero": said not to matter ("el dinero me da igual"), no reading of
    # the answer is a refund ("Quiero mi guitarra de vuelta").
    money: frozenset[str] = frozenset()
    # "hadn't", "hätte", "hubiera": a condition about the past hopes for nothing.
    counterfactuals: frozenset[str] = frozenset()
    # "All of it.", "les deux", "Todo.": closing a list of wishes, the customer wants them
    # together, which no one standard outcome is.
    together: frozenset[str] = frozenset()
    # "Fix it", "Réparez", "Erstatten Sie", "Devuélvanme": at the start of a clause, an
    # imperative asks for something as plainly as "I want" does.
    imperatives: frozenset[str] = frozenset()

    @staticmethod
    def from_mapping(data: Mapping[str, object]) -> ClauseMarkers:
        """Read from a vocabulary's parsed TOML (each key a list of phrases, all optional)."""
        return ClauseMarkers(
            dismissals=phrase_set(data.get("dismissals", [])),
            fallbacks=phrase_set(data.get("fallbacks", [])),
            costs_borne=phrase_set(data.get("costs_borne", [])),
            money=phrase_set(data.get("money", [])),
            counterfactuals=phrase_set(data.get("counterfactuals", [])),
            together=phrase_set(data.get("together", [])),
            imperatives=phrase_set(data.get("imperatives", [])),
        )
