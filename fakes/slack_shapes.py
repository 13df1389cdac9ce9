"""What the fake Slack Web API stores and answers, and the helpers that read and sign requests."""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web
from slack_sdk.signature import SignatureVerifier

WORKSPACE_URL = "https://fake.slack.test/"
FIRST_TS = 1_700_000_000  # ts values are FIRST_TS + 100µs, 200µs, … : unique and increasing
JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "user_auth_blocks", "files")
MAX_TEXT, MAX_BLOCKS = 40_000, 50
MAX_SECTION, MAX_FIELD, MAX_VALUE = 3000, 2000, 2000  # a section's text, a field, a value
MAX_METADATA = 3000  # a view's private_metadata
FORM = "application/x-www-form-urlencoded"
# Methods called with the app-level token ("xapp-…") rather than the bot token.
APP_TOKEN_METHODS = frozenset({"apps.connections.open"})
SOCKET_TYPES = ("events_api", "interactive", "slash_commands")


def signed_headers(
    body: bytes | str,
    signing_secret: str,
    timestamp: int | None = None,
    *,
    content_type: str | None = None,
) -> dict[str, str]:
    """Slack's signature headers for ``body``; Content-Type is JSON for a JSON body, else form."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(signing_secret).generate_signature(timestamp=stamp, body=body)
    assert signature is not None
    if content_type is None:
        text = body.decode() if isinstance(body, bytes) else body
        content_type = "application/json" if text.lstrip().startswith("{") else FORM
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": signature,
    }


def over_limits(blocks: list[dict[str, Any]]) -> list[str]:
    """Slack's documented Block Kit length limits these blocks break (Slack refuses them)."""
    broken = []
    for block in blocks:
        text = (block.get("text") or {}).get("text")
        if block.get("type") == "section" and text is not None and len(text) > MAX_SECTION:
            broken.append(f"section text {len(text)} > {MAX_SECTION}")
        for field in block.get("fields") or []:
            if len(field.get("text", "")) > MAX_FIELD:
                broken.append(f"field {len(field['text'])} > {MAX_FIELD}")
        for element in block.get("elements") or []:
            if len(str(element.get("value", ""))) > MAX_VALUE:
                broken.append(f"value {len(str(element['value']))} > {MAX_VALUE}")
    return broken


@dataclass(frozen=True, slots=True)
class Call:
    """One request the fake received: the method and its decoded parameters (token removed)."""

    method: str
    params: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Posted:
    """A message the bot posted as it reads now; ``versions`` are earlier versions, oldest first."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    user: str
    bot_id: str
    params: dict[str, Any]
    versions: tuple[Posted, ...] = ()


@dataclass(frozen=True, slots=True)
class Uploaded:
    """A file uploaded with files.getUploadURLExternal and its upload URL; shared (``shared_in``
    the message's channel and ts) once files.completeUploadExternal names it."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str | None = None
    shared_in: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Ephemeral:
    """An ephemeral message shown to one user."""

    channel: str
    user: str
    message_ts: str
    text: str
    blocks: list[dict[str, Any]]
    thread_ts: str | None
    params: dict[str, Any]


@dataclass(slots=True)
class _Channel:
    id: str
    name: str
    members: list[str]
    is_private: bool
    is_im: bool


@dataclass(frozen=True, slots=True)
class _Failure:
    error: str
    status: int
    retry_after: int | None


class _ApiError(Exception):
    def __init__(self, error: str, *messages: str) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages


_Answer = tuple[int, dict[str, Any], dict[str, str]]


_DEBUG_INFO = {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060}


def socket_payload(body: bytes | str) -> dict[str, Any]:
    """What Socket Mode carries for a request body from ``fakes.slack_payloads``.

    An Events API body is already the JSON payload; an interaction's ``payload=`` form field is
    decoded; a slash command's form becomes a dict of its (string) fields.
    """
    text = body.decode() if isinstance(body, bytes) else body
    if text.lstrip().startswith("{"):
        decoded: dict[str, Any] = json.loads(text)
        return decoded
    fields = dict(parse_qsl(text, keep_blank_values=True))
    if set(fields) == {"payload"}:
        payload: dict[str, Any] = json.loads(fields["payload"])
        return payload
    return dict(fields)


def _error_answer(error: _ApiError) -> _Answer:
    body: dict[str, Any] = {"ok": False, "error": error.error}
    if error.messages:
        body["response_metadata"] = {"messages": list(error.messages)}
    return 200, body, {}


async def _read_params(request: web.Request) -> tuple[dict[str, Any], str | None]:
    """Query string, then a JSON or form body; JSON-in-a-string fields decoded; token split off."""
    params: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        raw = await request.read()
        try:
            body = json.loads(raw) if raw.strip() else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise _ApiError("invalid_json")
        params |= body
    elif request.content_type in (FORM, "multipart/form-data"):
        for key, value in (await request.post()).items():
            params[key] = value if isinstance(value, str) else getattr(value, "filename", "")
    for key in JSON_FIELDS:
        if isinstance(params.get(key), str):
            with contextlib.suppress(ValueError):
                params[key] = json.loads(params[key])
    scheme, _, bearer = request.headers.get("Authorization", "").partition(" ")
    token = params.pop("token", None)
    return params, (bearer if scheme.lower() == "bearer" and bearer else token)


def _describe(call: Call) -> str:
    shown = {k: v for k, v in call.params.items() if k not in ("blocks", "view", "attachments")}
    text = f"{call.method}({', '.join(f'{k}={v!r}' for k, v in shown.items())})"
    return text if len(text) <= 120 else text[:117] + "..."


def message_content(params: dict[str, Any], old: Posted | None = None) -> tuple[str, list[Any]]:
    """A posted or updated message's text and blocks, checked as Slack checks them."""
    if not any(params.get(key) for key in ("text", "blocks", "attachments")):
        raise _ApiError("no_text")
    blocks = params.get("blocks", old.blocks if old else [])
    if not isinstance(blocks, list) or not all(isinstance(b, dict) for b in blocks):
        raise _ApiError("invalid_blocks_format")
    if len(blocks) > MAX_BLOCKS or any("type" not in block for block in blocks):
        raise _ApiError("invalid_blocks")
    broken = over_limits(blocks)
    if broken:
        raise _ApiError("invalid_blocks", *broken)
    text = str(params["text"]) if "text" in params else (old.text if old else "")
    if len(text) > MAX_TEXT:
        raise _ApiError("msg_too_long")
    return text, blocks
