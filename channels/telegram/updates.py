"""Telegram Bot API updates read into what the product handles: messages, presses, the rest.

Pure: no network. Files are named here (``FileRef``) and fetched by the shell with getFile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from channels.base import InboundMessage

CHANNEL = "telegram"
# What the product handles; the webhook and getUpdates ask Telegram for these only.
ALLOWED_UPDATES = ("message", "edited_message", "callback_query")
# A button's callback_data: the outbox row that asked, and the choice ("1234:yes"). Telegram
# allows 64 bytes.
_PRESS = re.compile(r"^(?P<outbox>\d{1,18}):(?P<value>.{1,40})$", re.DOTALL)
# "/start", "/status@MyBot args": a command in a private chat, with or without the bot's name.
_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+(?P<args>.*))?$", re.DOTALL)


class MalformedUpdate(ValueError):
    """An update that lacks what every genuine Telegram update carries."""


@dataclass(frozen=True, slots=True)
class FileRef:
    """A file sent with a message, fetched later with getFile."""

    file_id: str
    filename: str
    content_type: str
    size: int | None


@dataclass(frozen=True, slots=True)
class Incoming:
    """A customer's message in a private chat (text, caption, a shared contact, files)."""

    message: InboundMessage
    files: tuple[FileRef, ...] = ()
    language: str | None = None
    # The telegram user id of a shared contact, when the message is one.
    contact_user_id: int | None = None
    sender_id: int | None = None


@dataclass(frozen=True, slots=True)
class Press:
    """An inline keyboard button pressed: answer it at once, then act on the choice."""

    callback_id: str
    chat_id: int
    message_id: int | None
    outbox_id: int
    value: str
    message: InboundMessage
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Unhandled:
    """Stored and not answered: a group or channel post, another bot, an edit, a bad press."""

    reason: str
    message: InboundMessage | None
    callback_id: str | None = None


Update = Incoming | Press | Unhandled


def update_id(data: Mapping[str, Any]) -> int:
    """The update's id; MalformedUpdate without one."""
    value = data.get("update_id")
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MalformedUpdate("missing update_id")
    return value


def provider_id(bot_id: int, number: int) -> str:
    """The dedupe key of an update: its id, per bot (each bot numbers its own updates)."""
    return f"{bot_id}:{number}"


def parse_update(data: Mapping[str, Any], raw: bytes, now: datetime, bot_id: int) -> Update:
    """What an update is, as the product handles it; MalformedUpdate if unusable."""
    key = provider_id(bot_id, update_id(data))
    if isinstance(data.get("callback_query"), Mapping):
        return _press(data["callback_query"], raw, now, key)
    for kind in ("message", "edited_message", "channel_post", "edited_channel_post"):
        body = data.get(kind)
        if isinstance(body, Mapping):
            return _message(kind, body, raw, now, key)
    return Unhandled("unknown-update", None)


def command(text: str) -> tuple[str, str] | None:
    """("start", "CB-…") for "/start CB-…"; None when the text is not a command."""
    found = _COMMAND.match(text.strip())
    if found is None:
        return None
    return found["name"].lower(), (found["args"] or "").strip()


def _message(kind: str, body: Mapping[str, Any], raw: bytes, now: datetime, key: str) -> Update:
    chat = _mapping(body, "chat")
    sender = body.get("from") if isinstance(body.get("from"), Mapping) else None
    chat_id = _int(chat, "id")
    text = body.get("text") or body.get("caption") or ""
    if not isinstance(text, str):
        raise MalformedUpdate("text is not a string")
    stored = InboundMessage(
        channel=CHANNEL,
        # In a private chat the chat id is the user's id: the lasting address to reply to.
        address=str(_int(sender, "id") if sender is not None else chat_id),
        provider_id=key,
        text=text,
        received_at=now,
        display_name=_name(sender) if sender is not None else None,
        raw=raw,
    )
    if kind != "message":
        reason = "edited" if kind == "edited_message" else "channel-post"
        return Unhandled(reason, _flag(stored, reason))
    if chat.get("type") != "private":
        return Unhandled("group", _flag(stored, "group"))
    if sender is None or sender.get("is_bot"):
        return Unhandled("bot", _flag(stored, "from-bot"))
    contact_user = None
    contact = body.get("contact")
    if isinstance(contact, Mapping):
        phone = str(contact.get("phone_number") or "")
        stored = _with_text(stored, phone if phone.startswith("+") else f"+{phone}")
        user = contact.get("user_id")
        contact_user = user if isinstance(user, int) else None
    language = sender.get("language_code")
    return Incoming(
        message=stored,
        files=_files(body),
        language=language[:16] if isinstance(language, str) else None,
        contact_user_id=contact_user,
        sender_id=_int(sender, "id"),
    )


def _press(body: Mapping[str, Any], raw: bytes, now: datetime, key: str) -> Update:
    callback_id = body.get("id")
    if not isinstance(callback_id, str) or not callback_id:
        raise MalformedUpdate("callback_query without an id")
    sender = _mapping(body, "from")
    message = body.get("message") if isinstance(body.get("message"), Mapping) else None
    data = body.get("data")
    stored = InboundMessage(
        channel=CHANNEL,
        address=str(_int(sender, "id")),
        provider_id=key,
        text=data if isinstance(data, str) else "",
        received_at=now,
        display_name=_name(sender),
        raw=raw,
    )
    found = _PRESS.match(data) if isinstance(data, str) else None
    chat = message.get("chat") if message is not None else None
    if found is None or not isinstance(chat, Mapping) or chat.get("type") != "private":
        return Unhandled("bad-press", _flag(stored, "bad-press"), callback_id)
    value = found["value"]
    language = sender.get("language_code")
    return Press(
        callback_id=callback_id,
        chat_id=_int(chat, "id"),
        message_id=message.get("message_id") if message is not None else None,
        outbox_id=int(found["outbox"]),
        value=value,
        message=_with_text(stored, value),
        language=language[:16] if isinstance(language, str) else None,
    )


def _files(body: Mapping[str, Any]) -> tuple[FileRef, ...]:
    found: list[FileRef] = []
    photos = body.get("photo")
    if isinstance(photos, list) and photos:
        # Telegram sends each photo in several sizes, smallest first: keep the largest.
        best = photos[-1]
        if isinstance(best, Mapping) and isinstance(best.get("file_id"), str):
            found.append(_file(best, "photo.jpg", "image/jpeg"))
    for kind, default_name, default_type in (
        ("document", "document", "application/octet-stream"),
        ("video", "video.mp4", "video/mp4"),
        ("voice", "voice.ogg", "audio/ogg"),
        ("audio", "audio", "audio/mpeg"),
        ("video_note", "video-note.mp4", "video/mp4"),
    ):
        item = body.get(kind)
        if isinstance(item, Mapping) and isinstance(item.get("file_id"), str):
            found.append(_file(item, default_name, default_type))
    return tuple(found)


def _file(item: Mapping[str, Any], default_name: str, default_type: str) -> FileRef:
    name = item.get("file_name")
    kind = item.get("mime_type")
    size = item.get("file_size")
    return FileRef(
        file_id=str(item["file_id"]),
        filename=name if isinstance(name, str) and name else default_name,
        content_type=kind if isinstance(kind, str) and kind else default_type,
        size=size if isinstance(size, int) else None,
    )


def _name(sender: Mapping[str, Any]) -> str | None:
    parts = [sender.get("first_name"), sender.get("last_name")]
    name = " ".join(part for part in parts if isinstance(part, str) and part)
    return name or None


def _mapping(body: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = body.get(key)
    if not isinstance(value, Mapping):
        raise MalformedUpdate(f"missing {key}")
    return value


def _int(body: Mapping[str, Any], key: str) -> int:
    value = body.get(key)
    if not isinstance(value, int) or isinstance(value, bool):
        raise MalformedUpdate(f"missing {key}")
    return value


def _flag(message: InboundMessage, flag: str) -> InboundMessage:
    return replace(message, flags=(*message.flags, flag))


def _with_text(message: InboundMessage, text: str) -> InboundMessage:
    return replace(message, text=text)
