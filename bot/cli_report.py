"""`complaintbot report`: the management review, as HTML, CSV or JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_output import day, say

if TYPE_CHECKING:
    from bot.services.app import App


def add_report_command(commands: Any) -> None:
    """Add ``report`` to the command's subparsers."""
    parser = commands.add_parser(
        "report", help="the management review: complaints, timings, outcomes, against last period"
    )
    parser.add_argument("--from", dest="first", type=day, help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="last", type=day, help="last day (default today)")
    parser.add_argument("--queue", help="one queue only")
    parser.add_argument("--format", choices=("html", "csv", "json"), default="html")
    parser.add_argument(
        "--output", type=Path, help="file to write (default: HTML to a file, CSV and JSON printed)"
    )


async def run_report(app: App, args: argparse.Namespace) -> int:
    """Build and write the report; the exit code."""
    # The plotting library is imported only here, not by every staff command.
    from bot.reports import review

    if args.first and args.last and args.first > args.last:
        say(app, "cli/report_bad_period", first=args.first, last=args.last)
        return 2
    made = await review.build(app, args.first, args.last, args.queue)
    if args.format == "html":
        text = review.as_html(made, app.renderer)
    elif args.format == "csv":
        text = review.as_csv(made)
    else:
        text = review.as_json(made)
    output: Path | None = args.output
    if output is None and args.format == "html":
        output = Path(f"complaints-review-{made.first_day}-to-{made.last_day}.html")
    if output is None:
        sys.stdout.write(text)
        return 0
    _write(output, text)
    say(app, "cli/report_written", path=output, first=made.first_day, last=made.last_day)
    return 0


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
