"""Sends to Telegram chats through the python-telegram-bot ``Bot``, and the few calls the shell
makes around it (getMe, webhooks, getUpdates, getFile, answering button presses).

Every text is sent in HTML parse mode with all of it escaped: nothing a customer or member of
staff wrote can become markup or a link. The token is part of every Bot API URL, so it never
appears in what this module raises or logs.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

# python-telegram-bot 22 reports periods (RetryAfter.retry_after) as timedelta when this is
# set, and warns on every flood-control error when it is not: opt in, as its docs ask.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import MessageLimit, ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.request import HTTPXRequest

from channels.base import DeliveryError, DeliveryResult, OutboundMessage
from channels.telegram.text import split_message
from channels.telegram.updates import ALLOWED_UPDATES, CHANNEL

API_URL = "https://api.telegram.org"
# The Bot API serves files up to 20 MB to bots; larger ones are listed, not kept.
MAX_DOWNLOAD = 20 * 1024 * 1024
# Telegram's flood limits: about one message a second in one chat, thirty a second overall.
PER_CHAT_INTERVAL = 1.0
OVERALL_PER_SECOND = 30
# The purpose (template) of the question that asks how to reach the customer.
ASK_CONTACT = "customer/ask_contact"


class TelegramUnavailable(Exception):
    """The token was refused or Telegram could not be reached (the token is never shown)."""


@dataclass(frozen=True, slots=True)
class BotInfo:
    """Who the bot is (getMe) and what Telegram has for its webhook."""

    id: int
    username: str
    webhook_url: str = ""
    pending_updates: int = 0


def bot_id_of(token: str) -> int:
    """The bot's numeric id: the part of its token before the colon (not a secret)."""
    head = token.split(":", 1)[0]
    if not head.isdigit():
        raise ValueError("a Telegram bot token looks like 123456:ABC…")
    return int(head)


class TelegramAdapter:
    """Delivers outbound messages to Telegram chats; one per bot token."""

    name = CHANNEL

    def __init__(
        self,
        token: str,
        *,
        api_base_url: str | None = None,
        share_contact_label: str = "Share my phone number",
        timeout: float = 30.0,
        per_chat_interval: float = PER_CHAT_INTERVAL,
    ) -> None:
        self.bot_id = bot_id_of(token)
        base = (api_base_url or API_URL).rstrip("/")
        self._bot = Bot(
            token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=HTTPXRequest(read_timeout=timeout, connect_timeout=timeout),
            # Long polls hold their own connection so sends never wait behind one.
            get_updates_request=HTTPXRequest(read_timeout=timeout + 60, connect_timeout=timeout),
        )
        self._share_label = share_contact_label
        self._per_chat = per_chat_interval
        self._last_in_chat: dict[str, float] = {}
        self._sent_times: list[float] = []
        self._pace = asyncio.Lock()
        self._started = False

    def __repr__(self) -> str:
        return f"TelegramAdapter(bot_id={self.bot_id})"

    async def start(self) -> BotInfo:
        """Open the HTTP client and check the token with getMe."""
        if not self._started:
            try:
                await self._bot.initialize()
            except InvalidToken:
                raise TelegramUnavailable("Telegram refused the bot token") from None
            except NetworkError as error:
                raise TelegramUnavailable(f"cannot reach Telegram: {_safe(error)}") from None
            self._started = True
        user = self._bot.bot
        return BotInfo(user.id, user.username or "")

    async def close(self) -> None:
        """Close the HTTP client (also after a start that failed half-way)."""
        self._started = False
        await self._bot.shutdown()

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Send the text (split at 4,096 characters) with its choices as buttons."""
        await self.start()
        wait = self._chat_wait(message.address)
        if wait > 0:
            # Not slept here: the row goes back to the queue and other chats go first.
            raise DeliveryError("one message a second per chat", retry_after=wait)
        parts = split_message(message.text, MessageLimit.MAX_TEXT_LENGTH)
        last_id: int | None = None
        for index, part in enumerate(parts):
            markup = _markup(message, self._share_label) if index == len(parts) - 1 else None
            await self._overall_pace()
            try:
                sent = await self._bot.send_message(
                    chat_id=message.address,
                    text=part,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                )
            except TelegramError as error:
                if last_id is not None and not isinstance(error, RetryAfter):
                    # Part of it arrived: say so rather than send the whole again.
                    return DeliveryResult(provider_id=str(last_id))
                raise _delivery_error(error) from None
            last_id = sent.message_id
        self._last_in_chat[message.address] = time.monotonic()
        return DeliveryResult(provider_id=str(last_id) if last_id is not None else None)

    async def answer_press(self, callback_id: str, text: str | None = None) -> None:
        """Stop the button's spinner (with a short notice when ``text`` is given)."""
        await self.start()
        # An old press (over 15 minutes) cannot be answered; nothing to do then.
        with contextlib.suppress(TelegramError):
            await self._bot.answer_callback_query(callback_id, text=text)

    async def clear_buttons(self, chat_id: int, message_id: int) -> None:
        """Remove the keyboard from a question that has been answered."""
        await self.start()
        # Already removed, or the message is gone: either way it cannot be pressed again.
        with contextlib.suppress(TelegramError):
            await self._bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id)

    async def download(self, file_id: str, limit: int) -> bytes | None:
        """A file's bytes, or None when it is over ``limit`` (or the Bot API's 20 MB)."""
        await self.start()
        try:
            found = await self._bot.get_file(file_id)
        except BadRequest:
            return None  # "file is too big": over the Bot API's limit
        if found.file_size is not None and found.file_size > min(limit, MAX_DOWNLOAD):
            return None
        data = bytes(await found.download_as_bytearray())
        return data if len(data) <= limit else None

    async def set_webhook(self, url: str, secret: str) -> None:
        """Point Telegram at ``url``; updates already waiting are kept."""
        await self.start()
        await self._bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
        )

    async def delete_webhook(self) -> None:
        """Stop webhook delivery (polling needs it off); updates waiting are kept."""
        await self.start()
        await self._bot.delete_webhook(drop_pending_updates=False)

    async def info(self) -> BotInfo:
        """getMe and getWebhookInfo, for /readyz."""
        me = await self.start()
        hook = await self._bot.get_webhook_info()
        return BotInfo(me.id, me.username, hook.url or "", hook.pending_update_count)

    async def set_commands(self, commands: Sequence[tuple[str, str]], language: str = "") -> None:
        """The command menu customers see ("/status - your complaints")."""
        await self.start()
        await self._bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            language_code=language or None,
        )

    async def updates(self, offset: int, wait: int) -> list[tuple[int, dict[str, Any]]]:
        """Updates from ``offset`` on (getUpdates, long-polling up to ``wait`` seconds)."""
        await self.start()
        found: tuple[Update, ...] = await self._bot.get_updates(
            offset=offset,
            timeout=timedelta(seconds=wait),
            allowed_updates=list(ALLOWED_UPDATES),
        )
        return [(update.update_id, update.to_dict()) for update in found]

    def _chat_wait(self, chat: str) -> float:
        last = self._last_in_chat.get(chat)
        if last is None:
            return 0.0
        return max(0.0, self._per_chat - (time.monotonic() - last))

    async def _overall_pace(self) -> None:
        async with self._pace:
            now = time.monotonic()
            self._sent_times = [t for t in self._sent_times if now - t < 1.0]
            if len(self._sent_times) >= OVERALL_PER_SECOND:
                await asyncio.sleep(1.0 - (now - self._sent_times[0]))
            self._sent_times.append(time.monotonic())


def _markup(
    message: OutboundMessage, share_label: str
) -> InlineKeyboardMarkup | ReplyKeyboardMarkup | None:
    if message.choices:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(choice.label, callback_data=f"{message.outbox_id}:{v}")]
                for choice in message.choices
                if len(f"{message.outbox_id}:{(v := choice.value)}".encode()) <= 64
            ]
        )
    if message.purpose == ASK_CONTACT:
        return ReplyKeyboardMarkup(
            [[KeyboardButton(share_label, request_contact=True)]],
            one_time_keyboard=True,
            resize_keyboard=True,
        )
    return None


def _delivery_error(error: TelegramError) -> DeliveryError:
    if isinstance(error, RetryAfter):
        after = error.retry_after
        seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
        return DeliveryError(f"Telegram flood control: retry in {seconds:g} s", retry_after=seconds)
    reason = f"Telegram: {_safe(error)}"
    if isinstance(error, Forbidden):
        # "bot was blocked by the user", "user is deactivated": nothing more can reach them.
        return DeliveryError(reason, permanent=True, unreachable=True)
    if isinstance(error, ChatMigrated | BadRequest):
        return DeliveryError(reason, permanent=True)  # "chat not found" and other refusals
    return DeliveryError(reason, permanent=False)  # network trouble, Telegram's 5xx


def _safe(error: TelegramError) -> str:
    # Error messages come from Telegram's answer, never from the URL; escaped for safety of
    # whatever shows them.
    return html.escape(error.message, quote=False)[:500]
