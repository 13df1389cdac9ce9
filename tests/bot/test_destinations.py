"""Where each queue's staff notices go (config/staff.toml)."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from bot.destinations import StaffDestinations
from bot.settings import PROJECT_ROOT

MAPPED: dict[str, Any] = {
    "queues": {
        "complaints": {"slack": "C0QUEUE01", "feed": False},
        "billing": {"slack": "C0BILLING", "feed": True},
    },
    "escalation": {"slack": "C0ESCAL01", "feed": False, "mention": "S0ONCALL1"},
    "slack": {"staff_group": "S0STAFF01"},
}


def where(destinations: list[Any]) -> list[tuple[str, str]]:
    return [(d.channel, d.address) for d in destinations]


def test_each_queue_goes_where_the_operator_says() -> None:
    staff = StaffDestinations.from_mapping(MAPPED, slack_on=True)
    assert where(staff.for_queue("complaints")) == [("slack", "C0QUEUE01")]
    assert where(staff.for_queue("billing")) == [("slack", "C0BILLING"), ("staff-feed", "billing")]
    assert where(staff.for_queue("unmapped")) == [("staff-feed", "unmapped")]
    assert where(staff.for_escalation()) == [("slack", "C0ESCAL01")]
    assert staff.slack_channels() == ["C0BILLING", "C0ESCAL01", "C0QUEUE01"]


def test_without_slack_every_notice_goes_to_the_staff_feed() -> None:
    staff = StaffDestinations.from_mapping(MAPPED, slack_on=False)
    assert where(staff.for_queue("complaints")) == [("staff-feed", "complaints")]
    assert where(staff.for_escalation()) == [("staff-feed", "escalations")]
    assert staff.slack_channels() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"queues": {"complaints": {"slack": "#complaints"}}}, "not a Slack id"),
        ({"queues": {"complaints": {"slak": "C0QUEUE01"}}}, "unknown slak"),
        ({"escalation": {"mention": "@oncall"}}, "starts with S"),
        ({"queues": {"complaints": {"feed": "yes"}}}, "true or false"),
        ({"routes": []}, "unknown routes"),
    ],
)
def test_a_mistake_in_the_file_is_a_clear_error(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        StaffDestinations.from_mapping(data, slack_on=True)


def test_the_shipped_file_loads_and_keeps_everything_on_the_feed_until_mapped() -> None:
    with (PROJECT_ROOT / "config" / "staff.toml").open("rb") as handle:
        staff = StaffDestinations.from_mapping(tomllib.load(handle), slack_on=True)
    for queue in ("complaints", "complaints-urgent", "data-protection", "billing"):
        assert where(staff.for_queue(queue)) == [("staff-feed", queue)]
