"""The `complaintbot` command's entry point: a quick answer where one will do, else the CLI.

Reading cases is what staff do most, and it should not wait half a second for the full
application to import (see ``bot.staff_reads``); everything else goes to ``bot.cli``.
"""

from __future__ import annotations


def main() -> int:
    """Entry point; returns the process exit code."""
    from bot.staff_reads.commands import answer

    quick = answer()
    if quick is not None:
        return quick
    from bot.cli import main as full

    return full()
