"""Classification (category, severity) and routing to a staff queue, from operator rules."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from workflows.vocabulary import normalise

SEVERITIES = ("normal", "high", "critical")


@dataclass(frozen=True, slots=True)
class Category:
    """A kind of complaint and the words that suggest it."""

    name: str
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Route:
    """Send cases matching ``category`` and/or ``severity`` (None = any) to ``queue``."""

    queue: str
    category: str | None = None
    severity: str | None = None


@dataclass(frozen=True, slots=True)
class Targets:
    """Response-time targets for one severity."""

    respond_within: timedelta
    warn_before: timedelta


@dataclass(frozen=True)
class Rules:
    """Everything the operator configures about classification, routing and targets."""

    categories: tuple[Category, ...]
    severity_keywords: Mapping[str, tuple[str, ...]]
    routes: tuple[Route, ...]
    default_category: str
    default_queue: str
    targets: Mapping[str, Targets]

    @staticmethod
    def from_mapping(data: Mapping[str, object]) -> Rules:
        """Build rules from the parsed routing configuration file (see config/routing.toml)."""
        defaults = _table(data, "defaults")
        severity = _table(data, "severity")
        targets = _table(data, "targets")
        rules = Rules(
            categories=tuple(
                Category(str(item["name"]), _keywords(item)) for item in _list(data, "categories")
            ),
            severity_keywords={
                level: _keywords(_table(severity, level))
                for level in SEVERITIES[1:]
                if level in severity
            },
            routes=tuple(
                Route(str(item["queue"]), _optional(item, "category"), _optional(item, "severity"))
                for item in _list(data, "routes")
            ),
            default_category=str(defaults["category"]),
            default_queue=str(defaults["queue"]),
            targets={
                level: Targets(
                    respond_within=timedelta(hours=_hours(_table(targets, level), "respond_hours")),
                    warn_before=timedelta(
                        hours=_hours(_table(targets, level), "warn_hours_before")
                    ),
                )
                for level in SEVERITIES
            },
        )
        # A typo in the file would otherwise be a rule that silently never matches.
        known = {category.name for category in rules.categories} | {rules.default_category}
        for route in rules.routes:
            if route.severity is not None and route.severity not in SEVERITIES:
                raise ValueError(f"route to {route.queue!r}: unknown severity {route.severity!r}")
            if route.category is not None and route.category not in known:
                raise ValueError(f"route to {route.queue!r}: unknown category {route.category!r}")
        for level, target in rules.targets.items():
            if target.warn_before >= target.respond_within:
                raise ValueError(f"[targets.{level}]: the reminder must come before the target")
        unknown = set(severity) - set(SEVERITIES[1:])
        if unknown:
            raise ValueError(f"[severity.*]: unknown levels {sorted(unknown)}; use high, critical")
        return rules


@dataclass(frozen=True, slots=True)
class Classification:
    """What the rules made of a complaint, and why (the matched words, for the audit trail)."""

    category: str
    severity: str
    queue: str
    matched: tuple[str, ...]


def classify(text: str, rules: Rules) -> Classification:
    """Pick category, severity and queue for a complaint's text."""
    words = normalise(text)
    best: tuple[int, str] = (0, rules.default_category)
    matched: list[str] = []
    for category in rules.categories:
        hits = [keyword for keyword in category.keywords if _mentions(words, keyword)]
        if len(hits) > best[0]:
            best = (len(hits), category.name)
            matched = [f"{category.name}:{hit}" for hit in hits]
    severity = "normal"
    for level in SEVERITIES[1:]:
        hits = [k for k in rules.severity_keywords.get(level, ()) if _mentions(words, k)]
        if hits:
            severity = level
            matched.extend(f"{level}:{hit}" for hit in hits)
    chosen = best[1]
    return Classification(chosen, severity, route(chosen, severity, rules), tuple(matched))


def route(category: str, severity: str, rules: Rules) -> str:
    """The staff queue for a category and severity: the first matching route wins."""
    for candidate in rules.routes:
        if candidate.category not in (None, category):
            continue
        if candidate.severity not in (None, severity):
            continue
        return candidate.queue
    return rules.default_queue


def _mentions(words: str, keyword: str) -> bool:
    # A keyword ending in "*" matches any word starting with it ("injur*": injury, injured).
    if keyword.endswith("*"):
        return re.search(rf"(?<!\w){re.escape(keyword[:-1])}", words) is not None
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", words) is not None


def _table(data: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = data.get(name)
    if not isinstance(value, Mapping):
        raise ValueError(f"[{name}] must be a table")
    return value


def _list(data: Mapping[str, object], name: str) -> Sequence[Mapping[str, object]]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ValueError(f"[[{name}]] must be an array of tables")
    return value


def _keywords(table: Mapping[str, object]) -> tuple[str, ...]:
    value = table.get("keywords")
    if not isinstance(value, list):
        raise ValueError("keywords must be a list of words or phrases")
    # normalise() drops "*", so keep the wildcard aside and put it back.
    return tuple(
        normalise(str(word).rstrip("*")) + ("*" if str(word).endswith("*") else "")
        for word in value
    )


def _optional(table: Mapping[str, object], name: str) -> str | None:
    value = table.get(name)
    return None if value is None else str(value)


def _hours(table: Mapping[str, object], name: str) -> float:
    value = table.get(name)
    if not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{name} must be a positive number of hours")
    return float(value)
