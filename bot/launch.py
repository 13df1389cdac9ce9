"""The `complaintbot` command's entry point: a quick answer where one will do, else the CLI.

Reading cases is what staff do most, and it should not wait half a second for the full
application to import (see ``bot.staff_reads``); everything else goes to ``bot.cli``.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    """Entry point; returns the process exit code."""
    try:
        return _run()
    except BrokenPipeError:
        # Output piped into `head` or a pager closed early: nothing went wrong to show.
        # Python would complain again flushing stdout at exit, so it is pointed at nothing.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1


def _run() -> int:
    from bot.staff_reads.commands import answer

    quick = answer()
    if quick is not None:
        return quick
    from bot.cli import main as full

    return full()
