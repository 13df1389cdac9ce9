"""Where the project's own files are, for every module (importing this costs nothing)."""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
