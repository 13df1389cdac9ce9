"""A message that quotes a reference: when it also describes something new, it is both."""

from __future__ import annotations

from collections.abc import Callable

from workflows.cases import open_cases
from workflows.classification import classify
from workflows.context import CustomerContext, CustomerMessage, IntakeSettings
from workflows.effects import Decision, Reply
from workflows.extraction import word_count
from workflows.references import ParsedReference, ReferenceCheck, quoted_pattern
from workflows.vocabulary import Command

Starter = Callable[[str, CustomerMessage, CustomerContext, IntakeSettings], Decision]
"""How a new complaint is begun on this channel (a chat's questions, email's registration)."""


def _about_something(text: str, settings: IntakeSettings) -> bool:
    """Whether the words describe a problem (a product, a delivery, a charge...), not only ask
    about the reference ("please send me everything about this case")."""
    found = classify(text, settings.rules)
    return any(reason.kind in {"severity", "category"} for reason in found.reasons)


def reference_and_new_complaint(
    text: str,
    quoted: ParsedReference,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
    start: Starter,
) -> Decision | None:
    """A message that quotes a reference and describes something new is both: it says what
    became of the reference, and the new complaint is registered. None when it is not.

    New means the customer says so ("this is a new problem"), or the reference is not one of
    theirs, they have no open complaint it could belong to, and the rest describes a problem.
    """
    rest = quoted_pattern(settings.reference_prefix).sub(" ", text)
    if word_count(rest) < settings.min_description_words:
        return None
    own = {case.reference for case in context.cases}
    is_own = quoted.check is ReferenceCheck.VALID and quoted.canonical in own
    says_new = settings.vocab.mentions(text, Command.NEW)
    if not says_new and (
        is_own or open_cases(context.cases) or not _about_something(rest, settings)
    ):
        return None
    if is_own:
        said: dict[str, object] = {"kind": "own", "reference": quoted.canonical}
    elif quoted.check is ReferenceCheck.MISTYPED:
        said = {"kind": "mistyped"}
    else:
        said = {"kind": "unknown"}  # never says whether it is someone else's
    about = Reply("customer/reference_and_new", said)
    started = start(text, message, context, settings)
    return Decision((about, *started.effects), started.conversation)
