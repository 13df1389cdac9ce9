"""The slow, whole conversation of email: register at once, ask what is missing in one list.

A customer who writes an email has usually said most of it already. The case opens from the
first message; the acknowledgement carries the reference and asks every missing question at
once, numbered. Each reply is read for answers, numbered or not; what is still missing is asked
again once, and after that the case simply goes on without it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from workflows.cases import CaseView
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, decision
from workflows.conversation import OPTIONAL, Conversation, Field, Mode
from workflows.dates import certain_date
from workflows.effects import (
    AttachMessage,
    ChangeStatus,
    Decision,
    Effect,
    NotifyStaff,
    RecordEvent,
    Regrade,
    Reply,
    UpdateCase,
)
from workflows.extraction import find_order_reference
from workflows.grading import follow_up_graded, raised_by
from workflows.lifecycle import CaseStatus
from workflows.phrases import normalise
from workflows.questions import (
    OUTCOMES,
    accept,
    fallback,
    prefill,
    take_description,
    with_wish_words,
)
from workflows.registration import case_fields, register

# What email asks for after registering (the description is the email itself; the address
# it came from is the way to reach the customer).
ASKED = (Field.PRODUCT, Field.WHEN, Field.OUTCOME, Field.NAME, Field.CONSENT)
_NUMBERED = re.compile(r"^\s*(\d{1,2})\s*[.):-]\s*(.*\S)\s*$")


def start(
    text: str, message: CustomerMessage, context: CustomerContext, settings: IntakeSettings
) -> Decision:
    """Register a complaint from its first email and ask for what it does not say."""
    conversation = prefill(
        Conversation(mode=Mode.COLLECTING, started_at=context.now), message, context
    )
    description = text or message.subject
    if description:
        conversation = take_description(conversation, description, context, settings)
    outcome = settings.vocab.wished_outcome(text)
    if outcome is not None:
        sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
        worded = with_wish_words(outcome, sentences, settings.vocab)
        conversation = conversation.with_answer(Field.OUTCOME, worded)
    missing = _missing(conversation, description)
    registered = register(conversation, message, context, settings, _questions(missing))
    if not missing:
        return registered
    enriching = replace(
        conversation,
        mode=Mode.ENRICHING,
        case_reference=context.new_reference,
        pending=missing,
        asking=None,
        retries=0,
    )
    return Decision(registered.effects, enriching)


def enrich(
    conversation: Conversation,
    case: CaseView,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """Take what a reply answers of the pending questions; ask again once for the rest."""
    if Field.CONSENT in conversation.pending and _refused(conversation, text, settings):
        return _consent_refused(case, text)
    found = _answers(conversation, text, context, settings)
    updated = conversation
    for question, value in found.items():
        updated = updated.with_answer(question, value)
    still = tuple(question for question in conversation.pending if question not in found)
    facts: dict[str, object] = {"reference": case.reference, "questions": _questions(still)}
    if not found:
        following = follow_up_graded(case, text, message.channel, settings.rules, context.now)
        if conversation.retries or not still:
            return decision(Conversation(), *following)
        # The reply answered nothing: list what is missing once more, then stop asking.
        again = [e for e in following if not isinstance(e, Reply)]
        return decision(
            replace(conversation, retries=1), *again, Reply("customer/details_still_missing", facts)
        )
    names = [question.value for question in found]
    raised, moved, _ = raised_by(case, text, settings.rules, context.now)
    if moved:
        facts["due_at"] = next(e.due_at for e in raised if isinstance(e, Regrade))
    queue = next((e.queue for e in raised if isinstance(e, Regrade)), case.queue)
    effects: list[Effect] = [
        *raised,
        AttachMessage(case.reference),
        UpdateCase(case.reference, case_fields(updated, tuple(found))),
        RecordEvent(case.reference, "details_added", {"fields": names}),
        NotifyStaff(
            queue,
            "staff/case_details_added",
            {"reference": case.reference, "fields": names, "text": text[:500]},
            case.reference,
        ),
    ]
    if still and not conversation.retries:
        effects.append(Reply("customer/details_still_missing", facts))
        return decision(replace(updated, pending=still, retries=1), *effects)
    effects.append(Reply("customer/details_complete", facts))
    return decision(Conversation(), *effects)


# Words in an unnumbered line that can only be an answer to the consent question.
_SHORT = 6


def _refused(conversation: Conversation, text: str, settings: IntakeSettings) -> bool:
    """Whether a reply says no to the consent question (numbered, or in its own words)."""
    number = conversation.pending.index(Field.CONSENT) + 1
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            continue  # quoted: what we wrote
        match = _NUMBERED.match(line)
        if match is not None and int(match[1]) != number:
            continue  # the answer to another question
        vocab = settings.vocab
        if match is not None:
            # The consent question's own answer: "No, I do not agree, delete my data".
            if vocab.refuses(match[2]) or normalise(match[2]).split()[:1] == ["no"]:
                return True
        elif (
            vocab.is_no(line)
            or vocab.refuses_explicitly(line)
            or (vocab.refuses(line) and len(line.split()) <= _SHORT)
        ):
            # Unnumbered, "I don't agree" is a refusal only as a short line of its own ("I
            # don't agree with the engineer's report" is about the complaint).
            return True
    return False


def _consent_refused(case: CaseView, text: str) -> Decision:
    """The customer will not let us keep their details: the case stops, and everyone is told."""
    facts = {"reference": case.reference}
    return decision(
        Conversation(),
        AttachMessage(case.reference),
        RecordEvent(case.reference, "consent_refused", {"text": text[:500]}),
        ChangeStatus(case.reference, CaseStatus.WITHDRAWN, note="consent refused by the customer"),
        Reply("customer/consent_refused", facts),
        NotifyStaff(case.queue, "staff/case_consent_refused", facts, case.reference),
    )


def _missing(conversation: Conversation, description: str) -> tuple[Field, ...]:
    asked = ASKED if description else (Field.DESCRIPTION, *ASKED)
    return tuple(question for question in asked if not conversation.answered(question))


def _questions(fields: tuple[Field, ...]) -> list[dict[str, object]]:
    """The numbered questions as template data (the words are in the templates)."""
    return [
        {
            "number": number,
            "field": question.value,
            "choices": [f"outcome.{value}" for value in OUTCOMES]
            if question is Field.OUTCOME
            else [],
        }
        for number, question in enumerate(fields, start=1)
    ]


def _answers(
    conversation: Conversation, text: str, context: CustomerContext, settings: IntakeSettings
) -> dict[Field, str]:
    """Answers to pending questions: by their number first, then found in the free text."""
    pending = conversation.pending
    found: dict[Field, str] = {}
    # Quoted lines are what we or someone else wrote, never the customer's answer.
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    for line in text.splitlines():
        match = _NUMBERED.match(line)
        if match is None or not 1 <= int(match[1]) <= len(pending):
            continue
        question = pending[int(match[1]) - 1]
        answer = match[2]
        if question in OPTIONAL and settings.vocab.is_skip(answer):
            continue
        value = accept(question, answer, replace(conversation, retries=1), context, settings)
        if value is None and question is not Field.CONSENT:
            value = fallback(question, answer)
        if value is not None:
            found[question] = value
    vocab = settings.vocab
    for question in pending:
        if question in found:
            continue
        if question is Field.PRODUCT:
            value = find_order_reference(text, vocab)
        elif question is Field.WHEN:
            date = certain_date(text, context.local_date(settings), vocab.dates)
            value = date.value.isoformat() if date and date.valid and date.value else None
        elif question is Field.OUTCOME:
            value = vocab.outcome_in(text)
        elif question is Field.CONSENT:
            agreed = any(normalise(line) in vocab.yes for line in text.splitlines())
            value = "yes" if agreed else None
        else:
            value = None  # a name or a description is only taken when numbered
        if value is not None:
            found[question] = value
    return found
