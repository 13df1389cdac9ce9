"""`complaintbot triage`: how a text would be graded, and why (for checking the lexicon)."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from bot.cli_output import say

if TYPE_CHECKING:
    from bot.services.app import App


def add_triage_command(commands: Any) -> None:
    """Add ``triage`` to the command's subparsers."""
    triage = commands.add_parser(
        "triage", help="show the severity, category and queue a complaint's text would get, and why"
    )
    triage.add_argument("text", help='the complaint\'s text, or "-" to read it from standard input')
    triage.add_argument(
        "--language",
        metavar="CODE",
        help="read it as a customer writing in this language is read (default: the language the "
        "bot would answer the text in)",
    )


def run_triage(app: App, text: str, language: str | None) -> int:
    """Print what triage makes of a text; the exit code."""
    if text == "-":
        text = sys.stdin.read()
    from workflows.classification import classify  # what cases list and show never need

    offered = app.settings.language_codes
    if language is not None and language not in offered:
        say(app, "cli/triage_unknown_language", language=language, offered=offered)
        return 2
    # As a new customer's first message is read: in the language the bot would answer it in,
    # with that language's lexicon (and the default's hazards).
    code = language or app.locales.picker.pick(text, known=None)
    rules = app.locales.intake(code).rules
    found = classify(text, rules)
    say(
        app,
        "cli/triage",
        severity=found.severity,
        category=found.category,
        queue=found.queue,
        respond_hours=round(rules.targets[found.severity].respond_within.total_seconds() / 3600),
        reasons=found.reasons_data(),
        lexicon=rules.lexicon.language,
        language=code,
        chosen=language is not None,
    )
    return 0
