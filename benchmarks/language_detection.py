"""Benchmark: what language detection costs, and what its cheaper mode would get wrong.

    .venv/bin/python -m benchmarks.language_detection

Builds lingua's detector for the four shipped languages in each of its modes, each in a fresh
process: high accuracy (what ``bot/language.py`` uses) and low accuracy (trigram models only).
For each mode it prints the first detection's time (the models load then, holding the GIL, so
``serve`` answers nothing meanwhile), the memory the models add, the time per detection, and,
over every customer message of the labelled conversations
(``tests/workflows/conversation_data/conversations.jsonl``: first messages and answers, read as
data) with enough words to be detected, how often the detector abstains and how often it
names the wrong language (a customer answered in a language they did not write). It applies
the product's own thresholds (``MIN_WORDS``, ``MIN_CONFIDENCE``). Numbers are for this machine.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from lingua import Language, LanguageDetectorBuilder

from bot.language import _NOISE, _WORD, MAX_DETECTED_CHARS, MIN_CONFIDENCE, MIN_WORDS
from bot.settings import PROJECT_ROOT

CONVERSATIONS = PROJECT_ROOT / "tests" / "workflows" / "conversation_data" / "conversations.jsonl"
LANGUAGES = (Language.ENGLISH, Language.FRENCH, Language.GERMAN, Language.SPANISH)
MODES = ("high", "low")


def _texts(path: Path) -> list[tuple[str, str, str]]:
    """(language, text, kind) for every first message and answer with enough words."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        language = row.get("language", "en")
        said = [("first", row["first"])] + [("answer", text) for text in row["answers"].values()]
        for kind, text in said:
            cleaned = _NOISE.sub(" ", text[:MAX_DETECTED_CHARS])
            if len(_WORD.findall(cleaned)) >= MIN_WORDS:
                found.append((language, cleaned, kind))
    return found


def measure(mode: str) -> dict[str, float]:
    """One mode's figures, in this process (call it in a fresh one)."""
    builder = LanguageDetectorBuilder.from_languages(*LANGUAGES)
    if mode == "low":
        builder = builder.with_low_accuracy_mode()
    detector = builder.build()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    detector.compute_language_confidence_values("The parcel never arrived")
    first = time.perf_counter() - started
    added = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    texts = _texts(CONVERSATIONS)
    counts = {"first": [0, 0, 0], "answer": [0, 0, 0]}  # seen, abstained, wrong
    started = time.perf_counter()
    for language, text, kind in texts:
        values = detector.compute_language_confidence_values(text)
        sure = values and values[0].value >= MIN_CONFIDENCE
        named = values[0].language.iso_code_639_1.name.lower() if sure else None
        counts[kind][0] += 1
        counts[kind][1] += named is None
        counts[kind][2] += named is not None and named != language
    each = (time.perf_counter() - started) / len(texts)
    return {
        "first_s": first,
        "added_mb": added / 1024,
        "each_ms": each * 1000,
        **{f"{kind}_{name}": value for kind, c in counts.items() for name, value in _rates(c)},
    }


def _rates(counts: list[int]) -> list[tuple[str, float]]:
    seen, abstained, wrong = counts
    return [("n", seen), ("abstain", abstained / seen), ("wrong", wrong / seen)]


def main() -> None:
    """Run each mode in its own process and print one table."""
    if len(sys.argv) == 3 and sys.argv[1] == "--mode":
        print(json.dumps(measure(sys.argv[2])))
        return
    print(
        f"{'mode':<6} {'first s':>8} {'+MB':>6} {'ms each':>8} {'first msgs':>11} "
        f"{'abstain':>8} {'wrong':>7} {'answers':>8} {'abstain':>8} {'wrong':>7}"
    )
    for mode in MODES:
        run = subprocess.run(  # noqa: S603 (this interpreter, this module)
            [sys.executable, "-m", "benchmarks.language_detection", "--mode", mode],
            check=True,
            capture_output=True,
            text=True,
            cwd=PROJECT_ROOT,
        )
        r = json.loads(run.stdout.strip().splitlines()[-1])
        print(
            f"{mode:<6} {r['first_s']:>8.2f} {r['added_mb']:>6.0f} {r['each_ms']:>8.2f} "
            f"{r['first_n']:>11.0f} {r['first_abstain']:>8.1%} {r['first_wrong']:>7.2%} "
            f"{r['answer_n']:>8.0f} {r['answer_abstain']:>8.1%} {r['answer_wrong']:>7.2%}"
        )


if __name__ == "__main__":
    main()
