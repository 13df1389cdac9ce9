"""`complaintbot improve`: improvement actions against recurring root causes (ISO 10002 8.7)."""

from __future__ import annotations

import argparse
import getpass
from typing import TYPE_CHECKING, Any

from bot.cli_output import day, say

if TYPE_CHECKING:
    from bot.services.app import App


def add_improve_commands(commands: Any) -> None:
    """Add ``improve add|list|done|drop`` to the command's subparsers."""
    parser = commands.add_parser(
        "improve", help="improvement actions against recurring root causes, and their effect"
    )
    sub = parser.add_subparsers(dest="improve_command", required=True)
    add = sub.add_parser("add", help="record what will change about a root cause")
    add.add_argument("root_cause", help="one of root_causes in routing.toml, e.g. delivery")
    add.add_argument("what", help="what will change")
    add.add_argument("--owner", required=True, help="who sees it through")
    add.add_argument("--due", required=True, type=day, help="by when, YYYY-MM-DD")
    add.add_argument("--as", dest="actor", default=None, help="staff name (default $USER)")
    sub.add_parser("list", help="every action: open, overdue, done with its effect")
    for name, words in (("done", "done (its effect is measured from now)"), ("drop", "dropped")):
        finish = sub.add_parser(name, help=f"mark an action {words}")
        finish.add_argument("number", type=int)


async def run_improve(app: App, args: argparse.Namespace) -> int:
    """Run one ``improve`` command; the exit code."""
    from bot.services.improvement import (
        DONE,
        DROPPED,
        UnknownAction,
        UnknownRootCause,
        add_action,
        finish_action,
        progress,
    )

    command = args.improve_command
    try:
        if command == "add":
            actor = args.actor or getpass.getuser()
            made = await add_action(app, args.root_cause, args.what, args.owner, args.due, actor)
            say(app, "cli/improve_added", improvement=made)
        elif command in {"done", "drop"}:
            status = DONE if command == "done" else DROPPED
            say(
                app,
                "cli/improve_changed",
                improvement=await finish_action(app, args.number, status),
            )
        else:
            say(app, "cli/improve_list", actions=await progress(app, app.clock()))
    except UnknownRootCause as error:
        causes = list(app.intake.rules.root_causes)
        say(app, "cli/improve_unknown_cause", cause=str(error), causes=causes)
        return 1
    except UnknownAction as error:
        say(app, "cli/improve_unknown_action", number=error.args[0])
        return 1
    return 0
