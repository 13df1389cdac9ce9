"""Where staff notices go: each queue's destinations, and the escalation destination.

Read from ``config/staff.toml``. Without Slack configured every notice goes to the staff feed,
so a queue is never left with nowhere to go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

SLACK = "slack"
STAFF_FEED = "staff-feed"
_SLACK_CHANNEL = re.compile(r"^[CG][A-Z0-9]{6,}$")
_SLACK_GROUP = re.compile(r"^S[A-Z0-9]{6,}$")
_QUEUE_KEYS = frozenset({"slack", "feed"})
_ESCALATION_KEYS = frozenset({"slack", "feed", "feed_queue", "mention"})
_TOP_KEYS = frozenset({"defaults", "queues", "escalation", "slack"})


@dataclass(frozen=True, slots=True)
class Destination:
    """One place a staff notice is written: a channel ("slack", "staff-feed") and an address."""

    channel: str
    address: str


@dataclass(frozen=True, slots=True)
class QueueDestinations:
    """Where one queue's notices go (before Slack being on or off is taken into account)."""

    slack: str | None = None
    feed: bool = True


@dataclass(frozen=True)
class StaffDestinations:
    """The operator's mapping from queues to destinations, and who is called on escalation."""

    queues: Mapping[str, QueueDestinations] = field(default_factory=dict)
    default_feed: bool = True
    escalation_slack: str | None = None
    escalation_feed: bool = True
    escalation_feed_queue: str = "escalations"
    mention: str | None = None
    staff_group: str | None = None
    # Whether the Slack console is configured in this process: if not, Slack is skipped.
    slack_on: bool = False

    def for_queue(self, queue: str) -> list[Destination]:
        """Where a notice for ``queue`` goes."""
        found = self.queues.get(queue, QueueDestinations(None, self.default_feed))
        slack = found.slack if self.slack_on else None
        out = [Destination(SLACK, slack)] if slack else []
        if found.feed or not out:
            out.append(Destination(STAFF_FEED, queue))
        return out

    def for_escalation(self) -> list[Destination]:
        """Where escalations go (besides the case's own queue)."""
        slack = self.escalation_slack if self.slack_on else None
        out = [Destination(SLACK, slack)] if slack else []
        if self.escalation_feed or not out:
            out.append(Destination(STAFF_FEED, self.escalation_feed_queue))
        return out

    def slack_channel(self, queue: str) -> str | None:
        """The Slack channel of a queue, when Slack is on and the queue has one."""
        found = self.queues.get(queue)
        return found.slack if found is not None and self.slack_on else None

    def slack_channels(self) -> list[str]:
        """Every Slack channel the app must be in (queues and escalation)."""
        if not self.slack_on:
            return []
        named = [q.slack for q in self.queues.values() if q.slack] + [self.escalation_slack]
        return sorted({name for name in named if name})

    @staticmethod
    def from_mapping(data: Mapping[str, object], *, slack_on: bool) -> StaffDestinations:
        """Build from the parsed staff file; unknown keys and malformed ids are errors."""
        _known(data, _TOP_KEYS, "the file")
        defaults = _table(data, "defaults")
        queues: dict[str, QueueDestinations] = {}
        for name, value in _table(data, "queues").items():
            if not isinstance(value, Mapping):
                raise ValueError(f"[queues.{name}] must be a table")
            _known(value, _QUEUE_KEYS, f"[queues.{name}]")
            queues[name] = QueueDestinations(
                _id(value.get("slack"), _SLACK_CHANNEL, f"[queues.{name}] slack", "C"),
                _flag(value, "feed", f"[queues.{name}]"),
            )
        escalation = _table(data, "escalation")
        _known(escalation, _ESCALATION_KEYS, "[escalation]")
        slack = _table(data, "slack")
        _known(slack, frozenset({"staff_group"}), "[slack]")
        feed_queue = str(escalation.get("feed_queue") or "escalations")
        return StaffDestinations(
            queues=queues,
            default_feed=_flag(defaults, "feed", "[defaults]"),
            escalation_slack=_id(
                escalation.get("slack"), _SLACK_CHANNEL, "[escalation] slack", "C"
            ),
            escalation_feed=_flag(escalation, "feed", "[escalation]"),
            escalation_feed_queue=feed_queue,
            mention=_id(escalation.get("mention"), _SLACK_GROUP, "[escalation] mention", "S"),
            staff_group=_id(slack.get("staff_group"), _SLACK_GROUP, "[slack] staff_group", "S"),
            slack_on=slack_on,
        )


def _known(table: Mapping[str, object], keys: frozenset[str], where: str) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        known = ", ".join(sorted(keys))
        raise ValueError(f"{where}: unknown {', '.join(unknown)} (known: {known})")


def _table(data: Mapping[str, object], name: str) -> Mapping[str, object]:
    value = data.get(name, {})
    if not isinstance(value, Mapping):
        raise ValueError(f"[{name}] must be a table")
    return value


def _flag(table: Mapping[str, object], name: str, where: str) -> bool:
    value = table.get(name, True)
    if not isinstance(value, bool):
        raise ValueError(f"{where} {name} must be true or false")
    return value


def _id(value: object, shape: re.Pattern[str], where: str, first: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not shape.match(value):
        raise ValueError(
            f"{where}: {value!r} is not a Slack id (it starts with {first}, capital letters and "
            "digits; a #name will not do, as names change)"
        )
    return value
