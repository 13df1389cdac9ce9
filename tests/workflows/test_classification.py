"""Classification and routing with the shipped config/routing.toml and triage lexicon."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

import pytest

from workflows.classification import Rules, classify, route
from workflows.lexicon import Lexicon


@pytest.mark.parametrize(
    ("text", "category", "severity", "queue"),
    [
        (
            "My parcel never arrived and the courier says it was delivered",
            "delivery",
            "normal",
            "complaints",
        ),
        ("You charged me twice for the same order", "billing", "normal", "billing"),
        ("The kettle is faulty and stopped working", "product", "normal", "complaints"),
        ("The staff in the shop were rude and unhelpful", "service", "normal", "complaints"),
        (
            "You shared my personal data with a marketing company",
            "privacy",
            "normal",
            "data-protection",
        ),
        ("I am not happy", "general", "normal", "complaints"),
        ("", "general", "normal", "complaints"),
    ],
)
def test_complaints_get_the_category_severity_and_queue_the_rules_give(
    rules: Rules, text: str, category: str, severity: str, queue: str
) -> None:
    found = classify(text, rules)
    assert (found.category, found.severity, found.queue) == (category, severity, queue)


def test_an_injury_or_fire_is_critical_goes_to_the_urgent_queue_and_says_why(
    rules: Rules,
) -> None:
    found = classify("The heater caught fire and my son was injured", rules)
    assert found.severity == "critical"
    assert found.queue == "complaints-urgent"
    said = {(r.kind, r.rule, r.words) for r in found.reasons}
    assert ("severity", "fire, smoke or overheating", "caught fire") in said
    assert ("severity", "injury", "injured") in said


def test_critical_wins_over_the_category_route(rules: Rules) -> None:
    found = classify("You charged my card twice and this is fraud", rules)
    assert found.category == "billing"
    assert found.severity == "critical"
    assert found.queue == "complaints-urgent"


@pytest.mark.parametrize(
    "text",
    ["I will contact the ombudsman", "I am reporting this to the regulator", "I'm disabled"],
)
def test_threats_to_escalate_and_vulnerable_customers_are_high_severity(
    rules: Rules, text: str
) -> None:
    found = classify(text, rules)
    assert found.severity == "high"
    assert found.queue == "complaints"


def test_the_highest_severity_found_wins_and_every_reason_is_kept(rules: Rules) -> None:
    found = classify("I am elderly and the heater burnt my hand, I went to hospital", rules)
    assert found.severity == "critical"
    levels = {(r.level, r.words) for r in found.reasons if r.kind == "severity"}
    assert ("high", "elderly") in levels
    assert ("critical", "to hospital") in levels


def test_pressing_a_button_is_not_going_to_the_press(rules: Rules) -> None:
    assert classify("I had to press the button three times", rules).severity == "normal"
    assert classify("I will tell the press about this", rules).severity == "high"


def test_route_takes_the_first_matching_rule_or_the_default_queue(rules: Rules) -> None:
    assert route("privacy", "critical", rules) == "complaints-urgent"
    assert route("privacy", "high", rules) == "data-protection"
    assert route("billing", "normal", rules) == "billing"
    assert route("delivery", "high", rules) == "complaints"
    assert route("no-such-category", "normal", rules) == "complaints"


def test_the_categories_are_the_lexicons_and_the_default(rules: Rules) -> None:
    assert rules.categories == ("delivery", "billing", "product", "service", "privacy", "general")


def test_the_shipped_response_targets(rules: Rules) -> None:
    assert rules.targets["normal"].respond_within == timedelta(days=10)
    assert rules.targets["normal"].warn_before == timedelta(hours=48)
    assert rules.targets["high"].respond_within == timedelta(hours=72)
    assert rules.targets["critical"].respond_within == timedelta(hours=24)
    assert rules.targets["critical"].warn_before == timedelta(hours=6)
    for targets in rules.targets.values():
        assert timedelta(0) < targets.warn_before < targets.respond_within


def test_from_mapping_rejects_a_route_with_an_unknown_severity(
    routing_data: dict[str, Any], lexicon: Lexicon
) -> None:
    data = copy.deepcopy(routing_data)
    data["routes"].append({"severity": "urgent", "queue": "somewhere"})
    with pytest.raises(ValueError, match="urgent"):
        Rules.from_mapping(data, lexicon)


def test_from_mapping_rejects_a_route_to_a_category_that_does_not_exist(
    routing_data: dict[str, Any], lexicon: Lexicon
) -> None:
    data = copy.deepcopy(routing_data)
    data["routes"].append({"category": "biling", "queue": "billing"})
    with pytest.raises(ValueError, match="unknown category 'biling'"):
        Rules.from_mapping(data, lexicon)


@pytest.mark.parametrize("moved", ["categories", "severity"])
def test_an_old_routing_file_with_keywords_is_told_where_they_went(
    routing_data: dict[str, Any], lexicon: Lexicon, moved: str
) -> None:
    data = copy.deepcopy(routing_data)
    data[moved] = {"high": {"keywords": ["ombudsman"]}} if moved == "severity" else []
    with pytest.raises(ValueError, match=r"moved to the triage lexicon"):
        Rules.from_mapping(data, lexicon)


@pytest.mark.parametrize("hours", [0, -5, "24", None])
def test_from_mapping_rejects_a_response_target_that_is_not_a_positive_number(
    routing_data: dict[str, Any], lexicon: Lexicon, hours: object
) -> None:
    data = copy.deepcopy(routing_data)
    data["targets"]["high"]["respond_hours"] = hours
    with pytest.raises(ValueError, match="respond_hours"):
        Rules.from_mapping(data, lexicon)


def test_from_mapping_requires_targets_for_every_severity(
    routing_data: dict[str, Any], lexicon: Lexicon
) -> None:
    data = copy.deepcopy(routing_data)
    del data["targets"]["critical"]
    with pytest.raises(ValueError, match="critical"):
        Rules.from_mapping(data, lexicon)


def test_from_mapping_rejects_a_reminder_that_is_not_before_the_target(
    routing_data: dict[str, Any], lexicon: Lexicon
) -> None:
    data = copy.deepcopy(routing_data)
    data["targets"]["high"] = {"respond_hours": 24, "warn_hours_before": 24}
    with pytest.raises(ValueError, match=r"targets\.high"):
        Rules.from_mapping(data, lexicon)


def test_staff_see_the_complaints_own_words_for_its_category_not_the_wish(rules: Rules) -> None:
    found = classify("The wardrobe door came off its hinges", rules, wishes="I want my money back")
    assert (found.category, found.queue) == ("product", "complaints")
    assert {r.words for r in found.reasons if r.kind == "category"} == {"came off", "wardrobe"}
    # Without the complaint's own category, the wish's stands, with its words as the reason.
    wished = classify("I am not happy", rules, wishes="refund my call-out fee")
    assert (wished.category, wished.queue) == ("billing", "billing")
