"""The summary before registering: the answers lettered, and one menu as on every screen."""

from __future__ import annotations

from dataclasses import replace

from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, applicable, decision
from workflows.conversation import Conversation, Field, Mode
from workflows.dates import any_date
from workflows.effects import ChoiceSpec, Decision, Effect, Reply
from workflows.extraction import find_order_reference
from workflows.harvest import bare_contact, contact_in, email_in, name_in
from workflows.phrases import normalise
from workflows.questions import ask, ask_next
from workflows.registration import register

# On the summary a menu number means what it means on every other screen (1 = yes); the
# answers are lettered, and a letter says which one to change.
_LETTERS = "ABCDEFGHIJ"
SUMMARY_CHOICES = (ChoiceSpec("yes", "answer.register"), ChoiceSpec("change", "answer.change"))


def show_summary(conversation: Conversation, message: CustomerMessage, *before: Effect) -> Decision:
    """The answers so far, lettered, with the menu to register them or change one."""
    items = [
        _summary_item(letter, question, conversation.answer(question))
        for letter, question in zip(_LETTERS, _summary_fields(message), strict=False)
    ]
    confirming = replace(conversation, mode=Mode.CONFIRMING, asking=None, retries=0)
    shown = Reply("customer/summary", {"items": items}, choices=SUMMARY_CHOICES)
    return decision(confirming, *before, shown)


def _summary_fields(message: CustomerMessage) -> list[Field]:
    return [q for q in applicable(message) if q is not Field.CONSENT]


def _summary_item(letter: str, question: Field, value: str | None) -> dict[str, object]:
    item: dict[str, object] = {
        "letter": letter,
        "field": question.value,
        "value": value,
        "label": None,
    }
    if question is Field.OUTCOME and value is not None:
        choice, _, detail = value.partition(": ")
        item.update(label=f"outcome.{choice}", value=detail or None)
    return item


def confirm(
    conversation: Conversation,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """The customer's answer to the summary: register, change a letter, or say which."""
    stripped = text.strip().rstrip(".)").strip()
    if settings.vocab.says_yes(text):
        return register(conversation, message, context, settings)
    fields = _summary_fields(message)
    letters = _LETTERS[: len(fields)]
    if len(stripped) == 1 and stripped.upper() in letters:
        question = fields[letters.index(stripped.upper())]
        correcting = replace(
            conversation, mode=Mode.COLLECTING, asking=question, correcting=True, retries=0
        )
        return decision(correcting, ask(question, settings))
    # The menu's second choice here is "change something" (a bare "no" is explained).
    if stripped == "2" or normalise(text) in settings.vocab.change:
        which = Reply("customer/summary_which", {"first": letters[0], "last": letters[-1]})
        return decision(conversation, which)
    corrected = _corrected(conversation, text, message, context, settings)
    if corrected != conversation:
        return show_summary(corrected, message, Reply("customer/summary_corrected"))
    return show_summary(conversation, message, Reply("customer/summary_help"))


def _corrected(
    conversation: Conversation,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Conversation:
    """The answers with what a message at the summary puts right, in so many words: a day
    ("actually it was the 12th, not yesterday"), an email address or a number said to be
    theirs, an order number, a name introduced ("my name is Bea Jones")."""
    vocab = settings.vocab
    day = any_date(text, context.local_date(settings), vocab.dates)
    said = {
        Field.WHEN: day.value.isoformat() if day and day.valid and day.value else None,
        Field.CONTACT: contact_in(
            text, asked=False, cues=vocab.contact_cues, orders=vocab.order_words
        )
        or bare_contact(text)
        # An email address anywhere: on the summary, nobody sends the shop's.
        or email_in(text),
        Field.PRODUCT: find_order_reference(text, vocab),
        Field.NAME: name_in(text, vocab.name_intros, vocab.self_intros),
    }
    shown = _summary_fields(message)
    for question, value in said.items():
        if value is not None and question in shown:
            conversation = conversation.with_answer(question, value)
    return conversation


def next_question(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
    *before: Effect,
) -> Decision:
    """Ask the first question still unanswered, or show the summary when all are."""
    for question in applicable(message):
        if not conversation.answered(question):
            asking = replace(conversation, mode=Mode.COLLECTING, asking=question, retries=0)
            return decision(asking, *before, ask_next(question, conversation, context, settings))
    return show_summary(conversation, message, *before)
