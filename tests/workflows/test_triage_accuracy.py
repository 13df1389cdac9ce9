"""How well triage grades complaints it was tuned on, and complaints nobody tuned it on.

The labelled sets are in tests/workflows/triage_data/ (see its README). The held-out files
were written by people who never saw the lexicon and were never used to tune it: their figures
are the ones that say how triage does on text it has never seen. Run with ``-s`` to print the
per-level table.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from workflows.classification import Rules, classify
from workflows.lexicon import SEVERITIES

DATA = Path(__file__).parent / "triage_data"


@dataclass(frozen=True)
class Floor:
    """The least each figure may be: below it, the test fails."""

    critical_recall: float
    high_or_above_recall: float
    normal_kept_normal: float
    category_accuracy: float


# Issue 7's thresholds: what a careful officer's grading must not fall below. The tuning
# figures are flattering (the second opinion learnt from those very complaints); the held-out
# figures are the ones that count.
GOAL = Floor(0.95, 0.90, 0.90, 0.85)
# Where the held-out figures stood on 2026-11-30 (fourth session) over 2,040 complaints by
# seventeen writers who never saw the lexicon or the model: critical 95.7%, high or above
# 93.8%, normal kept 91.6%, category 86.8%. heldout_29 to heldout_32 when first scored:
# critical 95.0%, 90.0%, 90.0%, 95.0%; after the lexicon was tuned and the model retrained on
# three other new sets (tuning_z1, tuning_z2, tuning_k2), the four together: 95.6%, 89.9%,
# 91.0%, 83.8%. The newest two (heldout_33, heldout_34), scored once after all of that:
# 96.3%, 94.8%, 89.6%, 85.8%. The floor is the whole held-out figure less a small margin:
# a change that makes triage worse on text nobody tuned it on fails here. The sets behind it
# change as sets are read and replaced or added (it was 95%/94%/90.5%/86.5% over the 1,320
# before the six newest, harder sets); raise it as triage improves; never lower it to make a
# change pass.
HELD_OUT_FLOOR = Floor(0.95, 0.93, 0.91, 0.86)


@dataclass(frozen=True)
class Labelled:
    """One complaint and the grades a careful officer gave it."""

    id: str
    text: str
    severity: str
    category: str


def load(pattern: str) -> list[Labelled]:
    """Every labelled complaint in the files matching ``pattern``."""
    found = []
    for path in sorted(DATA.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                text = "\n".join(filter(None, [row.get("subject"), row["text"]]))
                found.append(Labelled(row["id"], text, row["severity"], row["category"]))
    return found


@dataclass(frozen=True)
class Scores:
    """Recall and precision per severity level, the two thresholds' figures, categories."""

    total: int
    recall: dict[str, float]
    precision: dict[str, float]
    high_or_above_recall: float
    category_accuracy: float
    misses: list[str]

    def table(self, name: str) -> str:
        rows = [f"{name}: {self.total} complaints"]
        for level in reversed(SEVERITIES):
            rows.append(
                f"  {level:<8} recall {self.recall[level]:6.1%}  precision "
                f"{self.precision[level]:6.1%}"
            )
        rows.append(f"  high or above recall {self.high_or_above_recall:6.1%}")
        rows.append(f"  category accuracy    {self.category_accuracy:6.1%}")
        return "\n".join(rows)


def score(items: list[Labelled], rules: Rules) -> Scores:
    """Grade every complaint and compare with the officer's labels."""
    pairs: Counter[tuple[str, str]] = Counter()
    right_category = 0
    misses = []
    for item in items:
        found = classify(item.text, rules)
        pairs[(item.severity, found.severity)] += 1
        right_category += found.category == item.category
        if found.severity != item.severity:
            misses.append(f"{item.id}: {item.severity} graded {found.severity}")

    def ratio(hits: int, of: int) -> float:
        return hits / of if of else 1.0

    recall = {
        level: ratio(pairs[(level, level)], sum(n for (a, _), n in pairs.items() if a == level))
        for level in SEVERITIES
    }
    precision = {
        level: ratio(pairs[(level, level)], sum(n for (_, b), n in pairs.items() if b == level))
        for level in SEVERITIES
    }
    serious = {"high", "critical"}
    high_or_above = ratio(
        sum(n for (a, b), n in pairs.items() if a in serious and b in serious),
        sum(n for (a, _), n in pairs.items() if a in serious),
    )
    return Scores(
        len(items),
        recall,
        precision,
        high_or_above,
        ratio(right_category, len(items)),
        misses,
    )


@pytest.mark.parametrize(
    ("name", "pattern", "floor"),
    [("tuning", "tuning_*.jsonl", GOAL), ("held-out", "heldout_*.jsonl", HELD_OUT_FLOOR)],
)
def test_triage_grades_as_a_careful_officer_would(
    name: str, pattern: str, floor: Floor, rules: Rules
) -> None:
    items = load(pattern)
    assert len(items) >= 200
    assert_at_least(floor, items, rules, name)


def assert_at_least(floor: Floor, items: list[Labelled], rules: Rules, name: str) -> None:
    """Grade ``items``, print the table, and fail (listing the misses) below ``floor``."""
    found = score(items, rules)
    print("\n" + found.table(name))
    report = found.table(name) + "\n" + "\n".join(found.misses)
    assert found.recall["critical"] >= floor.critical_recall, report
    assert found.high_or_above_recall >= floor.high_or_above_recall, report
    assert found.recall["normal"] >= floor.normal_kept_normal, report
    assert found.category_accuracy >= floor.category_accuracy, report


def test_a_quarter_of_the_labelled_complaints_are_held_out() -> None:
    held_out, tuning = len(load("heldout_*.jsonl")), len(load("tuning_*.jsonl"))
    assert held_out / (held_out + tuning) >= 0.25


def test_every_label_is_one_the_product_knows(rules: Rules) -> None:
    for item in load("*.jsonl"):
        assert item.severity in SEVERITIES, item.id
        assert item.category in rules.categories, item.id
