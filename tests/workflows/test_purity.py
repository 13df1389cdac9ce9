"""The core stays pure: no I/O, no SDKs, no database, no asyncio, no clock, no OS randomness."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

WORKFLOWS = Path(__file__).resolve().parents[2] / "workflows"

FORBIDDEN = frozenset(
    {
        "sqlalchemy",
        "aiosmtpd",
        "aiosmtplib",
        "telegram",
        "slack_bolt",
        "slack_sdk",
        "twilio",
        "jinja2",
        "httpx",
        "asyncio",
        "starlette",
        "uvicorn",
        "bot",
        "channels",
        "socket",
        "subprocess",
        "requests",
        "urllib",
        "os",
        "pathlib",
        "io",
        "sqlite3",
        "asyncpg",
        "aiosqlite",
        "logging",
        "time",
        "secrets",
        "random",
        "threading",
        "tomllib",
        "aiohttp",
        "phonenumbers",
        "html2text",
    }
)
# Reading the clock inside the core would make decisions depend on when tests run.
CLOCK_CALLS = frozenset({"now", "today", "utcnow", "time", "monotonic"})


def impurities(source: str, filename: str) -> list[str]:
    """Every forbidden import or open() call in ``source``, as 'file:line: what'."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        modules: list[str] = []
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        for module in modules:
            if module.split(".")[0] in FORBIDDEN:
                found.append(f"{filename}:{node.lineno}: imports {module}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in CLOCK_CALLS
        ):
            found.append(f"{filename}:{node.lineno}: reads the clock ({node.func.attr}())")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"open", "__import__"}
        ):
            found.append(f"{filename}:{node.lineno}: calls {node.func.id}()")
    return found


def core_modules() -> list[Path]:
    """Every Python file of the pure core."""
    return sorted(WORKFLOWS.rglob("*.py"))


def test_the_core_package_is_where_the_test_looks() -> None:
    names = {path.name for path in core_modules()}
    assert {"__init__.py", "intake.py", "references.py", "lifecycle.py"} <= names


@pytest.mark.parametrize("path", core_modules(), ids=lambda path: path.name)
def test_core_module_imports_nothing_impure_and_opens_no_file(path: Path) -> None:
    problems = impurities(path.read_text(encoding="utf-8"), str(path.relative_to(WORKFLOWS)))
    assert not problems, "the pure core must stay pure:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\n", "m.py:1: imports os"),
        ("import os.path as p\n", "m.py:1: imports os.path"),
        ("from sqlalchemy.orm import Session\n", "m.py:1: imports sqlalchemy.orm"),
        ("def f():\n    import asyncio\n", "m.py:2: imports asyncio"),
        ("class C:\n    def m(self):\n        from bot import x\n", "m.py:3: imports bot"),
        ("import json, secrets\n", "m.py:1: imports secrets"),
        ("data = open('x').read()\n", "m.py:1: calls open()"),
        ("m = __import__('socket')\n", "m.py:1: calls __import__()"),
        ("import random\n", "m.py:1: imports random"),
        ("from datetime import datetime\nt = datetime.now()\n", "m.py:2: reads the clock (now())"),
        ("import datetime\nd = datetime.date.today()\n", "m.py:2: reads the clock (today())"),
    ],
)
def test_checker_catches_impure_code_and_names_file_and_import(source: str, expected: str) -> None:
    assert impurities(source, "m.py") == [expected]


@pytest.mark.parametrize(
    "source",
    [
        "import re\nfrom datetime import date\n",
        "from .effects import Reply\n",
        "from workflows.vocabulary import normalise\n",
        "import osmosis\nimport timeline\n",
        "handle.open('x')\n",
    ],
)
def test_checker_allows_pure_imports_and_lookalike_names(source: str) -> None:
    assert impurities(source, "m.py") == []
