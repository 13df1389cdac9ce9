"""How well the intake understands whole conversations written the way customers write.

The labelled conversations are in tests/workflows/conversation_data/ (see its README): a first
message, how the customer would answer each question if asked, and the record a careful
officer would write down. Each is run through the real workflow (the customer answers
whatever is asked, and says yes at the summary), and the registered case is compared field
by field. A quarter (every id divisible by four) is held out: never read to tune the
workflow. Run with ``-s`` to print the per-field table.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.chat import Chat, templates
from workflows.context import IntakeSettings
from workflows.effects import Decision, OpenCase
from workflows.vocabulary import Vocabulary

DATA = Path(__file__).parent / "conversation_data" / "conversations.jsonl"
FIELDS = ("product", "when", "outcome", "name", "contact")
# Consent taken as the customer meant it at their first answer: a yes registers, a question or
# a hesitation is asked again (then they say "yes"), a refusal stops the complaint.
CONSENT = "consent"
# Where the figures stand, less a margin (one conversation in 210 is 0.5%): a change that
# understands customers worse fails here. How each floor came to be, round by round, with the
# figures before and after each set of conversations joined: conversation_data/HISTORY.md.
# Issue 14's goal on held-out conversations is 95% for contact, outcome and date. Raise
# these; never lower them to make a change pass.
FLOOR: dict[str, dict[str, float]] = {
    "tuning": {
        "product": 0.975,
        "when": 0.937,
        "outcome": 0.98,
        "name": 0.995,
        "contact": 0.99,
        "consent": 0.985,
    },
    "held-out": {
        "product": 0.975,
        "when": 0.895,
        "outcome": 0.895,
        "name": 0.995,
        "contact": 0.98,
        "consent": 0.93,
    },
}


@dataclass(frozen=True)
class Labelled:
    """One conversation and the record it should produce."""

    id: str
    channel: str
    first: str
    answers: dict[str, str]
    expect: dict[str, Any]
    language: str = "en"

    @property
    def consent(self) -> str:
        """What the first answer to the consent question says: "yes" (the default), "unclear"
        (a question or a hesitation: to be asked again) or "refused" (to stop there)."""
        return str(self.expect.get(CONSENT, "yes"))

    @property
    def held_out(self) -> bool:
        """Every fourth conversation is kept out of tuning."""
        return int(self.id.lstrip("v")) % 4 == 0


def load() -> list[Labelled]:
    """Every labelled conversation."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line]
    return [
        Labelled(
            row["id"],
            row["channel"],
            row["first"],
            row["answers"],
            row["expect"],
            row.get("language", "en"),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Run:
    """How a conversation ended: the case it registered, if any, and how consent went."""

    case: OpenCase | None
    consent_asks: int
    refused: bool


def run(item: Labelled, chat: Chat) -> Run:
    """Hold the conversation: answer what is asked, say yes at the summary.

    Consent is answered in the customer's words. Asked again ("Please answer yes or no"), a
    customer who refused says so again and one who hesitated says "yes", as that message asks.
    """
    decision: Decision = chat.say(item.first)
    asks = 0
    refused = False
    for _ in range(12):
        opened = decision.of_type(OpenCase)
        if opened:
            break
        said = templates(decision)
        refused = refused or "customer/consent_refused" in said
        asked = next((t for t in reversed(said) if t.startswith("customer/ask_")), None)
        if asked == "customer/ask_consent":
            asks += 1
            first = item.answers.get("consent") or "yes"
            again = first if item.consent == "refused" else "yes"
            decision = chat.say(first if asks == 1 else again)
        elif asked is not None:
            field = asked.removeprefix("customer/ask_")
            decision = chat.say(item.answers.get(field) or "skip")
        elif "customer/summary" in said:
            decision = chat.say("1")  # "register it" (1 is yes on every menu, in any language)
        elif "customer/confirm_request" in said:
            decision = chat.say("2")
        else:
            break
    opened = decision.of_type(OpenCase)
    return Run(opened[0] if opened else None, asks, refused)


def consent_right(item: Labelled, ran: Run) -> bool:
    """Whether consent went as the customer meant it: a yes registers at the first answer, a
    question or hesitation is asked again, a refusal stops the complaint (a bare "no" after
    one word on why consent is needed) and registers nothing."""
    if item.consent == "refused":
        return ran.refused and ran.case is None
    if item.consent == "unclear":
        return ran.consent_asks > 1 and not ran.refused
    return ran.consent_asks == 1


def recorded(case: OpenCase | None) -> dict[str, object]:
    """The fields of the registered case, in the labels' terms."""
    if case is None:
        return dict.fromkeys(FIELDS)
    details = case.details
    return {
        "product": details.product,
        "when": details.occurred_on.isoformat() if details.occurred_on else None,
        "outcome": (details.outcome or "").partition(":")[0] or None,
        "name": details.customer_name,
        "contact": details.contact,
    }


def agrees(field: str, found: object, wanted: object) -> bool:
    """Whether the case holds what the officer wrote (names and products loosely)."""
    if wanted is None:
        return found is None or field in {"name", "product"}
    if found is None:
        return False
    if field in {"product", "name"}:
        # Loosely: "la suscripcion premium" records the "suscripción premium" it was about.
        return _folded(str(wanted)) in _folded(str(found))
    if field == "contact":
        return _squeezed(str(found)) == _squeezed(str(wanted))
    return str(found) == str(wanted)


def _folded(text: str) -> str:
    """Lower case without accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _squeezed(text: str) -> str:
    return "".join(text.lower().split())


def score(
    items: list[Labelled], make_chat: Callable[[Labelled], Chat]
) -> tuple[dict[str, float], list[str]]:
    """Per-field accuracy, and what went wrong where.

    A conversation whose customer refuses consent should register nothing: its fields are not
    scored, only that it stopped.
    """
    right: Counter[str] = Counter()
    misses: list[str] = []
    asked = understood = 0
    scored = [item for item in items if item.consent != "refused"]
    for item in items:
        ran = run(item, make_chat(item))
        if ran.consent_asks:
            asked += 1
            if consent_right(item, ran):
                understood += 1
            else:
                answer = item.answers.get("consent")
                misses.append(f"{item.id} consent ({item.consent}) not understood: {answer!r}")
        if item.consent == "refused":
            continue
        found = recorded(ran.case)
        for field in FIELDS:
            if agrees(field, found[field], item.expect.get(field)):
                right[field] += 1
            else:
                misses.append(f"{item.id} {field}: {found[field]!r}, wanted {item.expect[field]!r}")
    accuracy = {field: right[field] / len(scored) for field in FIELDS}
    # Of the conversations asked for consent, those whose first answer was taken as meant.
    accuracy[CONSENT] = understood / asked if asked else 1.0
    return accuracy, misses


@pytest.mark.parametrize("part", ["tuning", "held-out"])
def test_the_intake_records_what_customers_said(
    part: str,
    intake_settings: IntakeSettings,
    vocabularies: dict[str, Vocabulary],
    now: datetime,
    new_reference: Callable[[], str],
) -> None:
    items = [item for item in load() if item.held_out == (part == "held-out")]
    assert len(items) >= 40

    def make_chat(item: Labelled) -> Chat:
        return Chat(
            settings=replace(intake_settings, vocab=vocabularies[item.language]),
            now=now,
            new_reference=new_reference(),
            channel=item.channel,
            lasting_address=item.channel != "console",
        )

    accuracy, misses = score(items, make_chat)
    print(f"\n{part}: {len(items)} conversations")
    for field in (*FIELDS, CONSENT):
        print(f"  {field:<8} {accuracy[field]:6.1%}")
    floor = FLOOR[part]
    assert all(accuracy[f] >= floor[f] for f in (*FIELDS, CONSENT)), "\n".join(misses)


def test_a_quarter_of_the_conversations_are_held_out() -> None:
    items = load()
    assert len(items) >= 150
    assert sum(item.held_out for item in items) / len(items) >= 0.25


def test_every_label_is_complete() -> None:
    outcomes = {"refund", "replacement", "repair", "explanation", "apology", "other"}
    for item in load():
        assert set(FIELDS) <= set(item.expect), item.id
        assert item.expect["outcome"] in outcomes, item.id
        assert item.consent in {"yes", "unclear", "refused"}, item.id
        assert item.channel in {"console", "sms"}, item.id
        assert item.language in {"en", "fr", "de", "es"}, item.id
        assert isinstance(item.answers, dict), item.id
        assert all(isinstance(v, str) for v in item.answers.values()), item.id
