"""A second opinion for triage: a linear model learnt from labelled complaints.

The lexicon finds what it has words for; customers describe harm in words nobody listed
("small orange lights jump from the back where the cable is"). This model scores a complaint
by the words and word pairs of complaints a careful officer graded before. Its use is
bounded so that it stays explainable and safe:

- it **raises** a complaint to critical when it is confident (the model file's
  ``critical.threshold``);
- it **holds back** a critical grade the lexicon gave only when it is nearly certain the
  complaint is an ordinary one (``ordinary.threshold``, 0.98: chosen by cross-validation on
  the tuning sets, where it held back half the wrongly critical grades and no critical one);
  the words the lexicon found stay in the reasons, marked as held back;
- it names the category when it is confident (``category_threshold``), else the lexicon's
  category stands;
- every use is a reason staff see: the customer's words that weighed most, and how sure it was.

The weights are operator data (``config/triage/<language>.model.json``), written by
``scripts/train_triage.py`` from the tuning sets only.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from workflows.lexicon import STEMMERS

__all__ = ["WORD", "LinearModel", "Opinion", "SecondOpinion", "features", "stem"]

_TOKEN = re.compile(r"[a-z0-9£&']+")
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[£€&]")
_EVIDENCE = 3
# Words that say nothing on their own: not features, and not shown to staff as evidence.
_PLAIN_WORDS = (
    "a an the i i'm i've me my we us our you your it it's its this that these those he she "
    "him her his they them their is was were are be been am do did does done have has had "
    "and or but so if of to in on at by for from with as into onto up out off over then "
    "than there here what which who when where why how all any some no not just very also "
    "can could would should will shall may might must get got hello hi dear please thanks "
    "thank regards yesterday today tonight morning afternoon evening night week day month "
    "year one two yes went go going gone come came put take took make made said say says "
    "told tell ask asked rang call called still again back now then there time times"
)
_PLAIN = frozenset(_PLAIN_WORDS.split())
MAX_OPINION_CHARS = 20_000


@lru_cache(maxsize=8)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(STEMMERS.get(language, language))


@lru_cache(maxsize=65_536)
def stem(language: str, word: str) -> str:
    """A word's stem in a language (snowball), cached."""
    return str(_stemmer(language).stemWord(word))


def features(text: str, language: str = "en") -> dict[str, str]:
    """The model's features of a text (stems and stem pairs), each with the words it came from."""
    folded = unicodedata.normalize("NFKC", text[:MAX_OPINION_CHARS]).lower()
    folded = folded.replace("\u2019", "'").replace("\u2018", "'")
    # Other languages' words have accents ("gebrüht", "brûlé"); English was learnt without.
    words = (_TOKEN if language == "en" else WORD).findall(folded)
    stems = [stem(language, word.strip("'")) for word in words]
    plain = [word.strip("'") in _PLAIN for word in words]
    found: dict[str, str] = {}
    # Words that say nothing on their own ("she", "today", "went") are no evidence of harm:
    # learnt from narrated examples, they made ordinary stories look critical.
    for index, each in enumerate(stems):
        if not plain[index]:
            found.setdefault(each, words[index])
        if index and not (plain[index] and plain[index - 1]):
            found.setdefault(f"{stems[index - 1]}_{each}", f"{words[index - 1]} {words[index]}")
    return found


@dataclass(frozen=True)
class LinearModel:
    """A logistic model: a bias and a weight per feature."""

    bias: float
    weights: Mapping[str, float]

    def probability(self, found: Mapping[str, str]) -> float:
        """How likely the label is, from 0 to 1."""
        score = self.bias + sum(self.weights.get(feature, 0.0) for feature in found)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))

    def evidence(self, found: Mapping[str, str], count: int = _EVIDENCE) -> list[str]:
        """The customer's words that weighed most for the label."""
        weighted = sorted(
            ((self.weights.get(feature, 0.0), words) for feature, words in found.items()),
            reverse=True,
        )
        shown: list[str] = []
        for weight, words in weighted:
            if weight <= 0 or len(shown) == count:
                break
            if all(word.strip("'") in _PLAIN for word in words.split()):
                continue
            if not any(words in earlier or earlier in words for earlier in shown):
                shown.append(words)
        return shown

    @staticmethod
    def from_mapping(data: Mapping[str, object], where: str) -> LinearModel:
        """Build from ``{"bias": float, "weights": {feature: float}}``."""
        bias, weights = data.get("bias"), data.get("weights")
        if not isinstance(bias, int | float) or not isinstance(weights, Mapping):
            raise ValueError(f"{where}: needs a number 'bias' and a table 'weights'")
        if not all(isinstance(value, int | float) for value in weights.values()):
            raise ValueError(f"{where}: every weight must be a number")
        # Weights are rounded to three places: a few thousand values recur across hundreds of
        # thousands of features, and one number object for each value, not each feature, keeps
        # the models of every language a quarter smaller in the server's memory.
        same: dict[float, float] = {}
        return LinearModel(
            float(bias), {str(k): same.setdefault(float(v), float(v)) for k, v in weights.items()}
        )


@dataclass(frozen=True, slots=True)
class Opinion:
    """What the model makes of one complaint."""

    critical: float
    critical_words: tuple[str, ...]
    # How sure it is the complaint is an ordinary (normal) one; 0 without that model.
    ordinary: float
    category: str
    category_probability: float
    category_words: tuple[str, ...]


@dataclass(frozen=True)
class SecondOpinion:
    """The models for one language, and how sure each must be before it is used."""

    language: str
    critical: LinearModel
    critical_threshold: float
    categories: Mapping[str, LinearModel]
    category_threshold: float
    # Optional: a model file without it never holds a critical grade back.
    ordinary: LinearModel | None = None
    ordinary_threshold: float = 1.0

    def assess(self, text: str) -> Opinion:
        """Score one complaint's whole text."""
        found = features(text, self.language)
        best, best_p = "", 0.0
        for name, model in self.categories.items():
            probability = model.probability(found)
            if probability > best_p:
                best, best_p = name, probability
        words = self.categories[best].evidence(found) if best else []
        return Opinion(
            critical=self.critical.probability(found),
            critical_words=tuple(self.critical.evidence(found)),
            ordinary=self.ordinary.probability(found) if self.ordinary is not None else 0.0,
            category=best,
            category_probability=best_p,
            category_words=tuple(words),
        )

    @staticmethod
    def from_mapping(data: object) -> SecondOpinion:
        """Build from a parsed model file (see scripts/train_triage.py)."""
        if not isinstance(data, Mapping):
            raise ValueError("a model file is a JSON object")
        critical, categories = data.get("critical"), data.get("categories")
        if not isinstance(critical, Mapping) or not isinstance(categories, Mapping):
            raise ValueError("a model file needs 'critical' and 'categories' tables")
        ordinary = data.get("ordinary")
        if ordinary is not None and not isinstance(ordinary, Mapping):
            raise ValueError("'ordinary' must be a table")
        return SecondOpinion(
            language=str(data.get("language", "en")),
            critical=LinearModel.from_mapping(critical, "critical"),
            critical_threshold=_threshold(critical, "critical"),
            categories={
                str(name): LinearModel.from_mapping(model, f"categories.{name}")
                for name, model in categories.items()
                if isinstance(model, Mapping)
            },
            category_threshold=_threshold(data, "file"),
            ordinary=LinearModel.from_mapping(ordinary, "ordinary") if ordinary else None,
            ordinary_threshold=_threshold(ordinary, "ordinary") if ordinary else 1.0,
        )


def _threshold(table: Mapping[str, object], where: str) -> float:
    key = "category_threshold" if where == "file" else "threshold"
    # A yes/no decision needs more than even odds; the best of six categories may need less.
    lowest = 0.2 if where == "file" else 0.5
    value = table.get(key)
    if not isinstance(value, int | float) or not lowest <= value < 1:
        raise ValueError(f"{where}: {key} must be a probability from {lowest} to below 1")
    return float(value)
