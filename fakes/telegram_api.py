"""A fake Telegram Bot API on 127.0.0.1 for the real python-telegram-bot ``Bot`` (its
``base_url``), and the customer's side of it: updates as a Telegram app would cause them.

It answers the methods the product calls, records what the bot sent, can pretend a user
blocked the bot or that flood control hit, serves files for getFile, and queues updates for
getUpdates (polling) or builds them for a test to post to the webhook.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import secrets
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from fakes.server import ThreadedServer

# The Bot API serves files up to this size to bots; larger ones are refused by getFile.
MAX_FILE = 20 * 1024 * 1024
_JSON_FIELDS = {"reply_markup", "allowed_updates", "commands", "link_preview_options"}


def new_token(bot_id: int = 7000000001) -> str:
    """A token shaped like BotFather's ("123456:AA…", 35 characters after the colon)."""
    return f"{bot_id}:AA{secrets.token_urlsafe(26)[:33]}"


@dataclass
class SentMessage:
    """A message the bot sent to a chat."""

    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    reply_markup: dict[str, Any] | None

    def buttons(self) -> list[tuple[str, str]]:
        """The inline buttons, as (label, callback_data)."""
        rows = (self.reply_markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def asks_for_contact(self) -> bool:
        """Whether it offers the "share my phone number" keyboard button."""
        rows = (self.reply_markup or {}).get("keyboard", [])
        return any(isinstance(b, dict) and b.get("request_contact") for row in rows for b in row)


@dataclass
class _State:
    sent: list[SentMessage] = field(default_factory=list)
    markup_edits: list[tuple[int, int, Any]] = field(default_factory=list)
    answered: list[tuple[str, str | None]] = field(default_factory=list)
    # setMyCommands per language_code ("" for everyone else).
    commands: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    updates: list[dict[str, Any]] = field(default_factory=list)
    calls: Counter[str] = field(default_factory=Counter)
    files: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    blocked: set[int] = field(default_factory=set)
    flood_left: int = 0
    flood_seconds: int = 1


class FakeTelegram(ThreadedServer):
    """The Bot API for one bot token; ``url`` is the base_url to give the product."""

    name = "fake-telegram"

    def __init__(
        self, token: str | None = None, username: str = "complaints_test_bot", port: int = 0
    ) -> None:
        super().__init__(port)
        self.token = token or new_token()
        self.bot_id = int(self.token.split(":", 1)[0])
        self.username = username
        self._state = _State()
        self._lock = threading.Condition()
        self._update_ids = itertools.count(100_000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)

    @property
    def url(self) -> str:
        """The API root to configure (COMPLAINTBOT_TELEGRAM_API_BASE_URL)."""
        return f"http://127.0.0.1:{self.port}"

    def routes(self, app: web.Application) -> None:
        """The Bot API's method and file routes."""
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)

    # -- what a test arranges ------------------------------------------------------------

    def block(self, chat_id: int) -> None:
        """The user blocks the bot: sends to them answer 403 from now on."""
        with self._lock:
            self._state.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """The user unblocks the bot."""
        with self._lock:
            self._state.blocked.discard(chat_id)

    def flood(self, sends: int, retry_after: int = 1) -> None:
        """The next ``sends`` sendMessage calls answer 429 with retry_after."""
        with self._lock:
            self._state.flood_left, self._state.flood_seconds = sends, retry_after

    def add_file(self, content: bytes, path: str = "photos/file_1.jpg") -> str:
        """A file the bot may fetch with getFile; returns its file_id."""
        file_id = "AgAC" + secrets.token_urlsafe(12)
        with self._lock:
            self._state.files[file_id] = (content, path)
        return file_id

    # -- the customer's side: updates ------------------------------------------------------

    def message(
        self,
        chat_id: int,
        text: str | None = None,
        *,
        first_name: str = "Sam",
        language_code: str = "en",
        chat_type: str = "private",
        **extra: Any,
    ) -> dict[str, Any]:
        """An update for a message from user ``chat_id`` (``extra``: photo, document, contact)."""
        sender = {
            "id": chat_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat = {"id": -1000000000000 - chat_id, "type": chat_type, "title": "A group"}
        body: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            **extra,
        }
        if text is not None:
            body["caption" if ("photo" in extra or "document" in extra) else "text"] = text
        return {"update_id": next(self._update_ids), "message": body}

    def press(self, chat_id: int, sent: SentMessage, data: str) -> dict[str, Any]:
        """An update for user ``chat_id`` pressing the button with ``data`` on ``sent``."""
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._callback_ids)),
                "from": {"id": chat_id, "is_bot": False, "first_name": "Sam"},
                "chat_instance": "1",
                "data": data,
                "message": {
                    "message_id": sent.message_id,
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": "private"},
                    "text": sent.text,
                },
            },
        }

    def queue(self, update: dict[str, Any]) -> None:
        """Make ``update`` waiting for getUpdates (polling mode)."""
        with self._lock:
            self._state.updates.append(update)

    # -- what a test reads --------------------------------------------------------------------

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        """Everything sent to the chat so far, oldest first."""
        with self._lock:
            return [m for m in self._state.sent if m.chat_id == chat_id]

    def wait_for(self, chat_id: int, count: int, timeout: float = 10.0) -> list[SentMessage]:
        """Wait until the chat has at least ``count`` messages; returns them all."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [m for m in self._state.sent if m.chat_id == chat_id]
                left = deadline - time.monotonic()
                if len(found) >= count or left <= 0:
                    return found
                self._lock.wait(left)

    @property
    def calls(self) -> Counter[str]:
        """How often each method was called."""
        with self._lock:
            return Counter(self._state.calls)

    @property
    def webhook(self) -> dict[str, Any]:
        """The webhook as setWebhook left it (url, secret_token, allowed_updates)."""
        with self._lock:
            return dict(self._state.webhook)

    @property
    def commands(self) -> list[dict[str, Any]]:
        """The command menu setMyCommands set for everyone (no language_code)."""
        return self.commands_for("")

    def commands_for(self, language: str) -> list[dict[str, Any]]:
        """The command menu set for users whose Telegram is in ``language``."""
        with self._lock:
            return list(self._state.commands.get(language, []))

    @property
    def answered(self) -> list[tuple[str, str | None]]:
        """answerCallbackQuery calls: (callback id, notice text)."""
        with self._lock:
            return list(self._state.answered)

    @property
    def markup_edits(self) -> list[tuple[int, int, Any]]:
        """editMessageReplyMarkup calls: (chat id, message id, new markup)."""
        with self._lock:
            return list(self._state.markup_edits)

    # -- the API --------------------------------------------------------------------------------

    async def _method(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(404, "Not Found")
        params = await _params(request)
        method = request.match_info["method"]
        with self._lock:
            self._state.calls[method] += 1
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result = handler(params)
        if asyncio.iscoroutine(result):
            result = await result
        return result if isinstance(result, web.Response) else _ok(result)

    def _m_getMe(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Complaints",
            "username": self.username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    def _m_sendMessage(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        chat_id = int(params["chat_id"])
        text = str(params.get("text", ""))
        with self._lock:
            if self._state.flood_left > 0:
                self._state.flood_left -= 1
                seconds = self._state.flood_seconds
                return _error(429, f"Too Many Requests: retry after {seconds}", retry=seconds)
            if chat_id in self._state.blocked:
                return _error(403, "Forbidden: bot was blocked by the user")
            if chat_id < 0:
                return _error(400, "Bad Request: chat not found")
            if not text or len(text) > 4096:
                return _error(400, "Bad Request: message is too long" if text else "empty")
            message = SentMessage(
                chat_id,
                next(self._message_ids),
                text,
                params.get("parse_mode"),
                params.get("reply_markup"),
            )
            self._state.sent.append(message)
            self._lock.notify_all()
        return {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": text,
        }

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self._state.markup_edits.append(
                (int(params["chat_id"]), int(params["message_id"]), params.get("reply_markup"))
            )
        return True

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self._state.answered.append((str(params["callback_query_id"]), params.get("text")))
        return True

    def _m_setMyCommands(self, params: dict[str, Any]) -> bool:
        with self._lock:
            language = str(params.get("language_code") or "")
            self._state.commands[language] = list(params.get("commands") or [])
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> bool:
        with self._lock:
            self._state.webhook = {
                "url": params.get("url", ""),
                "secret_token": params.get("secret_token"),
                "allowed_updates": params.get("allowed_updates"),
                "drop_pending_updates": params.get("drop_pending_updates"),
            }
        return True

    def _m_deleteWebhook(self, _params: dict[str, Any]) -> bool:
        with self._lock:
            self._state.webhook = {}
        return True

    def _m_getWebhookInfo(self, _params: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            return {
                "url": self._state.webhook.get("url", ""),
                "has_custom_certificate": False,
                "pending_update_count": len(self._state.updates),
            }

    async def _m_getUpdates(self, params: dict[str, Any]) -> dict[str, Any] | list[Any]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 5.0)
        while True:
            with self._lock:
                if self._state.webhook.get("url"):
                    return _error(409, "Conflict: can't use getUpdates while webhook is active")
                # Asking from ``offset`` confirms (forgets) every update before it.
                self._state.updates = [u for u in self._state.updates if u["update_id"] >= offset]
                waiting = list(self._state.updates[:100])
            if waiting or time.monotonic() >= deadline:
                return waiting
            await asyncio.sleep(0.02)

    def _m_getFile(self, params: dict[str, Any]) -> dict[str, Any] | web.Response:
        file_id = str(params.get("file_id"))
        with self._lock:
            found = self._state.files.get(file_id)
        if found is None:
            return _error(400, "Bad Request: invalid file_id")
        content, path = found
        if len(content) > MAX_FILE:
            return _error(400, "Bad Request: file is too big")
        return {
            "file_id": file_id,
            "file_unique_id": file_id[-8:],
            "file_size": len(content),
            "file_path": path,
        }

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=404)
        with self._lock:
            matches = [c for c, p in self._state.files.values() if p == request.match_info["path"]]
        if not matches:
            return web.Response(status=404)
        return web.Response(body=matches[0])


async def _params(request: web.Request) -> dict[str, Any]:
    """The call's parameters, sent as a form (PTB) or JSON; nested values decoded."""
    if request.content_type == "application/json":
        data = await request.json()
        return dict(data) if isinstance(data, dict) else {}
    form = await request.post() if request.can_read_body else {}
    found: dict[str, Any] = {**request.query, **{k: v for k, v in form.items()}}
    for key, value in found.items():
        if isinstance(value, str) and (key in _JSON_FIELDS or value[:1] in "[{"):
            with contextlib.suppress(ValueError):
                found[key] = json.loads(value)
    return found


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(code: int, description: str, retry: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if retry is not None:
        body["parameters"] = {"retry_after": retry}
    return web.json_response(body, status=code)
