"""`complaintbot customer`: a person's data for a subject access request, and erasing it."""

from __future__ import annotations

import argparse
import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_output import say

if TYPE_CHECKING:
    from bot.services.app import App


def add_customer_commands(commands: Any) -> None:
    """Add ``customer export|erase`` to the command's subparsers."""
    parser = commands.add_parser(
        "customer", help="a person's data: export it (subject access) or erase it"
    )
    sub = parser.add_subparsers(dest="customer_command", required=True)
    export = sub.add_parser(
        "export", help="everything held about a person, as JSON plus their attachments"
    )
    export.add_argument("address", help="their email address, phone number or Telegram chat id")
    export.add_argument(
        "--output", type=Path, default=None, help="folder to write (default: export-<date>)"
    )
    erase = sub.add_parser(
        "erase",
        help="remove a person's personal data from every case; the anonymous facts stay",
    )
    erase.add_argument("address", help="their email address, phone number or Telegram chat id")
    erase.add_argument("--reason", required=True, help="why (kept on each case's history)")
    erase.add_argument("--as", dest="actor", default=None, help="staff name (default $USER)")


async def run_customer(app: App, args: argparse.Namespace) -> int:
    """Run one ``customer`` command; the exit code."""
    # Imported here, not by every staff command (phone number parsing among them).
    from bot.services.erasure import erase_person
    from bot.services.personal_data import PersonNotFound

    try:
        if args.customer_command == "export":
            return await _export(app, args)
        erased = await erase_person(app, args.address, args.actor or getpass.getuser(), args.reason)
    except PersonNotFound:
        say(app, "cli/customer_not_found", address=args.address)
        return 1
    say(app, "cli/customer_erased", erased=erased)
    return 0


async def _export(app: App, args: argparse.Namespace) -> int:
    from bot.services.personal_data import export_person

    held, files = await export_person(app, args.address)
    folder: Path = args.output or Path(f"export-{app.clock():%Y%m%d-%H%M%S}")
    _write(folder, held, files)
    say(
        app,
        "cli/customer_exported",
        folder=folder,
        case_count=len(held["cases"]),
        message_count=len(held["messages_from_them"]),
        attachment_count=len(files),
    )
    return 0


def _write(folder: Path, held: dict[str, Any], files: dict[str, bytes]) -> None:
    """The export's files; personal data, so the operator's alone to read."""
    (folder / "attachments").mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    target = folder / "personal-data.json"
    target.touch(mode=0o600, exist_ok=True)
    target.write_text(json.dumps(held, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name, content in files.items():
        path = folder / "attachments" / name
        path.touch(mode=0o600, exist_ok=True)
        path.write_bytes(content)
