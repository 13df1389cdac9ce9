"""`complaintbot audit`: check the audit trail, anchor it, export a case for an auditor."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_output import say

if TYPE_CHECKING:
    from bot.services.app import App


def add_audit_commands(commands: Any) -> None:
    """Add ``audit verify|anchor|export`` to the command's subparsers."""
    parser = commands.add_parser(
        "audit", help="prove the case history has not been altered; export a case for an auditor"
    )
    sub = parser.add_subparsers(dest="audit_command", required=True)
    sub.add_parser(
        "verify", help="walk every case's chain of events and every anchor; exit 1 if altered"
    )
    sub.add_parser(
        "anchor", help="anchor every event since the last anchor now (serve does it daily)"
    )
    export = sub.add_parser("export", help="a case's full history with its seals, as JSON")
    export.add_argument("reference")
    export.add_argument(
        "--output", type=Path, default=None, help="file to write (default: <reference>.json)"
    )


async def run_audit(app: App, args: argparse.Namespace) -> int:
    """Run one ``audit`` command; the exit code."""
    # Imported here, not by every staff command.
    from bot.services import audit
    from bot.services.audit_export import export_case

    if args.audit_command == "verify":
        result = await audit.verify(app)
        say(app, "cli/audit_verify", result=result)
        return 0 if result.intact else 1
    if args.audit_command == "anchor":
        made = await audit.anchor(app)
        say(
            app,
            "cli/audit_anchor",
            anchor=made,
            settle_minutes=int(audit.SETTLE.total_seconds() // 60),
        )
        return 0
    exported = await export_case(app, args.reference)
    path = args.output or Path(f"{exported['reference']}.json")
    # Personal data: readable by the operator only.
    path.touch(mode=0o600, exist_ok=True)
    path.write_text(json.dumps(exported, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(
        app,
        "cli/audit_exported",
        reference=exported["reference"],
        events=len(exported["events"]),
        intact=exported["chain_intact"],
        path=path,
    )
    return 0
