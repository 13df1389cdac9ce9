"""The `complaintbot` command's arguments: serve, chat, cases, db and the staff commands.

Only the standard library and the workflow core's names are imported here, so `--help` and a
mistyped option are answered at once; ``bot.cli_run`` loads the application for the rest.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from bot.cli_audit import add_audit_commands
from bot.cli_customer import add_customer_commands
from bot.cli_improve import add_improve_commands
from bot.cli_report import add_report_command
from bot.cli_triage import add_triage_command
from bot.paths import PROJECT_ROOT
from workflows.aftercare_settings import Remedy
from workflows.lexicon import SEVERITIES
from workflows.lifecycle import CaseStatus


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="complaintbot",
        description="Take customer complaints and carry them through.",
        epilog=f"Data: {PROJECT_ROOT / 'data'} (from any folder), unless COMPLAINTBOT_DATA_DIR "
        "or DATABASE_URL say otherwise in the environment or the project's .env.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("serve", help="run the bot: HTTP, outbox, scheduler")
    chat = commands.add_parser("chat", help="complain in this terminal, as a customer would")
    chat.add_argument(
        "--as",
        dest="name",
        default=None,
        type=_terminal_name,
        help="who you are (default: your login name, and you are asked your name)",
    )

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="apply schema migrations")
    revision = db_commands.add_parser(
        "revision", help="(developers) write a migration for changes to bot/storage/models.py"
    )
    revision.add_argument("message", help="what the change is, e.g. 'add case priority'")

    add_triage_command(commands)
    add_audit_commands(commands)
    add_customer_commands(commands)
    add_report_command(commands)
    add_improve_commands(commands)

    cases = commands.add_parser("cases", help="handle cases as staff")
    sub = cases.add_subparsers(dest="cases_command", required=True)
    listing = sub.add_parser("list", help="list cases, newest first")
    listing.add_argument("--status", choices=[s.value for s in CaseStatus])
    listing.add_argument("--queue")
    listing.add_argument("--limit", type=int, default=50)
    inbox = sub.add_parser(
        "inbox", help="messages on no case: strangers, automated mail, failed processing"
    )
    inbox.add_argument("--limit", type=int, default=50)
    show = sub.add_parser("show", help="a case with its history")
    show.add_argument("reference")
    reply = sub.add_parser("reply", help="send the customer a message")
    reply.add_argument("reference")
    reply.add_argument("text")
    reply.add_argument(
        "--await-customer",
        action="store_true",
        help="and wait for the customer's answer (status awaiting_customer)",
    )
    status = sub.add_parser("status", help="move the case to another stage")
    status.add_argument("reference")
    status.add_argument("status", choices=[s.value for s in CaseStatus])
    status.add_argument("--message", help="a sentence for the customer with the update")
    status.add_argument(
        "--root-cause", help="when resolving: what caused it (see root_causes in routing.toml)"
    )
    assign = sub.add_parser("assign", help="give the case to someone")
    assign.add_argument("reference")
    assign.add_argument("assignee", help='a name, or "" to unassign')
    note = sub.add_parser("note", help="an internal note (never shown to the customer)")
    note.add_argument("reference")
    note.add_argument("text")
    grade = sub.add_parser(
        "grade", help="change severity and/or category, with a reason (re-routes the case)"
    )
    grade.add_argument("reference")
    grade.add_argument("--severity", choices=list(SEVERITIES))
    grade.add_argument("--category", help="e.g. delivery, billing, product, service, privacy")
    grade.add_argument("--reason", required=True, help="why (kept on the case's history)")
    respond = sub.add_parser(
        "respond",
        help="send the customer the response and remedy; they accept or reject it",
    )
    respond.add_argument("reference")
    respond.add_argument("text", help="the response: what was found, what was decided, and why")
    respond.add_argument("--remedy", required=True, choices=[remedy.value for remedy in Remedy])
    respond.add_argument("--amount", help='where one applies, as the customer reads it ("£20")')
    extend = sub.add_parser(
        "extend", help="move the response target later; the customer is told the date and why"
    )
    extend.add_argument("reference")
    extend.add_argument(
        "--days",
        type=float,
        required=True,
        help="how many days later (a target landing on a closed day moves to the next opening)",
    )
    extend.add_argument("--reason", required=True, help="why, as the customer should read it")
    for action in (reply, status, assign, note, grade, respond, extend):
        action.add_argument("--as", dest="actor", default=None, help="staff name (default $USER)")
    return parser


def _terminal_name(value: str) -> str:
    if not value.strip() or len(value) > 100:
        raise argparse.ArgumentTypeError("give a name of 1 to 100 characters")
    return value.strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    args = _parser().parse_args(argv)
    from bot.cli_run import run

    return run(args)
