"""`cases list` and `cases show` answered quickly say what the full commands say."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.services.app import App
from bot.services.intake import handle_inbound, store_only
from bot.services.queries import case_file, list_cases, unfiled_messages
from bot.settings import PROJECT_ROOT
from bot.staff_reads.commands import answer
from bot.staff_reads.settings import ReadSettings, read_settings
from channels.base import Attachment
from fakes import FakeClock, SeededRandom
from tests.bot.conversation import message, register_complaint, send, staff_action
from workflows.references import generate_reference
from workflows.staff import StaffActionKind

PHOTO = Attachment("kettle.jpg", "image/jpeg", 4, content=b"\xff\xd8\xff\xe0")
LINK = Attachment("receipt.pdf", "application/pdf", 0, url="https://files.example/receipt.pdf")


def _read_settings(app: App) -> ReadSettings:
    settings = read_settings({"DATABASE_URL": str(app.settings.database_url)}, env_file=None)
    assert settings is not None
    return settings


async def _answer(argv: list[str], settings: ReadSettings | None) -> int | None:
    """The command as staff run it: in a process with no event loop running yet."""
    return await asyncio.to_thread(answer, argv, settings)


def _full(app: App, template: str, **context: object) -> str:
    return app.renderer.render(template, context, "cli").text + "\n"


async def _two_cases(app: App, clock: FakeClock) -> tuple[str, str]:
    """A critical case with history, an attachment and replies; a plain one opened later."""
    first = await register_complaint(app, "alice")
    await send(app, "Photo of the kettle attached", "alice", attachments=(PHOTO, LINK))
    await staff_action(app, first, StaffActionKind.ASSIGN, assignee="bob")
    await staff_action(app, first, StaffActionKind.NOTE, text="Asked the maker <b>& co</b>")
    await staff_action(
        app, first, StaffActionKind.GRADE, severity="critical", category="product", text="Smoke"
    )
    clock.advance(hours=3)
    second = await register_complaint(app, "dana")
    return first, second


async def test_the_case_list_and_a_case_file_read_the_same_as_the_full_commands(
    app: App, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = await _two_cases(app, clock)
    settings = _read_settings(app)

    assert await _answer(["cases", "list"], settings) == 0
    listing = capsys.readouterr().out
    assert listing == _full(app, "cli/case_list", cases=await list_cases(app))
    assert listing.index(second) < listing.index(first), "newest first"
    assert (
        await _answer(["cases", "list", "--queue", "complaints-urgent", "--limit", "5"], settings)
        == 0
    )
    urgent = capsys.readouterr().out
    assert urgent == _full(
        app, "cli/case_list", cases=await list_cases(app, queue="complaints-urgent", limit=5)
    )
    assert first in urgent
    assert second not in urgent

    assert await _answer(["cases", "show", first.lower().replace("-", " ")], settings) == 0
    shown = capsys.readouterr().out
    assert shown == _full(app, "cli/case_show", file=await case_file(app, first))
    for seen in ("kettle.jpg (image/jpeg, 4 bytes)", "receipt.pdf", "Assigned to:  bob", "& co"):
        assert seen in shown


async def test_the_inbox_reads_the_same_as_the_full_command(
    app: App, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = _read_settings(app)
    assert await _answer(["cases", "inbox"], settings) == 0
    assert capsys.readouterr().out == "No messages outside cases.\n"

    await register_complaint(app, "alice")
    await send(app, "status", "alice")  # a customer's routine word: not shown
    await send(app, "status CB-AAAA-AAAA", "mallory")
    await store_only(app, replace(message(app, "hi all", "alice"), flags=("group",)))
    await handle_inbound(app, replace(message(app, "Out of office", "alice"), flags=("auto:oof",)))

    assert await _answer(["cases", "inbox", "--limit", "2"], settings) == 0
    shown = capsys.readouterr().out
    assert shown == _full(app, "cli/inbox", messages=await unfiled_messages(app, 2))
    assert "Out of office" in shown
    assert "hi all" in shown
    assert "mallory" not in shown, "two, newest first"
    assert await _answer(["cases", "inbox"], settings) == 0
    everything = capsys.readouterr().out
    assert everything == _full(app, "cli/inbox", messages=await unfiled_messages(app))
    assert "mallory" in everything
    assert "status\n" not in everything


async def test_a_mistyped_or_unknown_reference_is_said_so(
    app: App, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    reference = await register_complaint(app)
    settings = _read_settings(app)
    mistyped = reference[:-1] + ("A" if reference[-1] != "A" else "B")
    assert await _answer(["cases", "show", mistyped], settings) == 1
    assert "looks mistyped" in capsys.readouterr().out
    unknown = generate_reference("CB", SeededRandom(7))
    assert unknown != reference
    assert await _answer(["cases", "show", unknown], settings) == 1
    assert capsys.readouterr().out == f"There is no case {unknown}.\n"


@pytest.mark.parametrize(
    "argv",
    [
        ["cases", "list", "--status", "lost"],
        ["cases", "list", "--colour", "red"],
        ["cases", "show"],
        ["cases", "show", "CB-1", "extra"],
        ["cases", "reply", "CB-1", "hello"],
        ["cases", "list", "--help"],
        ["-v", "cases", "list"],
        ["serve"],
    ],
)
async def test_anything_else_is_left_to_the_full_command(app: App, argv: list[str]) -> None:
    assert await _answer(argv, _read_settings(app)) is None


async def test_a_database_behind_the_code_is_left_to_the_full_command(app: App) -> None:
    async with app.engine.begin() as connection:
        await connection.execute(text("UPDATE alembic_version SET version_num = 'older'"))
    assert await _answer(["cases", "list"], _read_settings(app)) is None


def test_no_sqlite_database_is_left_to_the_full_command(tmp_path: Path) -> None:
    settings = read_settings({"COMPLAINTBOT_DATA_DIR": str(tmp_path)}, env_file=None)
    assert answer(["cases", "list"], settings) is None
    assert not list(tmp_path.iterdir()), "no empty database made"


@pytest.mark.parametrize("content", [b"", b"not a database at all\n" * 100])
def test_a_file_that_is_no_database_of_ours_is_left_to_the_full_command(
    tmp_path: Path, content: bytes
) -> None:
    (tmp_path / "complaintbot.db").write_bytes(content)
    settings = read_settings({"COMPLAINTBOT_DATA_DIR": str(tmp_path)}, env_file=None)
    assert answer(["cases", "show", "CB-2222-2222"], settings) is None


def test_an_unreachable_postgresql_is_left_to_the_full_command() -> None:
    settings = read_settings({"DATABASE_URL": "postgresql://staff@127.0.0.1:9/cases"}, None)
    assert answer(["cases", "list"], settings) is None


async def test_the_command_lists_cases_without_loading_the_orm(app: App) -> None:
    reference = await register_complaint(app)
    environment = {**os.environ, "DATABASE_URL": str(app.settings.database_url)}
    run = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-X", "importtime", "-m", "bot", "cases", "list"],
        env=environment,
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert reference in run.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in run.stderr.splitlines()}
    assert not imported & {"sqlalchemy", "pydantic", "pydantic_settings", "alembic"}


async def test_output_cut_short_by_a_closed_pipe_is_no_error(app: App) -> None:
    reference = await register_complaint(app)
    environment = {**os.environ, "DATABASE_URL": str(app.settings.database_url)}

    def shown_to_a_closed_pipe(*command: str) -> subprocess.CompletedProcess[str]:
        # As `complaintbot cases show REF | head -1` ends once head has its line.
        process = subprocess.Popen(
            [sys.executable, "-m", "bot", *command],
            env=environment,
            cwd=PROJECT_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        process.stdout.close()
        _, errors = process.communicate()
        return subprocess.CompletedProcess(command, process.returncode, "", errors)

    for command in (("cases", "show", reference), ("cases", "inbox")):
        done = await asyncio.to_thread(shown_to_a_closed_pipe, *command)
        assert "Traceback" not in done.stderr, done.stderr
