"""The intake conversation: which question next, what answers are valid, what is known."""

from __future__ import annotations

from dataclasses import replace

from workflows import batch
from workflows.case_messages import (
    AFTERCARE_MODES,
    about_case,
    automated,
    confirm_withdrawal,
    continuing,
    following,
    latest_resolved,
    own_case,
)
from workflows.cases import open_cases
from workflows.clock import fair_to_all
from workflows.commands import run_command
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, decision
from workflows.conversation import OPTIONAL, UNDER_WAY, Conversation, Field, Mode
from workflows.dates import day_guessed, day_not_known
from workflows.effects import ChoiceSpec, Decision, Reply
from workflows.extraction import clean_text, word_count
from workflows.harvest import bare_name, contact_in, harvest
from workflows.phrases import normalise
from workflows.product_answers import not_the_product
from workflows.questions import (
    accept,
    ask,
    fallback,
    only_yes_or_no,
    prefill,
    reask,
    take_description,
)
from workflows.quoted import reference_and_new_complaint
from workflows.references import ReferenceCheck, find_references, first_reference_typed
from workflows.summary import confirm, next_question, show_summary
from workflows.unverified import from_unverified_sender
from workflows.vocabulary import Command

__all__ = ["CustomerContext", "CustomerMessage", "IntakeSettings", "decide_message"]


def decide_message(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """Decide what to do with one customer message."""
    decided = fair_to_all(
        context.cases,
        _decide(conversation, message, context, settings),
        context.now,
        settings.rules,
    )
    after = decided.conversation
    if after is None or after.mode not in UNDER_WAY:
        return decided
    unproven = message.sender is not None and not message.sender.authenticated
    if unproven and conversation.mode is not Mode.IDLE:
        # An intake under way is not the unproven sender's to resume: no reminder of what it
        # is about, and its clock is not moved.
        return decided
    effects = decided.effects
    away = context.now - conversation.last_at if conversation.last_at else None
    resumed = any(isinstance(e, Reply) and e.template == "customer/resume" for e in effects)
    if conversation.mode in UNDER_WAY and away and away >= settings.resume_after and not resumed:
        # Back after hours or days: say what this was about before what comes next.
        effects = (_where_we_were(conversation), *effects)
    return Decision(effects, replace(after, last_at=context.now))


def _decide(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    sender = message.sender
    if sender is not None and not sender.authenticated:
        # Before the machine check: an auto-reply's headers are the sender's to write.
        return from_unverified_sender(
            conversation,
            message,
            sender,
            context,
            settings,
            lambda: _decide_proven(conversation, message, context, settings),
        )
    if message.automated:
        return automated(conversation, context)
    return _decide_proven(conversation, message, context, settings)


def _decide_proven(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    """A message whose sender is who they say (or a new complaint from an unproven one)."""
    text = clean_text(message.text)
    # An email may be long by nature; the mail server's size limit protects us there.
    if len(text) > settings.max_message_length and not message.batch:
        limit = {"limit": settings.max_message_length, "length": len(text)}
        return decision(
            conversation, Reply("customer/too_long", limit), *reask(conversation, settings)
        )
    if conversation.unsure_of is not None:
        meant, conversation = Command(conversation.unsure_of), replace(conversation, unsure_of=None)
        if settings.vocab.says_yes(text):
            return run_command(conversation, meant, "", message, context, settings)
        if settings.vocab.says_no(text):
            return decision(conversation, *reask(conversation, settings))  # "no, carry on"
        # Anything else is read as it would have been.
    # An email's command is its first line (a signature usually follows).
    said = text.strip().splitlines()[0] if message.batch and text.strip() else text
    command = settings.vocab.command_in(said) if said else None
    if command is None and said and not message.batch:
        # (By email, "any news?" under a case's subject is a follow-up staff should see.)
        asked_for = settings.vocab.request_in(said)
        if asked_for is Command.PERSON and _gives_contact(said, conversation, settings):
            asked_for = None  # "pueden llamarme al 987 654 321" answers; it asks for no one
        if asked_for in _ASK_FIRST and conversation.mode in UNDER_WAY:
            # Read inside a sentence, in the middle of a complaint: ask before acting on it.
            unsure = replace(conversation, unsure_of=asked_for.value)
            question = Reply("customer/confirm_request", {"command": asked_for.value}, _UNSURE)
            return decision(unsure, question)
        if asked_for is not None:
            # "where is my complaint? it's been ages", "can I speak to someone please"
            command = asked_for, first_reference_typed(said, settings.reference_prefix)
    switching = command is None and settings.vocab.is_switch(said)
    if switching and conversation.mode not in UNDER_WAY and open_cases(context.cases):
        # "en français": the shell answers in the language asked for; what they see first is
        # where their complaint stands (with none open, the welcome).
        command = Command.STATUS, ""
    if command is not None:
        return run_command(conversation, command[0], command[1], message, context, settings)
    if conversation.mode in AFTERCARE_MODES:
        going_on = continuing(conversation, text, message, context, settings)
        if going_on is not None:
            return going_on
        conversation = Conversation()
    if _looks_like_a_command(text) and not _greets(text, settings):
        unknown = Reply("customer/unknown_command", {"command": text.split()[0][:40]})
        return decision(conversation, unknown, *reask(conversation, settings))
    if not text and not message.has_attachments and not (message.batch and message.subject):
        return decision(
            conversation, Reply("customer/empty_message"), *reask(conversation, settings)
        )
    if conversation.mode in UNDER_WAY and _greets(text, settings):
        return _resume(conversation, message, settings)
    if conversation.mode is Mode.COLLECTING:
        return _collect(conversation, text, message, context, settings)
    if conversation.mode is Mode.CONFIRMING:
        return confirm(conversation, text, message, context, settings)
    if conversation.mode is Mode.CONFIRMING_WITHDRAWAL:
        return confirm_withdrawal(conversation, text, message, context, settings)
    if conversation.mode is Mode.ENRICHING:
        case = own_case(context, conversation.case_reference)
        threaded = own_case(context, context.thread_reference)
        if case is not None and (threaded is None or threaded == case):
            return batch.enrich(conversation, case, text, message, context, settings)
    return _idle(text, message, context, settings)


# Requests that would change something (a member of staff called, the answers so far set
# aside) are confirmed when read inside a sentence mid-intake; a status is just shown.
_ASK_FIRST = frozenset({Command.PERSON, Command.NEW})
_UNSURE = (ChoiceSpec("yes", "answer.yes"), ChoiceSpec("no", "answer.carry_on"))


def _gives_contact(text: str, conversation: Conversation, settings: IntakeSettings) -> bool:
    """Whether "call me on ..." gives a number rather than asking for a person."""
    asked, vocab = conversation.asking is Field.CONTACT, settings.vocab
    given = contact_in(text, asked=asked, cues=vocab.contact_cues, orders=vocab.order_words)
    return given is not None


def _greets(text: str, settings: IntakeSettings) -> bool:
    """A greeting, or asking for a language: never an answer, never a complaint's text."""
    return normalise(text) in settings.vocab.greetings or settings.vocab.is_switch(text)


def _resume(
    conversation: Conversation, message: CustomerMessage, settings: IntakeSettings
) -> Decision:
    """A customer back mid-intake with a greeting: say where we were, and ask again.

    (A greeting is never an answer: "hi" is not a product, a date or a name.)
    """
    where = _where_we_were(conversation)
    if conversation.mode is Mode.CONFIRMING:
        return show_summary(conversation, message, where)
    return decision(conversation, where, *reask(conversation, settings))


def _where_we_were(conversation: Conversation) -> Reply:
    return Reply("customer/resume", {"about": conversation.about()})


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
    if context.thread_reference is not None:
        threaded = own.get(context.thread_reference)
        if threaded is None:
            # A reply in someone else's thread: the headers are no proof of who this is.
            return decision(Conversation(), Reply("customer/reference_unknown"))
        return about_case(threaded, text, message, context, settings)
    quoted_text = f"{message.subject}\n{text}" if message.subject else text
    found = find_references(quoted_text, settings.reference_prefix)
    if found:
        start = batch.start if message.batch else _start
        both = reference_and_new_complaint(text, found[0], message, context, settings, start)
        if both is not None:
            return both
    for quoted in found:
        if quoted.check is ReferenceCheck.MISTYPED:
            return decision(Conversation(), Reply("customer/reference_mistyped"))
        if quoted.canonical in own:
            return about_case(own[quoted.canonical], text, message, context, settings)
        # Knowing a reference is not proof of owning it: answer as if it did not exist.
        return decision(Conversation(), Reply("customer/reference_unknown"))
    asks_new = settings.vocab.command_in(message.subject) if message.batch else None
    current = open_cases(context.cases)
    asked_new = asks_new is not None and asks_new[0] is Command.NEW
    if current and not asked_new:
        return about_case(current[0], text, message, context, settings)
    resolved = latest_resolved(context, settings)
    if resolved is not None and not asked_new:
        # Written soon after a resolution: about that case (a score, "not enough"), unless
        # the customer says it is something new.
        return about_case(resolved, text, message, context, settings)
    if message.batch:
        return following(batch.start(text, message, context, settings), context)
    return following(_start(text, message, context, settings), context)


def _start(
    text: str, message: CustomerMessage, context: CustomerContext, settings: IntakeSettings
) -> Decision:
    fresh = Conversation(mode=Mode.COLLECTING, started_at=context.now)
    welcome = "customer/welcome"
    if word_count(text) >= settings.min_description_words and not _greets(text, settings):
        fresh = take_description(fresh, text, context, settings)
        fresh = harvest(fresh, text, context, settings, besides=Field.DESCRIPTION)
        welcome = "customer/welcome_back"
    fresh = prefill(fresh, message, context)
    return next_question(fresh, message, context, settings, Reply(welcome))


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
        return decision(
            conversation, Reply("customer/attachment_noted"), *reask(conversation, settings)
        )
    if asking is Field.WHEN and day_guessed(text, vocab.dates):
        guessed = harvest(conversation.with_answer(asking, text), text, context, settings)
        return _after_answer(guessed, message, context, settings)  # shown to staff as written
    if vocab.is_skip(text) or (asking is Field.WHEN and day_not_known(text, vocab.dates)):
        if asking in OPTIONAL or (conversation.retries and asking in _DECLINABLE):
            # Asked twice and declined twice ("n/a"): staff go without it rather than the
            # customer going round in a loop.
            return _after_answer(conversation.with_skipped(asking), message, context, settings)
        # The first time, say why it helps; the complaint itself and consent are never skipped.
        return decision(replace(conversation, retries=1), ask(asking, settings, retry=True))
    plain_no = vocab.says_no(text)
    if asking is Field.CONSENT and (plain_no or vocab.refuses(text)):
        if conversation.retries or not plain_no:
            # Said twice, or plainly ("I do not agree, delete my data"): it stops, unregistered.
            return decision(Conversation(), Reply("customer/consent_refused", {"reference": None}))
        # A bare "no" the first time: say once why it is needed.
        return decision(
            replace(conversation, retries=1),
            Reply("customer/consent_needed"),
            ask(asking, settings),
        )
    accepted = accept(asking, text, conversation, context, settings)
    if asking is Field.OUTCOME and bare_name(text, vocab) and not vocab.worded_outcome(text):
        accepted = None  # "Jake Turner" for "what would you like?": a name, not a wish
    if asking is Field.CONTACT and accepted is None:
        accepted = contact_in(text)  # "I already told you, bea.jones@example.net"
    if asking is Field.PRODUCT and not_the_product(conversation, text, context, settings):
        # "It was last Friday, and I'd like an apology" says when and what, not which.
        accepted = None
    if asking in _NOT_NAMES and accepted is None and (name := bare_name(text, vocab)):
        # "Lucía Gómez" for "how can we reach you?": their name, then the question again.
        return _after_answer(conversation.with_answer(Field.NAME, name), message, context, settings)
    if accepted is None:
        harvested = harvest(conversation, text, context, settings, besides=asking)
        if harvested.answers != conversation.answers:
            # It answered other questions: keep those, and ask this one again.
            return _after_answer(harvested, message, context, settings)
        if conversation.retries == 0:
            retry = replace(conversation, retries=1)
            return decision(retry, ask(asking, settings, retry=True))
        if asking is Field.CONSENT:
            # Consent is never assumed: keep asking, and say how to stop.
            return decision(
                conversation,
                Reply("customer/consent_needed"),
                ask(asking, settings, retry=True),
            )
        if asking in (Field.CONTACT, Field.NAME) or (
            asking is Field.OUTCOME and only_yes_or_no(text, vocab)
        ):
            # Never store what is not a contact, a name or a wish ("yes", "1"): staff go
            # without it.
            return _after_answer(conversation.with_skipped(asking), message, context, settings)
        accepted = fallback(asking, text)
    if asking is Field.DESCRIPTION:
        updated = take_description(conversation, accepted, context, settings)
    else:
        updated = conversation.with_answer(asking, accepted)
    updated = harvest(updated, text, context, settings, besides=asking)
    return _after_answer(updated, message, context, settings)


# Questions whose answer is never a name: one typed there alone is the customer's own.
_NOT_NAMES = frozenset({Field.CONTACT, Field.WHEN, Field.OUTCOME})
# Questions a customer may decline after hearing once why we ask.
_DECLINABLE = frozenset({Field.NAME, Field.CONTACT, Field.OUTCOME})


def _after_answer(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    if conversation.correcting:
        return show_summary(replace(conversation, correcting=False), message)
    return next_question(conversation, message, context, settings)
