"""What the intake conversation is given: settings, the message, what the shell knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from workflows.cases import CaseView
from workflows.classification import Rules
from workflows.conversation import Conversation, Field
from workflows.effects import (
    Decision,
    Effect,
)
from workflows.sender_trust import SenderAuthentication
from workflows.vocabulary import Vocabulary


@dataclass(frozen=True)
class IntakeSettings:
    """What the operator configures about the conversation."""

    vocab: Vocabulary
    rules: Rules
    reference_prefix: str
    max_message_length: int = 5000
    min_description_words: int = 4
    # The organisation's timezone: "yesterday" and "last Monday" are read in it.
    timezone: tzinfo = UTC
    # A customer who writes again after this long mid-complaint is reminded where they were.
    resume_after: timedelta = timedelta(hours=6)
    # A customer silent this long mid-complaint is reminded once; after ``give_up_after`` the
    # complaint is registered as incomplete (or, with nothing to go on, set aside).
    remind_after: timedelta = timedelta(hours=24)
    give_up_after: timedelta = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class CustomerMessage:
    """One message from a customer, as the channel adapter normalised it."""

    text: str
    channel: str
    has_attachments: bool = False
    display_name: str | None = None
    # False where the channel gives no address to reach the customer later (the terminal).
    lasting_address: bool = True
    # True where a conversation is slow and whole (email): register at once, ask everything
    # missing in one numbered list, take what each reply gives.
    batch: bool = False
    subject: str = ""
    # Sent by a machine (an auto-reply, a list): never answered, never opens a case.
    automated: bool = False
    # Email: whether the sender is proven to be who From says (None: the channel proves it).
    sender: SenderAuthentication | None = None


@dataclass(frozen=True)
class CustomerContext:
    """What the shell knows about the sender when the message arrives."""

    now: datetime
    new_reference: str
    cases: tuple[CaseView, ...] = ()
    known_name: str | None = None
    known_contact: str | None = None
    consented_before: bool = False
    # The case the provider's own threading points at (email In-Reply-To/References), whoever
    # owns it: the core checks it against ``cases`` before trusting it.
    thread_reference: str | None = None
    # What the customer wrote earlier in the intake still going on (oldest first): triage
    # reads the whole complaint, not only the answers kept.
    earlier_messages: tuple[str, ...] = ()

    def local_date(self, settings: IntakeSettings) -> date:
        """The customer's today, in the organisation's timezone."""
        return self.now.astimezone(settings.timezone).date()


def decision(conversation: Conversation, *effects: Effect) -> Decision:
    """A decision keeping ``conversation`` with ``effects`` in order."""
    return Decision(tuple(effects), conversation)


def applicable(message: CustomerMessage) -> list[Field]:
    """The questions that apply on this message's channel, in order."""
    return [q for q in Field if q is not Field.CONTACT or not message.lasting_address]
