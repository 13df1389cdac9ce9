"""The answers to `cases list`, `cases show` and `cases inbox`, from the tables themselves.

The same statements and templates as ``bot.services.queries`` and ``bot.cli_run``.
"""

from __future__ import annotations

import argparse

from bot.attention import LOOK_BACK, needs_attention
from bot.rendering import STAFF_CHANNEL, Renderer
from bot.staff_reads.rows import Row, Rows, opened
from bot.staff_reads.settings import ReadSettings
from workflows.references import ReferenceCheck, parse_reference


async def answered(settings: ReadSettings, args: argparse.Namespace) -> int:
    """Read and print what the command asks for; its exit code."""
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
