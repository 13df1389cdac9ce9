"""`complaintbot cases list`, `cases show` and `cases inbox`, read and rendered without the ORM.

The same statements and templates as ``bot.services.queries`` and ``bot.cli``;
tests/bot/staff_reads/test_commands.py holds the two to the same output on both databases.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from workflows.lifecycle import CaseStatus

if TYPE_CHECKING:
    from bot.staff_reads.settings import ReadSettings


class _Unsure(Exception):
    """Arguments the full command should read (it says what is wrong with them)."""


def answer(argv: Sequence[str] | None = None, settings: ReadSettings | None = None) -> int | None:
    """Answer `cases list`, `cases show` or `cases inbox`; None when the full command must.

    ``settings``: as read from the environment and the project's ``.env`` unless given.
    """
    try:
        args = _parsed(sys.argv[1:] if argv is None else argv)
    except _Unsure:
        return None  # before anything is loaded: the full command answers help and mistakes
    import asyncio

    from bot.staff_reads.answers import answered
    from bot.staff_reads.rows import Unreadable
    from bot.staff_reads.settings import read_settings

    settings = settings or read_settings()
    if settings is None or (settings.sqlite_path and not settings.sqlite_path.is_file()):
        return None  # the full command reads (and explains) unusual settings, and no database
    try:
        return asyncio.run(answered(settings, args))
    except Unreadable:
        # The full command upgrades SQLite, says to upgrade PostgreSQL, or says what is wrong.
        return None


def _parsed(argv: Sequence[str]) -> argparse.Namespace:
    """`cases list [--status S] [--queue Q] [--limit N]`, `cases show REF` or `cases inbox
    [--limit N]`, nothing else."""
    if len(argv) < 2 or argv[0] != "cases" or any(arg in ("-h", "--help") for arg in argv):
        raise _Unsure
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    if argv[1] == "list":
        parser.add_argument("--status", choices=[status.value for status in CaseStatus])
        parser.add_argument("--queue")
        parser.add_argument("--limit", type=int, default=50)
    elif argv[1] == "show":
        parser.add_argument("reference")
    elif argv[1] == "inbox":
        parser.add_argument("--limit", type=int, default=50)
    else:
        raise _Unsure
    try:
        args, extra = parser.parse_known_args(argv[2:])
    except (argparse.ArgumentError, SystemExit):
        raise _Unsure from None
    if extra:
        raise _Unsure
    args.cases_command = argv[1]
    return args
