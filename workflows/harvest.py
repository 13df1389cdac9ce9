"""Reading a message for everything it says, whatever question is pending.

Customers answer out of order: asked which product, they write "It was last Friday, and I'd
like an apology"; asked how to reach them, "I already told you, bea.jones@example.net".
Every message is read for the facts that fit an unanswered question (a contact, a date, an
order number, the outcome wanted), and a fact only ever goes where it fits: a contact is an
email address or a phone number, never "yes".
"""

from __future__ import annotations

import re

from workflows.context import CustomerContext, IntakeSettings
from workflows.conversation import Conversation, Field
from workflows.extraction import find_date, find_order_reference
from workflows.questions import MAX_CONTACT_LENGTH, MAX_NAME_LENGTH, parse_outcome

_EMAIL_IN = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")
# "My name is Bea Jones": a name the customer gives in passing (capitalised words only).
_NAME_IN = re.compile(r"\bmy name is ((?:[A-Z][\w'-]+)(?: [A-Z][\w'-]+){0,3})")
# A phone number: 10 to 15 digits, optionally with + and the usual separators.
_PHONE_IN = re.compile(r"(?<![\w+])\+?\d[\d ().-]{8,20}\d(?!\w)")


def contact_in(text: str) -> str | None:
    """An email address or phone number written anywhere in a message."""
    email = _EMAIL_IN.search(text)
    if email is not None:
        return email.group(0)[:MAX_CONTACT_LENGTH]
    for match in _PHONE_IN.finditer(text):
        digits = sum(character.isdigit() for character in match.group(0))
        if 10 <= digits <= 15:
            return match.group(0).strip()
    return None


def harvest(
    conversation: Conversation,
    text: str,
    context: CustomerContext,
    settings: IntakeSettings,
    *,
    besides: Field | None = None,
) -> Conversation:
    """Fill every unanswered question (other than ``besides``) that the message answers."""
    updated = conversation

    def open_(question: Field) -> bool:
        return question is not besides and not updated.answered(question)

    if open_(Field.NAME) or (besides is not Field.NAME and _NAME_IN.search(text)):
        named = _NAME_IN.search(text)
        if named is not None:
            # Said in so many words, it wins over a display name guessed from the channel.
            updated = updated.with_answer(Field.NAME, named.group(1)[:MAX_NAME_LENGTH])
    if open_(Field.CONTACT):
        contact = contact_in(text)
        if contact is not None:
            updated = updated.with_answer(Field.CONTACT, contact)
    if open_(Field.WHEN):
        found = find_date(text, context.local_date(settings), settings.vocab)
        if found is not None and found.valid and found.value is not None:
            updated = updated.with_answer(Field.WHEN, found.value.isoformat())
    if open_(Field.PRODUCT):
        order = find_order_reference(text, settings.vocab)
        if order:
            updated = updated.with_answer(Field.PRODUCT, order)
    if open_(Field.OUTCOME):
        wished = settings.vocab.wished_outcome(text)
        if wished is not None:
            updated = updated.with_answer(
                Field.OUTCOME, parse_outcome(text, settings.vocab) or wished
            )
    return updated


def answers_something_else(
    conversation: Conversation, text: str, context: CustomerContext, settings: IntakeSettings
) -> bool:
    """Whether a message meant for one question answered another one instead."""
    return harvest(conversation, text, context, settings) != conversation
