"""Benchmark: how long triage takes to grade a complaint, short and long.

    .venv/bin/python -m benchmarks.triage [--rounds 3]

Grades every labelled complaint in tests/workflows/triage_data/ (read as data) with the shipped
lexicon, then one long email (about 20,000 characters) and one hostile megabyte, and prints
complaints per second and per-complaint latency (p50, p95, max), plus the time to load the
lexicon. Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bot.config import load_rules
from bot.settings import PROJECT_ROOT, Settings
from workflows.classification import classify

DATA = PROJECT_ROOT / "tests" / "workflows" / "triage_data"


def texts() -> list[str]:
    """Every labelled complaint's text (subject and body), in file order."""
    found = []
    for path in sorted(Path(DATA).glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                found.append("\n".join(filter(None, [row.get("subject"), row["text"]])))
    return found


def main() -> None:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    started = time.perf_counter()
    rules = load_rules(Settings(_env_file=None))  # type: ignore[call-arg]
    loaded = time.perf_counter() - started
    corpus = texts()
    timings = []
    for _ in range(args.rounds):
        for text in corpus:
            began = time.perf_counter()
            classify(text, rules)
            timings.append(time.perf_counter() - began)
    long_email = " ".join(corpus)[:20_000]
    began = time.perf_counter()
    classify(long_email, rules)
    long_time = time.perf_counter() - began
    huge = ("fire not fire or " * 70_000)[:1_000_000]
    began = time.perf_counter()
    classify(huge, rules)
    huge_time = time.perf_counter() - began
    timings.sort()
    print(f"lexicon loaded in {loaded * 1000:.0f} ms")
    print(
        f"{len(timings)} complaints ({len(corpus)} x {args.rounds}): "
        f"{len(timings) / sum(timings):.0f} per second, "
        f"p50 {statistics.median(timings) * 1000:.2f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1000:.2f} ms, "
        f"max {timings[-1] * 1000:.2f} ms"
    )
    print(f"one {len(long_email):,}-character email: {long_time * 1000:.0f} ms")
    print(f"one {len(huge):,}-character hostile text, read to the cap: {huge_time * 1000:.0f} ms")


if __name__ == "__main__":
    main()
