"""Running a parsed `complaintbot` command: settings, the application, the database, dispatch."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import getpass
import logging
import sys
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError

from bot.cli_audit import run_audit
from bot.cli_customer import run_customer
from bot.cli_improve import run_improve
from bot.cli_output import say
from bot.cli_report import run_report
from bot.cli_triage import run_triage
from bot.config_files import ConfigError
from bot.logs import configure as configure_logging
from bot.rendering import STAFF_CHANNEL
from bot.services.app import App
from bot.services.lookup import CaseNotFound
from bot.services.queries import case_file, list_cases, unfiled_messages
from bot.settings import Settings
from bot.storage.database import create_engine
from bot.storage.migrate import (
    MigrationError,
    SchemaOutOfDate,
    ensure_schema,
    make_revision,
    upgrade,
)
from workflows.lifecycle import CaseStatus

# Commands that read customers' messages: every language's files are checked at their start.
TALKS_TO_CUSTOMERS = frozenset({"serve", "chat"})

# Commands that may start from nothing: the others need the database serve or chat made.
CREATES_DATABASE = frozenset({"serve", "chat", "db", "triage"})
NO_DATABASE_HINT = (
    "Run `complaintbot serve` (or `make run`) first, or point COMPLAINTBOT_DATA_DIR or "
    "DATABASE_URL at the one in use."
)


def _missing_database(settings: Settings) -> Path | None:
    """The SQLite file the settings name, if it does not exist (None for PostgreSQL)."""
    path = settings.sqlite_path
    return None if path is None or path.exists() else path


def run(args: argparse.Namespace) -> int:
    """Run a parsed command; the process exit code."""
    configure_logging(args.verbose)
    try:
        settings = Settings()
        had_folder = settings.data_dir.exists()
        # Reads and checks the configuration, opening nothing yet; a staff command leaves the
        # customer languages' files until it needs them (most of a second at every start).
        app = App.create(settings, lazy=args.command not in TALKS_TO_CUSTOMERS)
    except (ValidationError, ConfigError) as error:
        print(f"complaintbot: configuration problem: {error}", file=sys.stderr)
        return 2
    if args.command not in CREATES_DATABASE and (missing := _missing_database(settings)):
        # A staff command finding no database must not make an empty one (and answer
        # "there is no case CB-…" for one that exists elsewhere).
        print(f"complaintbot: no database at {missing}. {NO_DATABASE_HINT}", file=sys.stderr)
        if not had_folder:
            with contextlib.suppress(OSError):
                settings.data_dir.rmdir()  # the engine made it for SQLite; it stays empty
        return 2
    # Complaints are personal data: the folder holding them is the operator's alone.
    settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        with asyncio.Runner(loop_factory=_event_loop(args.command)) as runner:
            return runner.run(_run(app, args))
    except KeyboardInterrupt:
        return 130


def _event_loop(command: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's event loop for `serve` where it is installed (not on Windows), else asyncio's.

    Measured with benchmarks/sms_throughput.py (see the README): it and httptools, which
    uvicorn picks up by itself, take less CPU per webhook.
    """
    if command != "serve":
        return None
    try:
        import uvloop
    except ImportError:
        return None
    return uvloop.new_event_loop


async def _run(app: App, args: argparse.Namespace) -> int:
    try:
        return await _dispatch(app, args)
    except ConfigError as error:  # a language's files, read when a staff command needed them
        print(f"complaintbot: configuration problem: {error}", file=sys.stderr)
        return 2
    except SchemaOutOfDate as error:
        print(f"complaintbot: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (`| head`): nothing is wrong, and nothing more to say.
        sys.stderr.close()
        return 0
    except (SQLAlchemyError, MigrationError, OSError) as error:
        # An operator's problem (database locked, unreachable or newer than this code; a
        # file that cannot be read): say what it is, without a traceback.
        logging.getLogger(__name__).debug("command failed", exc_info=True)
        print(
            app.renderer.render(
                "cli/problem",
                {
                    "kind": type(error).__name__,
                    "detail": str(error).splitlines()[0] if str(error) else "",
                },
                STAFF_CHANNEL,
            ).text,
            file=sys.stderr,
        )
        return 2
    finally:
        await app.close()


async def _dispatch(app: App, args: argparse.Namespace) -> int:
    if args.command == "serve":
        from bot.registry import ChannelUnavailable
        from bot.server import CannotListen, serve

        try:
            await serve(app, lambda text: print(text, flush=True))
        except ChannelUnavailable as error:
            context = {"channel": error.channel, "reason": error.reason}
            text = app.renderer.render("cli/serve_channel_failed", context, "cli").text
            print(text, file=sys.stderr)
            return 2
        except CannotListen as error:
            print(
                app.renderer.render(
                    "cli/serve_cannot_listen",
                    {"host": error.host, "port": error.port, "reason": error.reason},
                    "cli",
                ).text,
                file=sys.stderr,
            )
            return 2
        return 0
    if args.command == "chat":
        from bot.chat import run_chat

        await run_chat(
            app,
            args.name or getpass.getuser(),
            lambda text: print(text, flush=True),
            display_name=args.name,
        )
        return 0
    if args.command == "db" and args.db_command == "revision":
        # Never against the configured database: a throwaway SQLite one at head is enough.
        with tempfile.TemporaryDirectory() as folder:
            scratch = create_engine(f"sqlite+aiosqlite:///{folder}/revision.db")
            try:
                await make_revision(scratch, args.message)
            finally:
                await scratch.dispose()
        return 0
    if args.command == "triage":
        return run_triage(app, args.text, args.language)
    if args.command == "db":
        await upgrade(app.engine)
        say(app, "cli/db_upgraded")
        return 0
    await ensure_schema(app.engine)
    handlers: dict[str, Callable[[App, argparse.Namespace], Awaitable[int]]] = {
        "list": _list,
        "show": _show,
        "inbox": _inbox,
    }
    own = {
        "audit": run_audit,
        "customer": run_customer,
        "report": run_report,
        "improve": run_improve,
    }
    handler = own.get(args.command) or handlers.get(args.cases_command, _act)
    try:
        return await handler(app, args)
    except CaseNotFound as error:
        say(app, "cli/case_not_found", reference=error.reference, mistyped=error.mistyped)
        return 1


async def _list(app: App, args: argparse.Namespace) -> int:
    cases = await list_cases(app, args.status, args.queue, args.limit)
    say(app, "cli/case_list", cases=cases)
    return 0


async def _inbox(app: App, args: argparse.Namespace) -> int:
    say(app, "cli/inbox", messages=await unfiled_messages(app, args.limit))
    return 0


async def _show(app: App, args: argparse.Namespace) -> int:
    found = await case_file(app, args.reference)
    say(app, "cli/case_show", file=found)
    return 0


async def _act(app: App, args: argparse.Namespace) -> int:
    # Imported here: acting on a case loads the staff rules, triage and notices, which listing
    # and showing cases never need (a staff command starts that much sooner).
    from bot.services.staff import handle_staff_action
    from workflows.staff import StaffAction, StaffActionKind

    kind = StaffActionKind(args.cases_command)
    action = StaffAction(
        kind=kind,
        reference=args.reference,
        actor=args.actor or getpass.getuser(),
        text=getattr(args, "text", None)
        or getattr(args, "message", None)
        or getattr(args, "reason", None),
        status=CaseStatus(args.status) if kind is StaffActionKind.STATUS else None,
        assignee=getattr(args, "assignee", None),
        await_customer=getattr(args, "await_customer", False),
        severity=getattr(args, "severity", None),
        category=getattr(args, "category", None),
        root_cause=getattr(args, "root_cause", None),
        remedy=getattr(args, "remedy", None),
        amount=getattr(args, "amount", None),
        extend_by=timedelta(days=args.days) if kind is StaffActionKind.EXTEND else None,
    )
    result = await handle_staff_action(app, action, STAFF_CHANNEL, event_id=str(uuid.uuid4()))
    if not result.ok:
        for refusal in result.refusals:
            print(refusal, file=sys.stderr)
        return 1
    say(
        app,
        "cli/action_done",
        action=kind.value,
        reference=args.reference,
        messages=len(result.outbox_ids),
    )
    return 0
