"""An intake the customer stopped answering: one reminder, then registered as incomplete.

Nothing a customer told us is lost because they went quiet: with a description and an
address that reaches them later, the complaint is registered with what is known, and staff see
what is missing; without, the draft is set aside and the customer told so.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from workflows.context import CustomerContext, CustomerMessage, IntakeSettings, applicable
from workflows.conversation import UNDER_WAY, Conversation, Field
from workflows.effects import Decision, Effect, NotifyStaff, RecordEvent, Reply
from workflows.questions import reask
from workflows.registration import register


def decide_idle_intake(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision | None:
    """What to do about an intake left unanswered until ``context.now``; None: nothing yet.

    ``message`` stands for the customer's channel (its text is empty: they sent nothing).
    """
    last = conversation.last_at or conversation.started_at
    if conversation.mode not in UNDER_WAY or last is None:
        return None
    idle = context.now - last
    about = {"about": conversation.about()}
    if idle >= settings.give_up_after:
        if conversation.answer(Field.DESCRIPTION) and message.lasting_address:
            return _register_incomplete(conversation, message, context, settings)
        return Decision((Reply("customer/draft_set_aside", about),), Conversation())
    if idle >= settings.remind_after and not conversation.reminded:
        reminder = Reply("customer/intake_reminder", about)
        return Decision(
            (reminder, *reask(conversation, settings)), replace(conversation, reminded=True)
        )
    return None


def next_look(conversation: Conversation, settings: IntakeSettings) -> datetime | None:
    """When an intake left as it is should next be looked at (None: it is not under way)."""
    last = conversation.last_at or conversation.started_at
    if conversation.mode not in UNDER_WAY or last is None:
        return None
    return last + (settings.give_up_after if conversation.reminded else settings.remind_after)


def _register_incomplete(
    conversation: Conversation,
    message: CustomerMessage,
    context: CustomerContext,
    settings: IntakeSettings,
) -> Decision:
    missing = [q.value for q in applicable(message) if not conversation.answered(q)]
    reference = context.new_reference
    effects: list[Effect] = []
    for effect in register(conversation, message, context, settings).effects:
        if isinstance(effect, Reply):
            context_ = {**effect.context, "missing": missing}
            effect = Reply("customer/registered_incomplete", context_)
        elif isinstance(effect, NotifyStaff):
            effect = replace(effect, context={**effect.context, "missing": missing})
        effects.append(effect)
    effects.append(RecordEvent(reference, "registered_incomplete", {"missing": missing}))
    return Decision(tuple(effects), Conversation())
