"""Running the real `complaintbot` command as a subprocess, in a folder of its own."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pexpect
import pytest

PROMPT = "you> "


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Product:
    """The installed command, with its own data folder and environment."""

    folder: Path
    env: dict[str, str]
    command: str

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [self.command, *args],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"{args} exited {result.returncode}:\n{result.stderr}")
        return result

    @contextlib.contextmanager
    def serve(self, **env: str) -> Iterator[pexpect.spawn]:
        """`complaintbot serve` running (banner shown) for the block; stopped after it."""
        self.env.setdefault("COMPLAINTBOT_HTTP_PORT", str(free_port()))
        self.env.update(env)
        server = pexpect.spawn(
            self.command,
            ["serve"],
            cwd=str(self.folder),
            env=self.env,
            encoding="utf-8",
            timeout=30,
        )
        try:
            server.expect_exact("Stop with Ctrl-C.")
            yield server
        finally:
            if server.isalive():
                server.terminate(force=True)

    def chat(self, name: str) -> pexpect.spawn:
        child = pexpect.spawn(
            self.command,
            ["chat", "--as", name],
            cwd=str(self.folder),
            env=self.env,
            encoding="utf-8",
            timeout=30,
        )
        child.expect_exact(PROMPT)
        return child


@pytest.fixture
def product(tmp_path: Path) -> Product:
    command = shutil.which("complaintbot", path=str(Path(sys.executable).parent))
    assert command, "complaintbot is not installed in this environment (pip install -e .)"
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("COMPLAINTBOT_") and k != "DATABASE_URL"
    }
    env.update(
        COMPLAINTBOT_DATA_DIR=str(tmp_path / "data"),
        COMPLAINTBOT_POLL_INTERVAL_SECONDS="0.2",
        COMPLAINTBOT_SMTP_PORT=str(free_port()),
        PYTHONUNBUFFERED="1",
    )
    return Product(tmp_path, env, command)


def answer(child: pexpect.spawn, line: str) -> str:
    """Type a line; return everything printed until the next prompt."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return str(child.before)
