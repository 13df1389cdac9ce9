"""Database files made unwritable, as a mistaken deployment or a full disk would leave them."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


def database_files(database: Path) -> list[Path]:
    """A SQLite database's file and its -wal and -shm companions, as they are now."""
    return [p for p in database.parent.iterdir() if p.name.startswith(database.name)]


@contextlib.contextmanager
def read_only(*paths: Path) -> Iterator[None]:
    """The files made unwritable: by permissions, or for root by the immutable flag."""
    if os.geteuid() != 0:
        for path in paths:
            path.chmod(0o444)
        try:
            yield
        finally:
            for path in paths:
                path.chmod(0o644)
        return
    flagged = subprocess.run(["chattr", "+i", *map(str, paths)], check=False, capture_output=True)
    if flagged.returncode != 0:
        pytest.skip(f"cannot make files immutable here: {flagged.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)
