"""`complaintbot cases list`, `cases show` and `cases inbox`, read and rendered without the ORM.

The same statements and templates as ``bot.services.queries`` and ``bot.cli``;
tests/bot/staff_reads/test_commands.py holds the two to the same output on both databases.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.attention import LOOK_BACK, needs_attention
from bot.rendering import STAFF_CHANNEL, Renderer
from bot.staff_reads.rows import Row, Rows, Unreadable, opened
from bot.staff_reads.settings import ReadSettings, read_settings
from workflows.lifecycle import CaseStatus
from workflows.references import ReferenceCheck, parse_reference


class _Unsure(Exception):
    """Arguments the full command should read (it says what is wrong with them)."""


def answer(argv: Sequence[str] | None = None, settings: ReadSettings | None = None) -> int | None:
    """Answer `cases list`, `cases show` or `cases inbox`; None when the full command must.

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


async def _answer(settings: ReadSettings, args: argparse.Namespace) -> int:
    renderer = Renderer.for_staff(settings)
    async with opened(settings) as rows:
        if args.cases_command == "list":
            _say(renderer, "cli/case_list", cases=await _listed(rows, args))
            return 0
        if args.cases_command == "inbox":
            _say(renderer, "cli/inbox", messages=await _unfiled(rows, args.limit))
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


async def _unfiled(rows: Rows, limit: int) -> list[tuple[Row, Row]]:
    """Messages on no case that need a person's eye (``queries.unfiled_messages``)."""
    messages = await rows.all(
        "SELECT messages_in.*, EXISTS (SELECT 1 FROM cases"
        " WHERE cases.customer_id = identities.customer_id) AS known_customer"
        " FROM messages_in JOIN identities ON identities.id = messages_in.identity_id"
        " WHERE messages_in.case_id IS NULL ORDER BY messages_in.id DESC LIMIT ?",
        limit * LOOK_BACK,
    )
    kept = [
        message
        for message in messages
        if needs_attention(message.flags, known_customer=bool(message.known_customer))
    ][:limit]
    if not kept:
        return []
    wanted = sorted({message.identity_id for message in kept})
    marks = ", ".join("?" * len(wanted))
    statement = f"SELECT * FROM identities WHERE id IN ({marks})"  # noqa: S608 (placeholders)
    identities = await rows.all(statement, *wanted)
    by_id = {identity.id: identity for identity in identities}
    return [(message, by_id[message.identity_id]) for message in kept]


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
