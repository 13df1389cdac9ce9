"""Classification (category, severity) and routing to a staff queue, from operator rules.

What a complaint is about and how serious it is come from triage (``workflows/triage.py``,
with the operator's lexicon in ``config/triage/``); where it goes and how fast it must be
answered come from the routing file (``config/routing.toml``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from workflows.aftercare_settings import Aftercare
from workflows.lexicon import CRITICAL, SEVERITIES, Lexicon
from workflows.opinion import SecondOpinion
from workflows.triage import MISREAD, Reason, assess
from workflows.working_time import WorkingTime

DEFAULT_ROOT_CAUSES = (
    "product_fault",
    "service_failure",
    "staff_conduct",
    "communication",
    "billing_error",
    "delivery",
    "policy",
    "third_party",
    "no_fault_found",
    # The complaints process itself failed them (slow, lost, unanswered): ISO 10002 asks
    # that these be counted on their own.
    "complaint_handling",
    "other",
)
# Days without news after which an open case's customer gets a progress update, by severity.
UPDATE_DAYS = {"normal": 5.0, "high": 2.0, "critical": 1.0}
__all__ = ["SEVERITIES", "Classification", "Route", "Rules", "Targets", "classify", "route"]


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
    # While the case is open and the customer has heard nothing for this long, they get a
    # progress update (stage and target date).
    update_every: timedelta = timedelta(days=5)


@dataclass(frozen=True)
class Rules:
    """Everything the operator configures about classification, routing and targets."""

    lexicon: Lexicon
    routes: tuple[Route, ...]
    default_category: str
    default_queue: str
    targets: Mapping[str, Targets]
    # What staff may record as a resolved case's root cause (for management review).
    root_causes: tuple[str, ...] = DEFAULT_ROOT_CAUSES
    # A model learnt from graded complaints that may raise severity and name the category.
    opinion: SecondOpinion | None = None
    # The default language's lexicon, for a customer answered in another: a hazard it finds
    # (customers mix languages: "le charger a fait des sparks") raises the case to critical.
    # Only critical, and only words as written: its abbreviations and forgiven misspellings
    # read other languages' words as its own (Spanish "esa" is not the benefit ESA, "solicito"
    # is not a solicitor).
    also: Lexicon | None = None
    # After staff respond: reminders, closing, reopening (the routing file's [aftercare]).
    aftercare: Aftercare = field(default_factory=Aftercare)
    # The organisation's working hours and closed days, when targets count working time
    # (the routing file's [working_hours]); None: targets count every hour.
    working: WorkingTime | None = None

    def deadline(self, start: datetime, within: timedelta) -> datetime:
        """``within`` after ``start``, in working time when the operator counts it."""
        return self.working.add(start, within) if self.working else start + within

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """The time from ``start`` to ``end`` that counts (working time, or all of it)."""
        return self.working.between(start, end) if self.working else end - start

    @property
    def categories(self) -> tuple[str, ...]:
        """Every category a case can have (the lexicon's, and the default)."""
        names = self.lexicon.categories
        return names if self.default_category in names else (*names, self.default_category)

    @staticmethod
    def from_mapping(
        data: Mapping[str, object], lexicon: Lexicon, opinion: SecondOpinion | None = None
    ) -> Rules:
        """Build rules from the parsed routing file (see config/routing.toml) and a lexicon."""
        for moved in ("categories", "severity"):
            if moved in data:
                raise ValueError(
                    f"[{moved}] has moved to the triage lexicon (config/triage/<language>.toml); "
                    "remove it from the routing file"
                )
        defaults = _table(data, "defaults")
        targets = _table(data, "targets")
        rules = Rules(
            lexicon=lexicon,
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
                    update_every=timedelta(
                        days=_days_or(
                            _table(targets, level), "update_every_days", UPDATE_DAYS[level]
                        )
                    ),
                )
                for level in SEVERITIES
            },
            root_causes=_names(data, "root_causes", DEFAULT_ROOT_CAUSES),
            opinion=opinion,
            aftercare=Aftercare.from_mapping(_optional_table(data, "aftercare")),
        )
        # A typo in the file would otherwise be a rule that silently never matches.
        known = set(rules.categories)
        for route in rules.routes:
            if route.severity is not None and route.severity not in SEVERITIES:
                raise ValueError(f"route to {route.queue!r}: unknown severity {route.severity!r}")
            if route.category is not None and route.category not in known:
                raise ValueError(f"route to {route.queue!r}: unknown category {route.category!r}")
        for level, target in rules.targets.items():
            if target.warn_before >= target.respond_within:
                raise ValueError(f"[targets.{level}]: the reminder must come before the target")
        return rules


@dataclass(frozen=True, slots=True)
class Classification:
    """What the rules made of a complaint, and why (for the audit trail and for staff)."""

    category: str
    severity: str
    queue: str
    reasons: tuple[Reason, ...] = ()

    def reasons_data(self) -> list[dict[str, str]]:
        """The reasons in their stored (JSON) form."""
        return [reason.to_data() for reason in self.reasons]


def classify(text: str, rules: Rules, *, wishes: str = "") -> Classification:
    """Pick category, severity and queue for a complaint's whole text.

    ``wishes``: what the customer asked to be done. A hazard in it counts, but the category it
    names only when the complaint itself names none: "I want my money back" for a wardrobe
    door that came off is no billing complaint.
    """
    whole = _classified("\n".join(part for part in (text, wishes) if part), rules)
    if not wishes:
        return whole
    about = _classified(text, rules)
    if about.category in (rules.default_category, whole.category):
        return whole
    reasons = tuple(reason for reason in whole.reasons if reason.kind != "category")
    reasons += tuple(reason for reason in about.reasons if reason.kind == "category")
    return Classification(
        about.category, whole.severity, route(about.category, whole.severity, rules), reasons
    )


def _classified(text: str, rules: Rules) -> Classification:
    found = assess(text, rules.lexicon, rules.default_category, rules.opinion)
    severity, reasons = found.severity, found.reasons
    if rules.also is not None and severity != CRITICAL:
        hazards = tuple(
            reason
            for reason in assess(text, rules.also, rules.default_category).reasons
            if reason.kind == "severity"
            and reason.level == CRITICAL
            and not reason.note.startswith(MISREAD)
            and not _own_words(reason.words, rules.lexicon)
        )
        if hazards:
            severity, reasons = CRITICAL, reasons + hazards
    queue = route(found.category, severity, rules)
    return Classification(found.category, severity, queue, reasons)


def _own_words(words: str, lexicon: Lexicon) -> bool:
    """Whether the words mean something else in the customer's language ("pain" is bread,
    "exploser" is French's to judge, with its own exceptions)."""
    return any(word in lexicon.false_friends for word in words.split())


def route(category: str, severity: str, rules: Rules) -> str:
    """The staff queue for a category and severity: the first matching route wins."""
    for candidate in rules.routes:
        if candidate.category not in (None, category):
            continue
        if candidate.severity not in (None, severity):
            continue
        return candidate.queue
    return rules.default_queue


def _table(data: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = data.get(name)
    if not isinstance(value, Mapping):
        raise ValueError(f"[{name}] must be a table")
    return value


def _optional_table(data: Mapping[str, object], name: str) -> Mapping[str, object]:
    return _table(data, name) if name in data else {}


def _list(data: Mapping[str, object], name: str) -> Sequence[Mapping[str, object]]:
    value = data.get(name, [])
    if not isinstance(value, list):
        raise ValueError(f"[[{name}]] must be an array of tables")
    return value


def _names(data: Mapping[str, object], name: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = data.get(name, list(default))
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{name} must be a list of names")
    return tuple(value)


def _optional(table: Mapping[str, object], name: str) -> str | None:
    value = table.get(name)
    return None if value is None else str(value)


def _days_or(table: Mapping[str, object], name: str, default: float) -> float:
    value = table.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{name} must be a positive number of days")
    return float(value)


def _hours(table: Mapping[str, object], name: str) -> float:
    value = table.get(name)
    if not isinstance(value, int | float) or value <= 0:
        raise ValueError(f"{name} must be a positive number of hours")
    return float(value)
