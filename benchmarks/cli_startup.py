"""Benchmark: how long each staff command takes on an empty database, start-up included.

    .venv/bin/python -m benchmarks.cli_startup [--runs 5]

Makes an empty SQLite database in a temporary folder (`complaintbot db upgrade`), then runs
each command as staff would, a new `complaintbot` process each time, and prints the median
wall time of ``--runs`` runs. A command on a case names a reference no case has: the time is
the command's start and its look-up, which is what staff wait for before anything happens.
Numbers are for this machine only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fakes import SeededRandom
from workflows.references import generate_reference

# A well-formed reference (its check letters right) that no case in an empty database has.
ABSENT = generate_reference("CB", SeededRandom())
COMMANDS: tuple[tuple[str, ...], ...] = (
    ("--help",),
    ("cases", "list"),
    ("cases", "show", ABSENT),
    ("cases", "inbox"),
    ("cases", "note", ABSENT, "checked the courier's photos"),
    ("audit", "verify"),
    ("improve", "list"),
    ("report", "--format", "csv"),
    ("report", "--output", "review.html"),
    ("triage", "the kettle caught fire and burnt my hand"),
)


def median_seconds(command: tuple[str, ...], folder: Path, runs: int) -> tuple[float, int]:
    """Median wall seconds of ``runs`` runs of one command, and its last exit code."""
    env = {**os.environ, "COMPLAINTBOT_DATA_DIR": str(folder)}
    env.pop("DATABASE_URL", None)
    complaintbot = str(Path(sys.executable).with_name("complaintbot"))
    times, code = [], 0
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 (our own command)
            [complaintbot, *command], env=env, cwd=folder, capture_output=True, check=False
        )
        times.append(time.perf_counter() - started)
        code = done.returncode
    return statistics.median(times), code


def main() -> int:
    """Make the empty database, time every command, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        median_seconds(("db", "upgrade"), folder, 1)
        print(f"{'command':<70} {'ms':>6}  exit")
        for command in COMMANDS:
            seconds, code = median_seconds(command, folder, args.runs)
            shown = " ".join(command)
            print(f"complaintbot {shown:<57} {seconds * 1000:>6.0f}  {code}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
