"""Whether an answer to "which product" names the product or answers other questions.

Asked which product, customers answer what they have on their mind: "It was last Friday, and
I'd like an apology", "yesterday afternoon", "je voudrais être remboursé". Such an answer fills
the questions it answers, and the product is asked again; one that names the thing, however it
opens ("Last Friday at the Leeds store, the blue kettle"), is the product.
"""

from __future__ import annotations

import re

from workflows.context import CustomerContext, IntakeSettings
from workflows.conversation import Conversation, Field
from workflows.dates import certain_date
from workflows.extraction import find_order_reference
from workflows.harvest import bare_contact, harvest
from workflows.phrases import normalise
from workflows.vocabulary import Vocabulary
from workflows.wish_clauses import opens

# Answers that begin like an answer to another question: not a product.
_NOT_A_PRODUCT = re.compile(
    r"(?i)^\s*(?:it was|it happened|i'?d like|i would like|i want|i need)\b"
)
# How many words of an answer to "which product" are its opening: where it says what they
# want, or when it was, if it answers another question.
_OPENING_WORDS = 4


def not_the_product(
    conversation: Conversation, text: str, context: CustomerContext, settings: IntakeSettings
) -> bool:
    """Whether an answer to "which product" answers other questions instead, with no order
    number in it: it begins like an answer to one ("It was last Friday, and I'd like an
    apology", "je voudrais être remboursé", "i dont want another booking i want me money
    back"), it is a day alone ("yesterday afternoon", "ayer por la tarde") or a day then
    more than the product ("C'était vendredi dernier, et je voudrais des excuses"), or it is
    a contact alone ("sam.jones@example.com")."""
    vocab = settings.vocab
    opens_otherwise = _NOT_A_PRODUCT.match(text) is not None or _opens_with_wish(text, vocab)
    said = text.split()
    day_first = _opens_with_day(" ".join(said[:_OPENING_WORDS]), context, settings)
    a_day_alone = day_first and vocab.dates.only_day_words(normalise(text))
    a_contact = bare_contact(text) is not None
    if not a_contact and (
        find_order_reference(text, vocab) is not None or not (opens_otherwise or day_first)
    ):
        return False
    harvested = harvest(conversation, text, context, settings).answers
    if opens_otherwise or a_day_alone or a_contact:
        return harvested != conversation.answers
    # "Last Friday at the Leeds store, the blue kettle", "Sunday roast": a day, then the
    # product; only a day and more ("… et je voudrais des excuses") answers other questions.
    return any(
        harvested.get(field) != conversation.answer(field)
        for field in harvested
        if field is not Field.WHEN
    )


def _opens_with_day(opening: str, context: CustomerContext, settings: IntakeSettings) -> bool:
    """Whether an answer's first words name a day in words ("hier soir", "Das war letzten
    Freitag"); numbers there name the thing ("Chambre 3.07", "facture du 24/12")."""
    if any(character.isdigit() for character in opening):
        return False
    found = certain_date(opening, context.local_date(settings), settings.vocab.dates)
    return found is not None and found.valid and found.value is not None


def _opens_with_wish(text: str, vocab: Vocabulary) -> bool:
    """Whether a message opens by saying what the customer wants, or does not ("no quiero
    otra reserva", "je ne veux pas…", "i dont want"): negations aside, it starts with a wish,
    after a pronoun or not ("Breville kettle, I want a refund" opens with the product)."""
    opening = [w for w in normalise(text).split()[:_OPENING_WORDS] if w not in vocab.negations]
    starts = (" ".join(opening), " ".join(opening[1:]))
    return any(opens(said, wish) for said in starts for wish in vocab.wishes - vocab.courtesy)
