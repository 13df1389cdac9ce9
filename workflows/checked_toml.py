"""Reading a checked TOML file: every table, list and text is what it should be, or it is named."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def known(table: Mapping[str, object], keys: frozenset[str], where: str) -> None:
    """Refuse keys outside ``keys``: a misspelt key would be a rule silently ignored."""
    unknown = sorted(set(table) - keys)
    if unknown:
        expected = ", ".join(sorted(keys))
        raise ValueError(f"{where}: unknown {', '.join(unknown)}; expected {expected}")


def text(data: Mapping[str, object], key: str) -> str:
    """The non-empty text under ``key``."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{key} must be given as text")
    return value.strip()


def table(data: Mapping[str, object], key: str) -> Mapping[str, object]:
    """The table under ``key`` (empty when absent)."""
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"[{key}] must be a table")
    return value


def tables(data: Mapping[str, object], key: str) -> Sequence[Mapping[str, object]]:
    """The array of tables under ``key`` (empty when absent)."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, Mapping) for item in value):
        raise ValueError(f"[[{key}]] must be an array of tables")
    return value


def strings(data: Mapping[str, object], key: str) -> list[str]:
    """The list of words or phrases under ``key`` (empty when absent)."""
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"{key} must be a list of words or phrases")
    return value
