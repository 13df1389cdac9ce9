"""The intake conversation: which question next, what answers are valid, what is known."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from workflows.cases import CaseView, follow_up, open_cases
from workflows.classification import Rules, classify
from workflows.conversation import OPTIONAL, Conversation, Field, Mode
from workflows.effects import (
    CaseDetails,
    ChangeStatus,
    ChoiceSpec,
    Decision,
    Effect,
    NotifyStaff,
    OpenCase,
    RecordEvent,
    Reply,
    ScheduleTimer,
)
from workflows.extraction import clean_text, find_date, find_order_reference, looks_like_contact
from workflows.lifecycle import CaseStatus
from workflows.references import ReferenceCheck, find_references, parse_reference
from workflows.vocabulary import Command, Vocabulary, normalise

OUTCOMES = ("refund", "replacement", "repair", "explanation", "apology", "other")
MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class IntakeSettings:
    """What the operator configures about the conversation."""

    vocab: Vocabulary
    rules: Rules
    reference_prefix: str
    max_message_length: int = 5000
    min_description_words: int = 4


@dataclass(frozen=True, slots=True)
class CustomerMessage:
    """One message from a customer, as the channel adapter normalised it."""

    text: str
    channel: str
    has_attachments: bool = False
    display_name: str | None = None
    # False where the channel gives no address to reach the customer later (the terminal).
    lasting_address: bool = True


@dataclass(frozen=True)
class CustomerContext:
    """What the shell knows about the sender when the message arrives."""

    now: datetime
    new_reference: str
    cases: tuple[CaseView, ...] = ()
    known_name: str | None = None
    known_contact: str | None = None
    consented_before: bool = False


def decide_message(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """Decide what to do with one customer message."""
    text = clean_text(message.text)
    if len(text) > settings.max_message_length:
        limit = {"limit": settings.max_message_length, "length": len(text)}
        return _decision(conversation, Reply("customer/too_long", limit))
    command = settings.vocab.command_in(text) if text else None
    if command is not None:
        return _command(conversation, command[0], command[1], message, context, settings)
    if _looks_like_a_command(text) and normalise(text) not in settings.vocab.greetings:
        unknown = Reply("customer/unknown_command", {"command": text.split()[0][:40]})
        return _decision(conversation, unknown, *_reask(conversation, settings))
    if not text and not message.has_attachments:
        return _decision(
            conversation, Reply("customer/empty_message"), *_reask(conversation, settings)
        )
    if conversation.mode is Mode.COLLECTING:
        return _collect(conversation, text, message, context, settings)
    if conversation.mode is Mode.CONFIRMING:
        return _confirm(conversation, text, message, context, settings)
    if conversation.mode is Mode.CONFIRMING_WITHDRAWAL:
        return _confirm_withdrawal(conversation, text, context, settings)
    return _idle(text, message, context, settings)


def _looks_like_a_command(text: str) -> bool:
    """A chat-style command ("/foo") the vocabulary does not know; greetings are handled as such."""
    words = text.split()
    return (
        len(words) == 1
        and len(text) > 1
        and text.startswith("/")
        and text[1].isalpha()
        and "/" not in text[1:]
    )


def _idle(
    text: str, message: CustomerMessage, context: CustomerContext, settings: IntakeSettings
) -> Decision:
    own = {case.reference: case for case in context.cases}
    for quoted in find_references(text, settings.reference_prefix):
        if quoted.check is ReferenceCheck.MISTYPED:
            return _decision(Conversation(), Reply("customer/reference_mistyped"))
        if quoted.canonical in own:
            return _decision(
                Conversation(), *follow_up(own[quoted.canonical], text, message.channel)
            )
        # Knowing a reference is not proof of owning it: answer as if it did not exist.
        return _decision(Conversation(), Reply("customer/reference_unknown"))
    current = open_cases(context.cases)
    if current:
        return _decision(Conversation(), *follow_up(current[0], text, message.channel))
    return _start(text, message, context, settings)


def _start(
    text: str, message: CustomerMessage, context: CustomerContext, settings: IntakeSettings
) -> Decision:
    fresh = Conversation(mode=Mode.COLLECTING, started_at=context.now)
    fresh = _prefill(fresh, message, context)
    is_greeting = normalise(text) in settings.vocab.greetings
    if len(text.split()) >= settings.min_description_words and not is_greeting:
        fresh = _take_description(fresh, text, context, settings)
        return _next_question(fresh, message, context, settings, Reply("customer/welcome_back"))
    return _next_question(fresh, message, context, settings, Reply("customer/welcome"))


def _prefill(
    conversation: Conversation, message: CustomerMessage, context: CustomerContext
) -> Conversation:
    name = context.known_name or message.display_name
    if name:
        conversation = conversation.with_answer(Field.NAME, name[:MAX_NAME_LENGTH])
    if context.known_contact:
        conversation = conversation.with_answer(Field.CONTACT, context.known_contact)
    if context.consented_before:
        conversation = conversation.with_answer(Field.CONSENT, "yes")
    return conversation


def _take_description(
    conversation: Conversation, text: str, context: CustomerContext, settings: IntakeSettings
) -> Conversation:
    updated = conversation.with_answer(Field.DESCRIPTION, text)
    if not updated.answered(Field.PRODUCT):
        order = find_order_reference(text, settings.vocab)
        if order:
            updated = updated.with_answer(Field.PRODUCT, order)
    if not updated.answered(Field.WHEN):
        found = find_date(text, context.now.date(), settings.vocab)
        if found is not None and found.valid and found.value is not None:
            updated = updated.with_answer(Field.WHEN, found.value.isoformat())
    return updated


def _collect(
    conversation: Conversation,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    asking = conversation.asking or Field.DESCRIPTION
    vocab = settings.vocab
    if not text:
        # An attachment alone answers no question; it is kept and linked when the case opens.
        return _decision(
            conversation, Reply("customer/attachment_noted"), *_reask(conversation, settings)
        )
    if vocab.is_skip(text):
        if asking in OPTIONAL:
            return _after_answer(conversation.with_skipped(asking), message, context, settings)
        # A required question is never answered by "skip", however often it is said.
        return _decision(replace(conversation, retries=1), _question(asking, settings, retry=True))
    if asking is Field.CONSENT and (vocab.is_no(text) or text.strip() == "2"):
        return _decision(
            conversation, Reply("customer/consent_needed"), _question(asking, settings)
        )
    accepted = _accept(asking, text, conversation, context, settings)
    if accepted is None:
        if conversation.retries == 0:
            retry = replace(conversation, retries=1)
            return _decision(retry, _question(asking, settings, retry=True))
        if asking is Field.CONSENT:
            # Consent is never assumed: keep asking, and say how to stop.
            return _decision(
                conversation,
                Reply("customer/consent_needed"),
                _question(asking, settings, retry=True),
            )
        accepted = _fallback(asking, text)
    if asking is Field.DESCRIPTION:
        updated = _take_description(conversation, accepted, context, settings)
    else:
        updated = conversation.with_answer(asking, accepted)
    return _after_answer(updated, message, context, settings)


def _accept(
    asking: Field,
    text: str,
    conversation: Conversation,
    context: CustomerContext,
    settings: IntakeSettings,
) -> str | None:
    """The stored form of a valid answer, or None to re-ask."""
    vocab = settings.vocab
    if asking is Field.DESCRIPTION:
        enough = len(text.split()) >= settings.min_description_words
        return text if enough or conversation.retries else None
    if asking is Field.PRODUCT:
        return text
    if asking is Field.WHEN:
        found = find_date(text, context.now.date(), vocab)
        if found is None or not found.valid or found.value is None:
            return None
        return found.value.isoformat()
    if asking is Field.OUTCOME:
        return _outcome(text, vocab)
    if asking is Field.NAME:
        return text[:MAX_NAME_LENGTH] if not vocab.is_skip(text) else None
    if asking is Field.CONTACT:
        return text if looks_like_contact(text) else None
    if vocab.is_yes(text) or text.strip() == "1":
        return "yes"
    return None


def _outcome(text: str, vocab: Vocabulary) -> str | None:
    stripped = text.strip().rstrip(".)")
    if stripped.isdigit() and 1 <= int(stripped) <= len(OUTCOMES):
        return OUTCOMES[int(stripped) - 1]
    found = vocab.outcome_in(text)
    if found is None:
        return None
    # Keep the customer's own words beside the choice when they said more than the choice.
    return found if len(text.split()) <= 2 else f"{found}: {text}"


def _fallback(asking: Field, text: str) -> str:
    """After one re-ask, take what they said as free text (never loop on a question)."""
    if asking is Field.OUTCOME:
        return f"other: {text}"
    return text


def _after_answer(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    if conversation.correcting:
        return _summary(replace(conversation, correcting=False), message)
    return _next_question(conversation, message, context, settings)


def _next_question(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
    *before: Effect,
) -> Decision:
    for question in _applicable(message):
        if not conversation.answered(question):
            asking = replace(conversation, mode=Mode.COLLECTING, asking=question, retries=0)
            return _decision(asking, *before, _question(question, settings))
    return _summary(conversation, message, *before)


def _applicable(message: CustomerMessage) -> list[Field]:
    return [q for q in Field if q is not Field.CONTACT or not message.lasting_address]


def _question(question: Field, settings: IntakeSettings, *, retry: bool = False) -> Reply:
    choices: tuple[ChoiceSpec, ...] = ()
    if question is Field.OUTCOME:
        choices = tuple(ChoiceSpec(value, f"outcome.{value}") for value in OUTCOMES)
    elif question is Field.CONSENT:
        choices = (ChoiceSpec("yes", "answer.yes"), ChoiceSpec("no", "answer.no"))
    context = {"retry": retry, "optional": question in OPTIONAL}
    return Reply(f"customer/ask_{question.value}", context, choices)


def _summary(conversation: Conversation, message: CustomerMessage, *before: Effect) -> Decision:
    items = [
        _summary_item(number, question, conversation.answer(question))
        for number, question in enumerate(_applicable(message), start=1)
        if question is not Field.CONSENT
    ]
    confirming = replace(conversation, mode=Mode.CONFIRMING, asking=None, retries=0)
    # No numbered choice here: on this screen a number means "change that item".
    return _decision(confirming, *before, Reply("customer/summary", {"items": items}))


def _summary_item(number: int, question: Field, value: str | None) -> dict[str, object]:
    item: dict[str, object] = {
        "number": number,
        "field": question.value,
        "value": value,
        "label": None,
    }
    if question is Field.OUTCOME and value is not None:
        choice, _, detail = value.partition(": ")
        item.update(label=f"outcome.{choice}", value=detail or None)
    return item


def _confirm(
    conversation: Conversation,
    text: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    if settings.vocab.is_yes(text):
        return _register(conversation, message, context, settings)
    fields = [q for q in _applicable(message) if q is not Field.CONSENT]
    stripped = text.strip().rstrip(".)")
    if stripped.isdigit() and 1 <= int(stripped) <= len(fields):
        question = fields[int(stripped) - 1]
        correcting = replace(
            conversation, mode=Mode.COLLECTING, asking=question, correcting=True, retries=0
        )
        return _decision(correcting, _question(question, settings))
    return _summary(conversation, message, Reply("customer/summary_help"))


def _register(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    reference = context.new_reference
    description = conversation.answer(Field.DESCRIPTION) or ""
    product = conversation.answer(Field.PRODUCT)
    when = conversation.answer(Field.WHEN)
    occurred_on = _iso_date(when)
    outcome = conversation.answer(Field.OUTCOME)
    outcome_choice, _, outcome_detail = (outcome or "").partition(": ")
    details = CaseDetails(
        description=description,
        product=product,
        occurred_on=occurred_on,
        occurred_text=when if when and occurred_on is None else None,
        outcome=outcome_choice or None,
        outcome_detail=outcome_detail or None,
        customer_name=conversation.answer(Field.NAME),
        contact=conversation.answer(Field.CONTACT),
        consent=conversation.answer(Field.CONSENT) == "yes",
    )
    found = classify(" ".join(filter(None, [description, product])), settings.rules)
    targets = settings.rules.targets[found.severity]
    due_at = context.now + targets.respond_within
    facts = {
        "reference": reference,
        "due_at": due_at,
        "category": found.category,
        "severity": found.severity,
        "channel": message.channel,
        "customer_name": details.customer_name,
        "description": description,
        "product": product,
        "outcome": details.outcome,
        "matched": list(found.matched),
    }
    effects: list[Effect] = [
        OpenCase(reference, details, found, due_at),
        ChangeStatus(reference, CaseStatus.ACKNOWLEDGED),
        Reply("customer/acknowledgement", facts),
        NotifyStaff(found.queue, "staff/new_case", facts, reference),
        ScheduleTimer(reference, "sla_warning", due_at - targets.warn_before),
        ScheduleTimer(reference, "sla_breach", due_at),
    ]
    return Decision(tuple(effects), Conversation())


def _iso_date(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _confirm_withdrawal(
    conversation: Conversation, text: str, context: CustomerContext, settings: IntakeSettings
) -> Decision:
    reference = conversation.case_reference
    case = next((c for c in context.cases if c.reference == reference), None)
    if case is None or not settings.vocab.is_yes(text):
        return _decision(Conversation(), Reply("customer/withdraw_kept", {"reference": reference}))
    facts = {"reference": case.reference}
    return _decision(
        Conversation(),
        ChangeStatus(case.reference, CaseStatus.WITHDRAWN, note="withdrawn by the customer"),
        Reply("customer/withdrawn", facts),
        NotifyStaff(case.queue, "staff/case_withdrawn", facts, case.reference),
    )


def _command(
    conversation: Conversation,
    command: Command,
    argument: str,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    collecting = conversation.mode is not Mode.IDLE
    if command is Command.HELP:
        help_reply = Reply("customer/help", {"collecting": collecting})
        return _decision(conversation, help_reply, *_reask(conversation, settings))
    if command is Command.STATUS:
        status = _status(argument, context, settings)
        return _decision(conversation, status, *_reask(conversation, settings))
    if command is Command.NEW:
        fresh = _prefill(
            Conversation(mode=Mode.COLLECTING, started_at=context.now), message, context
        )
        return _next_question(fresh, message, context, settings, Reply("customer/new_complaint"))
    if command is Command.CANCEL:
        return _cancel(conversation, context)
    return _person(conversation, message, context, settings)


def _status(argument: str, context: CustomerContext, settings: IntakeSettings) -> Reply:
    if not argument:
        cases = [_case_facts(case) for case in context.cases[:5]]
        return Reply("customer/status_list", {"cases": cases})
    parsed = parse_reference(argument, settings.reference_prefix)
    if parsed.check is ReferenceCheck.NOT_A_REFERENCE and not any(c.isdigit() for c in argument):
        # "status of my complaint": words, not a reference; show their cases.
        return _status("", context, settings)
    if parsed.check is not ReferenceCheck.VALID:
        return Reply("customer/reference_mistyped")
    case = next((c for c in context.cases if c.reference == parsed.canonical), None)
    if case is None:
        return Reply("customer/reference_unknown")
    return Reply("customer/status", _case_facts(case))


def _case_facts(case: CaseView) -> dict[str, object]:
    return {
        "reference": case.reference,
        "status": case.status.value,
        "opened_at": case.opened_at,
        "due_at": case.due_at,
    }


def _cancel(conversation: Conversation, context: CustomerContext) -> Decision:
    if conversation.mode in (Mode.COLLECTING, Mode.CONFIRMING):
        return _decision(Conversation(), Reply("customer/cancelled"))
    current = open_cases(context.cases)
    if not current:
        return _decision(Conversation(), Reply("customer/nothing_to_cancel"))
    asking = Conversation(mode=Mode.CONFIRMING_WITHDRAWAL, case_reference=current[0].reference)
    choices = (ChoiceSpec("yes", "answer.yes"), ChoiceSpec("no", "answer.no"))
    return _decision(
        asking, Reply("customer/confirm_withdraw", {"reference": current[0].reference}, choices)
    )


def _person(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    current = open_cases(context.cases)
    case = current[0] if current else None
    queue = case.queue if case else settings.rules.default_queue
    reference = case.reference if case else None
    facts = {"reference": reference, "channel": message.channel, "name": message.display_name}
    effects: list[Effect] = [NotifyStaff(queue, "staff/person_requested", facts, reference)]
    if reference is not None:
        effects.append(RecordEvent(reference, "person_requested", {"channel": message.channel}))
    effects.append(Reply("customer/person_requested", {"reference": reference}))
    return _decision(conversation, *effects, *_reask(conversation, settings))


def _reask(conversation: Conversation, settings: IntakeSettings) -> list[Reply]:
    """Repeat the pending question after an interruption, so the customer knows where they are."""
    if conversation.mode is Mode.COLLECTING and conversation.asking is not None:
        return [_question(conversation.asking, settings)]
    return []


def _decision(conversation: Conversation, *effects: Effect) -> Decision:
    return Decision(tuple(effects), conversation)
