"""`complaintbot`'s arguments: help and a mistyped option are answered before the app loads."""

from __future__ import annotations

import subprocess
import sys

from bot.settings import PROJECT_ROOT

# What the full command loads (most of half a second) and `--help` has no use for.
HEAVY = {"sqlalchemy", "pydantic", "pydantic_settings", "alembic", "jinja2", "matplotlib"}


def complaintbot(*arguments: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run the command as staff do; its result and the top-level packages it imported."""
    run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot", *arguments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    lines = run.stderr.splitlines()
    imported = {line.split("|")[-1].strip().split(".")[0] for line in lines if "|" in line}
    return run, imported


def test_help_lists_every_command_without_loading_the_application() -> None:
    run, imported = complaintbot("--help")
    assert run.returncode == 0
    for command in ("serve", "chat", "cases", "report", "audit", "improve", "triage"):
        assert command in run.stdout
    assert not imported & HEAVY


def test_a_commands_own_help_is_answered_as_quickly() -> None:
    run, imported = complaintbot("cases", "respond", "--help")
    assert run.returncode == 0
    assert "--remedy" in run.stdout
    assert not imported & HEAVY


def test_a_mistyped_option_is_told_without_loading_the_application() -> None:
    run, imported = complaintbot("cases", "list", "--stauts", "new")
    assert run.returncode == 2
    assert "unrecognized arguments: --stauts" in run.stderr
    assert not imported & HEAVY
