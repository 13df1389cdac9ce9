"""Channel adapters know nothing of complaints: nothing under channels/ imports the shell or
the core, so an adapter can be read, tested and replaced on its own."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CHANNELS = Path(__file__).resolve().parents[2] / "channels"
FORBIDDEN = frozenset({"bot", "workflows", "fakes", "tests"})


def imported(path: Path) -> set[str]:
    """The top-level packages a module imports (at any depth in the module)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "path", sorted(CHANNELS.rglob("*.py")), ids=lambda p: str(p.relative_to(CHANNELS))
)
def test_no_channel_module_imports_the_shell_or_the_core(path: Path) -> None:
    assert not imported(path) & FORBIDDEN


def test_the_check_sees_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    module = tmp_path / "adapter.py"
    module.write_text("def send():\n    from bot.services import app\n    return app\n")
    assert imported(module) & FORBIDDEN == {"bot"}
