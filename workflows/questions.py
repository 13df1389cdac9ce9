"""The questions of the complaint form: asking, validating, what is already known."""

from __future__ import annotations

import re
from datetime import date

from workflows.context import CustomerContext, CustomerMessage, IntakeSettings
from workflows.conversation import OPTIONAL, Conversation, Field, Mode
from workflows.dates import any_date, certain_date, several_days
from workflows.effects import (
    ChoiceSpec,
    Reply,
)
from workflows.extraction import (
    find_order_reference,
    looks_like_contact,
    plausible_name,
    word_count,
)
from workflows.phrases import normalise
from workflows.stays import day_of_stay, stay_in
from workflows.told_weekdays import weekday_after_told, weekday_told_of
from workflows.vocabulary import Vocabulary

OUTCOMES = ("refund", "replacement", "repair", "explanation", "apology", "other")
MAX_NAME_LENGTH = 120
# Longest stored contact (an email address is at most 254 characters); the full text the
# customer typed is kept on the stored message.
MAX_CONTACT_LENGTH = 254
_NAME_LEAD = re.compile(r"(?i)^\s*(?:my name is|my name's|i am|i'm|it's|this is)\s+")


def prefill(
    conversation: Conversation, message: CustomerMessage, context: CustomerContext
) -> Conversation:
    """Fill in what is already known about the customer, where the message did not say it
    ("I'm Priya Shah" wins over the chat's login "priya")."""
    shown = message.display_name if plausible_name(message.display_name) else None
    known = {
        Field.NAME: (context.known_name or shown or "")[:MAX_NAME_LENGTH],
        Field.CONTACT: (context.known_contact or "")[:MAX_CONTACT_LENGTH],
        Field.CONSENT: "yes" if context.consented_before else "",
    }
    for question, value in known.items():
        if value and not conversation.answered(question):
            conversation = conversation.with_answer(question, value)
    return conversation


def take_description(
    conversation: Conversation, text: str, context: CustomerContext, settings: IntakeSettings
) -> Conversation:
    """Take the description, and any order number or date it mentions."""
    updated = conversation.with_answer(Field.DESCRIPTION, text)
    if not updated.answered(Field.PRODUCT):
        order = find_order_reference(text, settings.vocab)
        if order:
            updated = updated.with_answer(Field.PRODUCT, order)
    if not updated.answered(Field.WHEN):
        found = certain_date(text, context.local_date(settings), settings.vocab.dates)
        if found is not None and found.valid and found.value is not None:
            updated = updated.with_answer(Field.WHEN, found.value.isoformat())
    return updated


def accept(
    asking: Field,
    text: str,
    conversation: Conversation,
    context: CustomerContext,
    settings: IntakeSettings,
) -> str | None:
    """The stored form of a valid answer, or None to re-ask."""
    vocab = settings.vocab
    if asking is Field.DESCRIPTION:
        enough = word_count(text) >= settings.min_description_words
        return text if enough or conversation.retries else None
    if asking is Field.PRODUCT:
        return text
    if asking is Field.WHEN:
        # Asked when, "bought it on 28 Feb" is the only date they have: take it.
        today = context.local_date(settings)
        found = any_date(text, today, vocab.dates)
        short = word_count(text) <= _SHORT_WHEN_WORDS
        # "sat just gone 2pm sorry baby on me": a clipped weekday opening a longer answer is
        # one when the word beside it is a day's too ("sat there for hours" is not).
        opening = " ".join(normalise(text).split()[:2])
        clipped = (
            vocab.dates.clips_a_weekday(normalise(text))
            if short
            else (vocab.dates.clips_a_weekday(opening) and vocab.dates.only_day_words(opening))
        )
        if found is None and clipped:
            found = any_date(text, today, vocab.dates.in_a_short_answer)  # "last sat"
        if found is None or not found.valid or found.value is None:
            return None
        # "Le samedi, le lendemain de notre arrivée": a weekday alone is the one of the stay
        # the complaint told of ("du vendredi 6 au dimanche 8 mars"), not the latest such day.
        stay = stay_in(conversation.answer(Field.DESCRIPTION) or "", vocab.dates)
        if stay is not None and not any(c.isdigit() for c in text):
            of_stay = day_of_stay(f"{stay} {text}", today, vocab.dates)
            found = of_stay if of_stay is not None and of_stay.value is not None else found
        # "Le mardi", asked which of the days the complaint named went wrong, is the Tuesday
        # among them ("livraison le mardi 10"), not the latest Tuesday; "le dimanche après
        # la livraison" the first Sunday after the day it named.
        description = conversation.answer(Field.DESCRIPTION) or ""
        told = weekday_after_told(text, description, today, vocab.dates)
        found = told or weekday_told_of(text, description, today, vocab.dates) or found
        return found.value.isoformat() if found.value is not None else None
    if asking is Field.OUTCOME:
        if _menu_outcome(text) is None and only_yes_or_no(text, vocab):
            return None  # "Ja, geht in Ordnung" answers another question, not this one
        # "I want them to retrain the staff" is an answer, in the customer's own words.
        return parse_outcome(text, vocab) or (f"other: {text}" if word_count(text) >= 3 else None)
    if asking is Field.NAME:
        agreeing = vocab.agrees(text) and word_count(text) > _SHORT_NAME_WORDS
        if (vocab.says_yes(text) or vocab.says_no(text) or agreeing) and not _a_name(text, vocab):
            # "yes ok", "Yes, that is quite all right" answer another question.
            return None
        if not any(c.isalpha() for c in text) or looks_like_contact(text):
            # "1", "07700 900123", "franz.hofer@example.at" are not a name: asked again (an
            # address given here still fills the contact).
            return None
        if _tells_a_day(text, context.local_date(settings), vocab):
            # "ya te dije el martes" answers "when?", not this ("Domingo Pérez" is a name).
            return None
        # "My name is Bea Jones" answers with "Bea Jones".
        return _NAME_LEAD.sub("", text).strip()[:MAX_NAME_LENGTH] or text[:MAX_NAME_LENGTH]
    if asking is Field.CONTACT:
        return text[:MAX_CONTACT_LENGTH] if looks_like_contact(text) else None
    if vocab.agrees(text):
        return "yes"
    return None


def only_yes_or_no(text: str, vocab: Vocabulary) -> bool:
    """Whether an answer is a yes, a no or a consent and nothing more ("oui, ça nous va")."""
    words = normalise(text)
    return words in vocab.yes or words in vocab.no or vocab.agrees(text)


# An answer to "when?" this short may clip its weekday ("sat night"), as a longer one would
# not ("I sat there for an hour").
_SHORT_WHEN_WORDS = 3
# A short answer opening with a yes is left to says_yes; a longer agreement ("Yes, that is
# quite all right") is an answer to another question, not a name.
_SHORT_NAME_WORDS = 3


def _a_name(text: str, vocab: Vocabulary) -> bool:
    """Whether a name answers "what is your name?" though its first word is a yes ("Vale
    Contreras"): capitalised words, and after the first none the vocabulary knows."""
    words = text.strip().rstrip(".!").split()
    if not 2 <= len(words) <= _SHORT_NAME_WORDS + 1 or not all(w[:1].isupper() for w in words):
        return False
    known = vocab.yes | vocab.no | vocab.courtesy | vocab.assents
    return not any(normalise(word) in known for word in words[1:])


def _tells_a_day(text: str, today: date, vocab: Vocabulary) -> bool:
    """Whether an answer names a day in words that are not all capitalised, as a name is."""
    words = text.strip().rstrip(".!").split()
    if all(word[:1].isupper() for word in words):
        return False
    found = any_date(text, today, vocab.dates)
    return found is not None and found.valid


def parse_outcome(text: str, vocab: Vocabulary) -> str | None:
    """The outcome an answer names, by number or in words."""
    found = _menu_outcome(text) or vocab.answered_outcome(text)
    if found is None:
        return None
    # Keep the customer's own words beside the choice when they said more than the choice.
    return found if len(text.split()) <= _BARE_CHOICE_WORDS else f"{found}: {text}"


def with_wish_words(outcome: str, sentences: list[str], vocab: Vocabulary) -> str:
    """The outcome read from a message, with the words that wished it ("other: Pay for the
    respray, £420 quote from my garage"): staff read what was said beside the nearest outcome,
    as they do for an answer to the question."""
    said = next((s.strip() for s in sentences if vocab.wished_outcome(s) == outcome), "")
    if len(said.split()) <= _BARE_CHOICE_WORDS:
        return outcome
    return f"{outcome}: {said[:MAX_WISH_WORDS_CHARS]}"


# "Refund please" is the choice itself; more words are worth showing beside it.
_BARE_CHOICE_WORDS = 2
# The wish's own sentence, not a letter: staff have the whole message in the description.
MAX_WISH_WORDS_CHARS = 300


def _menu_outcome(text: str) -> str | None:
    """The outcome chosen by its number on the menu ("2", "2.")."""
    stripped = text.strip().rstrip(".)")
    if stripped.isdigit() and 1 <= int(stripped) <= len(OUTCOMES):
        return OUTCOMES[int(stripped) - 1]
    return None


def fallback(asking: Field, text: str) -> str:
    """After one re-ask, take what they said as free text (never loop on a question)."""
    if asking is Field.OUTCOME:
        return f"other: {text}"
    if asking is Field.CONTACT:
        return text[:MAX_CONTACT_LENGTH]
    if asking is Field.NAME:
        return text[:MAX_NAME_LENGTH]
    return text


def ask(
    question: Field, settings: IntakeSettings, *, retry: bool = False, several_days: bool = False
) -> Reply:
    """The reply asking ``question`` (with its choices, and help when re-asked);
    ``several_days``: the complaint named more than one day, and we ask which went wrong."""
    choices: tuple[ChoiceSpec, ...] = ()
    if question is Field.OUTCOME:
        choices = tuple(ChoiceSpec(value, f"outcome.{value}") for value in OUTCOMES)
    elif question is Field.CONSENT:
        choices = (ChoiceSpec("yes", "answer.yes"), ChoiceSpec("no", "answer.no"))
    context = {"retry": retry, "optional": question in OPTIONAL, "several_days": several_days}
    return Reply(f"customer/ask_{question.value}", context, choices)


def ask_next(
    question: Field, conversation: Conversation, context: CustomerContext, settings: IntakeSettings
) -> Reply:
    """The reply asking ``question`` for the first time; asking when, it says so if the
    complaint named several days ("which of them did it go wrong?")."""
    told = conversation.answer(Field.DESCRIPTION) or ""
    today = context.local_date(settings)
    which = question is Field.WHEN and several_days(told, today, settings.vocab.dates)
    return ask(question, settings, several_days=which)


def reask(conversation: Conversation, settings: IntakeSettings) -> list[Reply]:
    """Repeat the pending question after an interruption, so the customer knows where they are."""
    if conversation.mode is Mode.COLLECTING and conversation.asking is not None:
        return [ask(conversation.asking, settings)]
    return []
