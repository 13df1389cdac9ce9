"""The nearest standard outcome to a wish no phrase names, learnt from labelled conversations.

Asked what they would like, customers answer in words no list foresaw ("just sort the thing
out so it stops dripping", "que me devuelvan lo que pagué"). The phrase lists of
``vocabulary.toml`` are read first; only when they name nothing does this model choose the
nearest of the standard outcomes, and only when it is sure enough (the file's ``threshold``),
unless it is all but certain (the file's ``overrule``): then its choice stands over the lists'.
The customer's own words are always kept beside the choice, so staff read what was said, and
the customer sees the choice on the summary and can change it.

The weights are operator data (``config/wishes/<language>.model.json``), written by
``scripts/train_wishes.py`` from the tuning conversations only.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import pairwise

from workflows.opinion import WORD, LinearModel, stem

__all__ = ["WishModel", "wish_features"]

# "Other" is an outcome the model can name, and then it names nothing: the answer is kept as
# the customer wrote it, as before.
OTHER = "other"
MAX_WISH_CHARS = 2_000


def wish_features(text: str, language: str) -> list[str]:
    """Every word's stem, every pair of neighbouring stems ("money_back", "not_again") and
    every four letters of each word without accents ("#<rem", "#bour")."""
    folded = unicodedata.normalize("NFKC", text[:MAX_WISH_CHARS]).lower()
    folded = folded.replace("\u2019", "'").replace("\u2018", "'")
    # Unlike triage, no word is too plain: "not", "no" and "again" say a lot about a wish.
    words = [word.strip("'") for word in WORD.findall(folded)]
    stems = [stem(language, word) for word in words]
    pairs = [f"{first}_{second}" for first, second in pairwise(stems)]
    return list(dict.fromkeys(stems + pairs + [f"#{gram}" for gram in _letter_runs(words)]))


def _letter_runs(words: list[str]) -> list[str]:
    """Runs of four letters of each word, accents dropped, its ends marked ("<rem", "bols>").

    Customers misspell, conjugate and write dialect ("devolvais", "zruck", "remboursé"): runs
    of letters shared with the words the model learnt from still count where a stem would
    not. Left out of batches of unseen writers' conversations, they read 88.3% of wishes right
    against 87.3% with stems alone (German 85.5% against 82.0%; scripts/train_wishes.py).
    """
    runs: list[str] = []
    for word in words:
        plain = "".join(
            c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
        )
        marked = f"<{plain}>"
        runs.extend(marked[start : start + 4] for start in range(max(1, len(marked) - 3)))
    return runs


@dataclass(frozen=True)
class WishModel:
    """One language's model: a logistic model per outcome, and how sure it must be."""

    language: str
    outcomes: Mapping[str, LinearModel]
    threshold: float
    # So sure that the model's choice (other included) overrules the phrase lists; None: never.
    overrule: float | None = None

    def nearest(self, text: str, ruled_out: str | None = None) -> str | None:
        """The standard outcome nearest to the wish (not ``ruled_out``), or None when it is not
        sure or it is other."""
        probability, best = self._best(text, ruled_out)
        return best if best != OTHER and probability >= self.threshold else None

    def surely(self, text: str) -> str | None:
        """The outcome (other included) the model is sure enough of to overrule the phrases."""
        probability, best = self._best(text)
        return best if self.overrule is not None and probability >= self.overrule else None

    def _best(self, text: str, ruled_out: str | None = None) -> tuple[float, str]:
        found = dict.fromkeys(wish_features(text, self.language), "")
        scored = [
            (model.probability(found), name)
            for name, model in self.outcomes.items()
            if name != ruled_out
        ]
        return max(scored, default=(0.0, OTHER))

    @staticmethod
    def from_mapping(data: object, known: tuple[str, ...]) -> WishModel:
        """Build from a parsed model file (see scripts/train_wishes.py); ``known``: outcomes."""
        if not isinstance(data, Mapping):
            raise ValueError("a wish model file is a JSON object")
        outcomes, threshold = data.get("outcomes"), data.get("threshold")
        if not isinstance(outcomes, Mapping) or set(outcomes) - set(known):
            raise ValueError(f"'outcomes' must be a table of models for {', '.join(known)}")
        if not isinstance(threshold, int | float) or not 0 <= threshold < 1:
            raise ValueError("'threshold' must be a probability from 0 to below 1")
        overrule = data.get("overrule")
        sure = isinstance(overrule, int | float) and 0 < overrule <= 1
        if overrule is not None and not sure:
            raise ValueError("'overrule' must be a probability above 0, at most 1")
        return WishModel(
            language=str(data.get("language", "en")),
            outcomes={
                str(name): LinearModel.from_mapping(model, f"outcomes.{name}")
                for name, model in outcomes.items()
                if isinstance(model, Mapping)
            },
            threshold=float(threshold),
            overrule=None if overrule is None else float(overrule),
        )
