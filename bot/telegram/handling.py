"""One Telegram update, from the webhook or from getUpdates, carried into the workflow.

Private-chat messages and button presses are complaints' words; everything else is stored
and not answered. Files are fetched with getFile before the message is handled, so a case
keeps them like email attachments.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from sqlalchemy import exists, select

from bot.services.app import App
from bot.services.intake import handle_inbound, store_only
from bot.services.storing import REACHABLE_AGAIN
from bot.storage.models import Identity, MessageIn, Outbox
from channels.base import Attachment, InboundMessage
from channels.telegram.adapter import TelegramAdapter
from channels.telegram.updates import (
    CHANNEL,
    FileRef,
    Incoming,
    Press,
    Unhandled,
    command,
    parse_update,
)

log = logging.getLogger(__name__)
# Commands with a meaning of their own here; others are read as the words they are
# ("/status", "/new", "/cancel", "/help" are in the vocabulary).
_UNKNOWN_COMMAND = "help"


async def handle_update(
    app: App, adapter: TelegramAdapter, data: dict[str, Any], raw: bytes
) -> None:
    """Handle one update (MalformedUpdate if it is not one); a repeated update changes nothing."""
    update = parse_update(data, raw, app.clock(), adapter.bot_id)
    if isinstance(update, Unhandled):
        if update.callback_id is not None:
            await adapter.answer_press(update.callback_id)
        if update.message is not None:
            await store_only(app, update.message)
        return
    if isinstance(update, Press):
        await _press(app, adapter, update)
        return
    await _incoming(app, adapter, update)


async def _incoming(app: App, adapter: TelegramAdapter, update: Incoming) -> None:
    message = replace(update.message, language=update.language, flags=(REACHABLE_AGAIN,))
    if update.contact_user_id is not None and update.contact_user_id != update.sender_id:
        # Someone else's contact card: not a way to reach this customer.
        await store_only(app, _flagged(message, "contact-not-own"))
        return
    found = command(message.text)
    if found is not None:
        message = replace(message, text=_command_text(app, *found))
    if update.files:
        message = await _with_files(app, adapter, message, update.files)
    await handle_inbound(app, message)


async def _press(app: App, adapter: TelegramAdapter, press: Press) -> None:
    fresh = await _question_open(app, press)
    # The spinner stops at once; a stale press is told so and changes nothing.
    await adapter.answer_press(
        press.callback_id, None if fresh else app.renderer.label("telegram.stale_press")
    )
    if press.message_id is not None:
        await adapter.clear_buttons(press.chat_id, press.message_id)
    if fresh:
        # (A stale press is not stored: it would count as an answer to the open question.)
        await handle_inbound(
            app, replace(press.message, language=press.language, flags=(REACHABLE_AGAIN,))
        )


async def _question_open(app: App, press: Press) -> bool:
    """Whether the pressed question is this chat's and nothing has answered it since."""
    async with app.sessions() as session:
        asked = await session.get(Outbox, press.outbox_id)
        if (
            asked is None
            or asked.channel != CHANNEL
            or asked.address != press.message.address
            or asked.audience != "customer"
            or press.value not in {str(value) for value, _label in asked.choices}
        ):
            return False
        # A newer question supersedes it; anything the customer sent since answered it.
        newer = await session.scalars(
            select(Outbox.choices).where(
                Outbox.id > asked.id,
                Outbox.channel == CHANNEL,
                Outbox.address == asked.address,
                Outbox.audience == "customer",
            )
        )
        if any(newer):
            return False
        answered = await session.scalar(
            select(
                exists().where(
                    MessageIn.identity_id == Identity.id,
                    Identity.channel == CHANNEL,
                    Identity.address == asked.address,
                    MessageIn.stored_at > asked.created_at,
                )
            )
        )
        return not answered


def _command_text(app: App, name: str, args: str) -> str:
    if name == "start":
        # "/start CB-…" is a deep link staff sent: the case's status, if it is the sender's.
        return f"status {args}" if args else "/start"
    if app.intake.vocab.command_in(f"/{name}") is not None:
        return f"/{name} {args}".strip()
    return _UNKNOWN_COMMAND


async def _with_files(
    app: App, adapter: TelegramAdapter, message: InboundMessage, files: tuple[FileRef, ...]
) -> InboundMessage:
    limit = app.settings.max_attachment_bytes
    kept: list[Attachment] = []
    flags = list(message.flags)
    for ref in files:
        content = None
        if ref.size is None or ref.size <= limit:
            try:
                content = await adapter.download(ref.file_id, limit)
            except Exception:
                log.warning("could not fetch a Telegram file for message %s", message.provider_id)
        if content is None:
            flags.append(f"attachment-not-kept:{ref.filename}"[:120])
        kept.append(
            Attachment(
                filename=ref.filename,
                content_type=ref.content_type,
                size=len(content) if content is not None else ref.size or 0,
                content=content,
            )
        )
    return replace(message, attachments=tuple(kept), flags=tuple(flags))


def _flagged(message: InboundMessage, flag: str) -> InboundMessage:
    return replace(message, flags=(*message.flags, flag))
