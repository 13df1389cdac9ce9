"""The staff inbox: messages on no case that need a person's eye, and not routine words."""

from __future__ import annotations

from dataclasses import replace

from bot.services.app import App
from bot.services.intake import handle_inbound, store_only
from bot.services.queries import unfiled_messages
from tests.bot.conversation import message, register_complaint, send


async def test_routine_words_from_a_customer_with_a_case_stay_out_of_the_inbox(app: App) -> None:
    await register_complaint(app, "alice")
    for routine in ("status", "help", "yes", "cancel", "no"):
        await send(app, routine, "alice")
    assert await unfiled_messages(app) == []


async def test_strangers_and_flagged_messages_are_in_the_inbox(app: App) -> None:
    await register_complaint(app, "alice")
    await send(app, "status CB-AAAA-AAAA", "mallory")
    # Kept without an answer (a Telegram group post): on no case, and flagged.
    await store_only(app, replace(message(app, "hi all", "alice"), flags=("group",)))
    automated = replace(message(app, "I am out of the office", "alice"), flags=("auto:oof",))
    await handle_inbound(app, automated)

    shown = [(m.text, identity.address) for m, identity in await unfiled_messages(app)]

    assert shown == [
        ("I am out of the office", "alice"),
        ("hi all", "alice"),
        ("status CB-AAAA-AAAA", "mallory"),
    ]
