"""`complaintbot cases list` and `cases show`, read and rendered without the ORM.

The same statements and templates as ``bot.services.queries`` and ``bot.cli``;
tests/bot/staff_reads/test_commands.py holds the two to the same output on both databases.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.rendering import STAFF_CHANNEL, Renderer
from bot.staff_reads.rows import Row, Rows, Unreadable, opened
from bot.staff_reads.settings import ReadSettings, read_settings
from workflows.lifecycle import CaseStatus
from workflows.references import ReferenceCheck, parse_reference


class _Unsure(Exception):
    """Arguments the full command should read (it says what is wrong with them)."""


def answer(argv: Sequence[str] | None = None, settings: ReadSettings | None = None) -> int | None:
    """Answer a `cases list` or `cases show` command; None when the full command must.

    ``settings``: as read from the environment and the project's ``.env`` unless given.
    """
    try:
        args = _parsed(sys.argv[1:] if argv is None else argv)
    except _Unsure:
        return None
    settings = settings or read_settings()
    if settings is None or (settings.sqlite_path and not settings.sqlite_path.is_file()):
        return None  # the full command reads (and explains) unusual settings, and no database
    try:
        return asyncio.run(_answer(settings, args))
    except Unreadable:
        # The full command upgrades SQLite, says to upgrade PostgreSQL, or says what is wrong.
        return None


def _parsed(argv: Sequence[str]) -> argparse.Namespace:
    """`cases list [--status S] [--queue Q] [--limit N]` or `cases show REF`, nothing else."""
    if len(argv) < 2 or argv[0] != "cases" or any(arg in ("-h", "--help") for arg in argv):
        raise _Unsure
    parser = argparse.ArgumentParser(add_help=False, exit_on_error=False)
    if argv[1] == "list":
        parser.add_argument("--status", choices=[status.value for status in CaseStatus])
        parser.add_argument("--queue")
        parser.add_argument("--limit", type=int, default=50)
    elif argv[1] == "show":
        parser.add_argument("reference")
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


async def _answer(settings: ReadSettings, args: argparse.Namespace) -> int:
    renderer = Renderer.for_staff(settings)
    async with opened(settings) as rows:
        if args.cases_command == "list":
            _say(renderer, "cli/case_list", cases=await _listed(rows, args))
            return 0
        parsed = parse_reference(args.reference, settings.reference_prefix)
        if parsed.check is not ReferenceCheck.VALID:
            _say(renderer, "cli/case_not_found", reference=args.reference, mistyped=True)
            return 1
        found = await rows.all("SELECT * FROM cases WHERE reference = ?", parsed.canonical)
        if not found:
            _say(renderer, "cli/case_not_found", reference=parsed.canonical, mistyped=False)
            return 1
        _say(renderer, "cli/case_show", file=await _case_file(rows, found[0]))
        return 0


async def _listed(rows: Rows, args: argparse.Namespace) -> list[Row]:
    """Cases, newest first, optionally filtered (``bot.services.queries.list_cases``)."""
    where, parameters = [], []
    for column in ("status", "queue"):
        if value := getattr(args, column):
            where.append(f"{column} = ?")
            parameters.append(value)
    statement = "SELECT * FROM cases"
    if where:
        statement += " WHERE " + " AND ".join(where)
    return await rows.all(statement + " ORDER BY opened_at DESC LIMIT ?", *parameters, args.limit)


async def _case_file(rows: Rows, case: Row) -> Row:
    """The case with its history, messages and outbound messages (``queries.case_file``)."""
    identity = await rows.all("SELECT * FROM identities WHERE id = ?", case.identity_id)
    messages = await rows.all("SELECT * FROM messages_in WHERE case_id = ? ORDER BY id", case.id)
    attachments = await rows.all(
        "SELECT attachments.* FROM attachments JOIN messages_in"
        " ON attachments.message_id = messages_in.id WHERE messages_in.case_id = ?"
        " ORDER BY attachments.id",
        case.id,
    )
    return Row(
        case=case,
        identity=identity[0],
        events=await rows.all("SELECT * FROM case_events WHERE case_id = ? ORDER BY id", case.id),
        messages=messages,
        attachments=attachments,
        outbox=await rows.all("SELECT * FROM outbox WHERE case_id = ? ORDER BY id", case.id),
    )


def _say(renderer: Renderer, template: str, **context: object) -> None:
    print(renderer.render(template, context, STAFF_CHANNEL).text, flush=True)
