"""Train triage's second opinion from the tuning sets, and write the model file.

    .venv/bin/python -m scripts.train_triage            # writes config/triage/en.model.json
    .venv/bin/python -m scripts.train_triage --folds 5  # cross-validates thresholds, writes nothing
    .venv/bin/python -m scripts.train_triage --language de   # writes config/triage/de.model.json

Reads only the tuning sets (``tests/workflows/triage_data/tuning_*.jsonl``; for another
language, ``triage_data/<code>/tuning.jsonl``): the held-out sets must stay unseen (the model
file records what it was trained on, and a test checks no held-out set is there).
Logistic regression by stochastic gradient descent, seeded, so the same data gives the same
file. Plain Python: the product only reads the weights (workflows/opinion.py).

``--folds`` keeps whole files (whole writers) out of each fold's training, as a new writer's
complaints would be, and prints what the lexicon and model together score on the files left
out at each critical threshold: how the thresholds below were chosen.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from dataclasses import replace
from pathlib import Path

from bot.config import load_rules
from bot.settings import Settings
from workflows.classification import Rules, classify
from workflows.opinion import SecondOpinion, features

DATA = Path(__file__).resolve().parent.parent / "tests" / "workflows" / "triage_data"
MODEL = Path(__file__).resolve().parent.parent / "config" / "triage" / "en.model.json"
CATEGORIES = ("delivery", "billing", "product", "service", "privacy", "general")
# Raising a complaint to critical on the model's word. Leave-writers-out cross-validation on
# the tuning sets (2026-11-30, `--folds 5`, the model alone): at 0.7 it found 81.7% of critical
# complaints and raised 0.6% of ordinary ones; at 0.5, 87.5% and 1.3%; at 0.3, 91.9% and 2.2%.
# 0.5: a missed critical case is the worst failure there is, and below it the ordinary
# complaints raised double again. (It was 0.7, chosen on earlier held-out sets.)
CRITICAL_THRESHOLD = 0.5
# 5-fold cross-validation on the tuning sets (2026-11-30): category accuracy 0.892 at 0.6,
# 0.902 at 0.4, 0.905 at 0.3; 0.4 taken as the middle of the flat part.
CATEGORY_THRESHOLD = 0.4
# Holding back a lexicon's critical grade. Leave-writers-out cross-validation on the tuning
# sets (2026-11-30, 3,430 complaints): at 0.98 it held back 2 of 1,021 critical complaints the
# lexicon found (and 41 of 89 wrongly critical ordinary ones), at 0.995 1 of 1,021 (and 27 of
# 89). On fresh text it held back more critical ones than that (issue 7's notes), so the
# stricter 0.995: holding back a real hazard is the worse mistake.
ORDINARY_THRESHOLD = 0.995
EPOCHS, RATE, L2, PRUNE = 15, 0.2, 1e-3, 0.05
# Weights nearer zero than this are dropped from the English model, which is most of serve's
# memory. Leave-writers-out (2026-12-03, `--folds 5`, critical threshold 0.5): at 0.05,
# critical recall 0.988, high or above 0.977, normal kept 0.938, category 0.891 (197,735
# weights); at 0.1, 0.989, 0.977, 0.939, 0.889 (120,455); at 0.2, 0.987, 0.976, 0.935, 0.883
# (32,344); at 0.3, 0.985, 0.975, 0.930, 0.877. 0.1 is as good as 0.05 with 39% fewer. The
# other languages (no writers to leave out) and the wish models keep PRUNE.
PRUNE_BY_LANGUAGE = {"en": 0.1}


def load(pattern: str, language: str = "en") -> tuple[list[dict[str, object]], list[str]]:
    """The labelled complaints in the files matching ``pattern``, and the files' names."""
    rows: list[dict[str, object]] = []
    names = []
    for path in sorted(DATA.glob(pattern)):
        names.append(path.relative_to(DATA).as_posix())
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                text = "\n".join(filter(None, [row.get("subject"), row["text"]]))
                rows.append(
                    {
                        "features": list(features(text, language)),
                        "whole": text,
                        "file": path.name,
                        **row,
                    }
                )
    return rows, names


def train(
    rows: list[dict[str, object]], label: str, value: str, prune: float = PRUNE
) -> dict[str, object]:
    """One logistic model: does ``row[label] == value`` (weights under ``prune`` dropped)."""
    weights: dict[str, float] = {}
    bias = 0.0
    order = list(rows)
    for epoch in range(EPOCHS):
        random.Random(epoch).shuffle(order)  # noqa: S311 (a seeded order, not a secret)
        for row in order:
            found = row["features"]
            assert isinstance(found, list)
            score = bias + sum(weights.get(feature, 0.0) for feature in found)
            predicted = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, score))))
            error = predicted - (1.0 if row[label] == value else 0.0)
            bias -= RATE * error
            for feature in found:
                weight = weights.get(feature, 0.0)
                weights[feature] = weight - RATE * (error + L2 * weight)
    kept = {k: round(w, 3) for k, w in sorted(weights.items()) if abs(w) >= prune}
    return {"bias": round(bias, 3), "weights": kept}


def build(
    rows: list[dict[str, object]], names: list[str], language: str = "en"
) -> dict[str, object]:
    """The model file's contents, trained on ``rows``."""
    prune = PRUNE_BY_LANGUAGE.get(language, PRUNE)
    return {
        "language": language,
        "trained_on": names,
        "complaints": len(rows),
        "critical": {
            "threshold": CRITICAL_THRESHOLD,
            **train(rows, "severity", "critical", prune),
        },
        "ordinary": {"threshold": ORDINARY_THRESHOLD, **train(rows, "severity", "normal", prune)},
        "category_threshold": CATEGORY_THRESHOLD,
        "categories": {name: train(rows, "category", name, prune) for name in CATEGORIES},
    }


CANDIDATES = (0.3, 0.4, 0.5, 0.6, 0.7)


def cross_validate(rows: list[dict[str, object]], folds: int, rules: Rules) -> None:
    """Print out-of-fold figures per critical threshold, leaving whole files out."""
    files = sorted({str(row["file"]) for row in rows})
    tally = {threshold: [0, 0, 0, 0, 0, 0, 0] for threshold in CANDIDATES}
    for fold in range(folds):
        left_out = set(files[fold::folds])
        model = SecondOpinion.from_mapping(
            build([row for row in rows if row["file"] not in left_out], [])
        )
        for threshold in CANDIDATES:
            opinion = replace(model, critical_threshold=threshold)
            counts = tally[threshold]
            for row in rows:
                if row["file"] not in left_out:
                    continue
                found = classify(str(row["whole"]), replace(rules, opinion=opinion))
                wanted = row["severity"]
                counts[0] += wanted == "critical"
                counts[1] += wanted == "critical" and found.severity == "critical"
                counts[2] += wanted != "normal"
                counts[3] += wanted != "normal" and found.severity != "normal"
                counts[4] += wanted == "normal"
                counts[5] += wanted == "normal" and found.severity == "normal"
                counts[6] += found.category == row["category"]
    for threshold, (crit, crit_hit, serious, serious_hit, normal, kept, cats) in tally.items():
        print(
            f"critical threshold {threshold:.1f}: critical recall {crit_hit / crit:.3f}, "
            f"high or above {serious_hit / serious:.3f}, normal kept {kept / normal:.3f}, "
            f"category {cats / len(rows):.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    """Train and write the model file (or, with --folds, cross-validate and write nothing)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--folds", type=int, default=0)
    parser.add_argument("--language", default="en")
    args = parser.parse_args(argv)
    english = args.language == "en"
    pattern = "tuning_*.jsonl" if english else f"{args.language}/tuning.jsonl"
    rows, names = load(pattern, args.language)
    if not rows:
        print(f"no tuning sets for {args.language!r} in {DATA}", file=sys.stderr)
        return 2
    if args.folds and not english:
        print(
            "cross-validation leaves whole writers out: it needs the English sets", file=sys.stderr
        )
        return 2
    if args.folds:
        rules = load_rules(Settings(_env_file=None))  # type: ignore[call-arg]
        cross_validate(rows, args.folds, rules)
        return 0
    model = build(rows, names, args.language)
    output = args.output or MODEL.with_name(f"{args.language}.model.json")
    output.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{output}: trained on {len(rows)} complaints from {len(names)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
