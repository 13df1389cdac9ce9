"""A customer talking to the intake core, message by message, for the intake tests.

Each test plays a customer: it sends a message, keeps the conversation the core returns, and
sends the next one, with the real English vocabulary and the shipped routing rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workflows.cases import CaseView
from workflows.conversation import Conversation, Field, Mode
from workflows.effects import (
    Decision,
    OpenCase,
    Reply,
)
from workflows.intake import CustomerContext, CustomerMessage, IntakeSettings, decide_message
from workflows.references import ALPHABET

DESCRIPTION = "The kettle I bought stopped working after one use"
STANDARD_ANSWERS = {
    "customer/ask_description": DESCRIPTION,
    "customer/ask_product": "Kettle K200",
    "customer/ask_when": "14 March",
    "customer/ask_outcome": "1",
    "customer/ask_name": "Ana Silva",
    "customer/ask_contact": "ana@example.com",
    "customer/ask_consent": "yes",
}


@dataclass
class Chat:
    """One customer identity talking to the bot; keeps the conversation between messages."""

    settings: IntakeSettings
    now: datetime
    new_reference: str
    channel: str = "sms"
    lasting_address: bool = True
    display_name: str | None = None
    cases: tuple[CaseView, ...] = ()
    known_name: str | None = None
    known_contact: str | None = None
    consented_before: bool = False
    conversation: Conversation = field(default_factory=Conversation)
    # What this customer wrote in the intake under way, as the shell hands it to triage.
    earlier: list[str] = field(default_factory=list)

    def say(self, text: str, *, attachments: bool = False) -> Decision:
        """Send one message and keep the conversation the core hands back."""
        message = CustomerMessage(
            text=text,
            channel=self.channel,
            has_attachments=attachments,
            display_name=self.display_name,
            lasting_address=self.lasting_address,
        )
        context = CustomerContext(
            now=self.now,
            new_reference=self.new_reference,
            cases=self.cases,
            known_name=self.known_name,
            known_contact=self.known_contact,
            consented_before=self.consented_before,
            earlier_messages=tuple(self.earlier),
        )
        decision = decide_message(self.conversation, message, context, self.settings)
        assert decision.conversation is not None, "a customer message always leaves a state"
        self.conversation = decision.conversation
        if decision.conversation.mode in (Mode.COLLECTING, Mode.CONFIRMING):
            self.earlier.append(text)
        else:
            self.earlier.clear()
        return decision


def templates(decision: Decision) -> list[str]:
    """The customer templates replied, in order."""
    return [reply.template for reply in decision.of_type(Reply)]


def question(decision: Decision) -> Reply | None:
    """The question this decision asks, if any (at most one may be asked)."""
    asked = [
        reply for reply in decision.of_type(Reply) if reply.template.startswith("customer/ask_")
    ]
    assert len(asked) <= 1, f"asked more than one question: {asked}"
    return asked[0] if asked else None


def asked(decision: Decision) -> str | None:
    found = question(decision)
    return found.template if found else None


def reply(decision: Decision, template: str) -> Reply:
    matching = [r for r in decision.of_type(Reply) if r.template == template]
    assert len(matching) == 1, f"expected one {template} in {templates(decision)}"
    return matching[0]


def summary(decision: Decision) -> dict[str, dict[str, object]]:
    """The summary's items by field name."""
    items = reply(decision, "customer/summary").context["items"]
    assert isinstance(items, list)
    return {str(item["field"]): item for item in items}


def opened(decision: Decision) -> OpenCase:
    cases = decision.of_type(OpenCase)
    assert len(cases) == 1, f"expected one case opened, effects: {decision.effects}"
    return cases[0]


def answer_until_summary(
    chat: Chat, decision: Decision, answers: dict[str, str] | None = None
) -> Decision:
    """Answer each question asked from ``answers`` until the summary is shown."""
    answers = {**STANDARD_ANSWERS, **(answers or {})}
    for _ in range(len(Field) + 1):
        pending = asked(decision)
        if pending is None:
            break
        decision = chat.say(answers[pending])
    assert templates(decision)[-1] == "customer/summary", templates(decision)
    return decision


def advance_to(chat: Chat, template: str) -> Decision:
    """Start a complaint and answer as a customer would until ``template`` is asked."""
    decision = chat.say("Hello")
    for _ in range(len(Field) + 1):
        pending = asked(decision)
        if pending == template:
            return decision
        assert pending is not None, f"{template} was never asked"
        decision = chat.say(STANDARD_ANSWERS[pending])
    raise AssertionError(f"{template} was never asked")


def reach_summary(chat: Chat, first: str = "Hello") -> Decision:
    return answer_until_summary(chat, chat.say(first))


def mistype(reference: str) -> str:
    """The reference with its first random symbol changed to another of the alphabet."""
    position = reference.index("-") + 1
    symbol = reference[position]
    other = ALPHABET[(ALPHABET.index(symbol) + 1) % len(ALPHABET)]
    return reference[:position] + other + reference[position + 1 :]
