"""A fake Slack Web API on 127.0.0.1 for the real slack_sdk clients, and a request signing helper.

Point ``AsyncWebClient(token=fake.bot_token, base_url=fake.url)`` at it. Like the fake Twilio
API it runs in a thread with its own event loop, so async tests and end-to-end tests (the product
started as a subprocess) can share it. ``fakes.slack_payloads`` builds what Slack sends to
the app. ``wait_for`` blocks its thread: from a test whose product code runs on the test's own
event loop, call it through ``asyncio.to_thread``.

Socket Mode: ``apps.connections.open`` (with ``fake.app_token``, the app-level token) answers a
``ws://`` URL on this fake; the websocket there says ``hello``, then carries what a test pushes
with ``socket_send`` (turn a ``slack_payloads`` body into its payload with ``socket_payload``)
and records the app's acknowledgements in ``socket_acks``.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSCloseCode, WSMsgType, web
from slack_sdk.signature import SignatureVerifier

from fakes.server import ThreadedServer

WORKSPACE_URL = "https://fake.slack.test/"
FIRST_TS = 1_700_000_000  # ts values are FIRST_TS + 100µs, 200µs, … : unique and increasing
JSON_FIELDS = ("blocks", "attachments", "view", "metadata", "user_auth_blocks")
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


class FakeSlackApi(ThreadedServer):
    """The Slack Web API methods a bot uses, on a free port, recording every call."""

    BOT_NAME = "complaintbot"
    name = "fake-slack-api"

    def __init__(
        self,
        bot_token: str | None = None,
        team_id: str = "T0TEST",
        bot_user_id: str = "UBOT",
        *,
        app_token: str | None = None,
    ) -> None:
        super().__init__()
        self.bot_token = bot_token or f"xoxb-{secrets.randbelow(10**12)}-{secrets.token_hex(12)}"
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = "B" + secrets.token_hex(5).upper()
        self.app_id = "A" + secrets.token_hex(5).upper()
        self.app_token = app_token or (
            f"xapp-1-{self.app_id}-{secrets.randbelow(10**13)}-{secrets.token_hex(32)}"
        )
        self._lock = threading.Condition()
        self._revoked = False
        self._clock = 0
        self._users: dict[str, dict[str, Any]] = {}
        self._channels: dict[str, _Channel] = {}
        self._usergroups: dict[str, tuple[str, list[str]]] = {}
        self._messages: dict[tuple[str, str], Posted] = {}
        self._ephemerals: list[Ephemeral] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._opened: list[str] = []
        self._home: dict[str, str] = {}
        self._triggers: set[str] = set()
        self._calls: list[Call] = []
        self._responses: list[dict[str, Any]] = []
        self._failures: dict[str, list[_Failure]] = {}
        self._tickets: set[str] = set()
        self._sockets: list[web.WebSocketResponse] = []
        self._socket_connections = 0
        self._acks: list[dict[str, Any]] = []
        self._socket_errors: list[str] = []
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "apps.connections.open": self._connections_open,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.getPermalink": self._permalink,
            "views.open": self._open_view,
            "views.push": self._open_view,  # any fresh trigger will do; the stack is not modelled
            "views.update": self._update_view,
            "views.publish": self._publish,
            "conversations.info": self._conversation_info,
            "conversations.members": self._members,
            "usergroups.users.list": self._usergroup_users,
            "users.info": self._user_info,
        }
        self.add_user(bot_user_id, self.BOT_NAME, is_bot=True)

    # -- programming the workspace --------------------------------------------------------

    def add_user(
        self,
        user_id: str,
        name: str,
        real_name: str | None = None,
        *,
        display_name: str | None = None,
        is_bot: bool = False,
    ) -> None:
        """A workspace member; ``display_name`` defaults to ``name``."""
        real = real_name or name
        shown = name if display_name is None else display_name
        profile = {"real_name": real, "real_name_normalized": real, "display_name": shown}
        profile |= {"display_name_normalized": shown, "team": self.team_id}
        user = {"id": user_id, "team_id": self.team_id, "name": name, "deleted": False}
        user |= {"real_name": real, "tz": "Europe/London", "tz_offset": 0, "profile": profile}
        user |= {"is_admin": False, "is_owner": False, "is_bot": is_bot, "is_app_user": False}
        with self._lock:
            self._users[user_id] = user | {"updated": FIRST_TS}

    def add_channel(
        self,
        channel_id: str,
        name: str,
        members: Iterable[str] = (),
        bot_member: bool = True,
        *,
        is_private: bool = False,
    ) -> None:
        """A conversation; ids starting with "D" are direct messages."""
        people = [m for m in members if m != self.bot_user_id]
        people += [self.bot_user_id] if bot_member else []
        is_im = channel_id.startswith("D")
        with self._lock:
            self._channels[channel_id] = _Channel(
                channel_id, name, people, is_private or is_im, is_im
            )

    def add_usergroup(self, group_id: str, handle: str, members: Iterable[str]) -> None:
        """A user group ("S…"); ``handle`` is the @mention name."""
        with self._lock:
            self._usergroups[group_id] = (handle, list(members))

    def revoke_token(self) -> None:
        """From now on every call with the bot token answers ``token_revoked``."""
        with self._lock:
            self._revoked = True

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int = 200,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` authenticated calls of ``method`` with this error."""
        if status == 429 and retry_after is None:
            retry_after = 1
        with self._lock:
            self._failures.setdefault(method, []).extend(
                [_Failure(error, status, retry_after)] * times
            )

    # -- what tests look at ---------------------------------------------------------------

    @property
    def url(self) -> str:
        """The ``base_url`` to give slack_sdk clients."""
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def calls(self) -> list[Call]:
        """Every request so far, failed ones included, oldest first (a copy)."""
        with self._lock:
            return list(self._calls)

    def count(self, method: str) -> int:
        """How many calls of ``method`` arrived."""
        with self._lock:
            return sum(call.method == method for call in self._calls)

    def messages(self, channel: str | None = None) -> list[Posted]:
        """The bot's messages as they read now (thread replies included), oldest first."""
        with self._lock:
            return [m for m in self._messages.values() if channel in (None, m.channel)]

    def thread(self, channel: str, ts: str) -> list[Posted]:
        """The replies in the thread under the message ``ts``, oldest first."""
        return [m for m in self.messages(channel) if m.thread_ts == ts and m.ts != ts]

    @property
    def ephemerals(self) -> list[Ephemeral]:
        """The ephemeral messages posted, oldest first."""
        with self._lock:
            return list(self._ephemerals)

    @property
    def views_opened(self) -> list[dict[str, Any]]:
        """Modals opened or pushed, oldest first, each as it reads now (after views.update)."""
        with self._lock:
            return [copy.deepcopy(self._views[view_id]) for view_id in self._opened]

    @property
    def home_views(self) -> dict[str, dict[str, Any]]:
        """The App Home view last published for each user."""
        with self._lock:
            return {user: copy.deepcopy(self._views[v]) for user, v in self._home.items()}

    def wait_for(self, predicate: Callable[[FakeSlackApi], bool], timeout: float = 5.0) -> None:
        """Block until ``predicate(self)`` holds (checked after every call); else TimeoutError."""
        with self._lock:
            if self._lock.wait_for(lambda: predicate(self), timeout):
                return
            recent = "; ".join(_describe(call) for call in self._calls[-8:]) or "none"
            name = getattr(predicate, "__qualname__", repr(predicate))
            socket = ""
            if self._socket_connections:
                socket = f"; socket: {len(self._sockets)} open, {len(self._acks)} acks"
                socket += "".join(f"; {error}" for error in self._socket_errors[-3:])
            raise TimeoutError(
                f"{name} still false after {timeout}s; {len(self._calls)} calls, "
                f"last: {recent}{socket}"
            )

    # -- Socket Mode ----------------------------------------------------------------------

    @property
    def socket_connected(self) -> bool:
        """Whether a Socket Mode connection is open (and has been sent ``hello``)."""
        with self._lock:
            return bool(self._sockets)

    @property
    def socket_connections(self) -> int:
        """How many Socket Mode connections were opened so far (reconnections included)."""
        with self._lock:
            return self._socket_connections

    @property
    def socket_acks(self) -> list[dict[str, Any]]:
        """What the app sent back over Socket Mode (``{"envelope_id", "payload"?}``), in order."""
        with self._lock:
            return copy.deepcopy(self._acks)

    def socket_ack(self, envelope_id: str) -> dict[str, Any] | None:
        """The app's acknowledgement of one envelope, or None (not yet, or never)."""
        with self._lock:
            found = [ack for ack in self._acks if ack.get("envelope_id") == envelope_id]
            return copy.deepcopy(found[0]) if found else None

    def socket_send(
        self,
        type_: str,
        payload: dict[str, Any],
        *,
        accepts_response_payload: bool | None = None,
    ) -> str:
        """Push an envelope to the newest connection; returns its ``envelope_id``.

        ``type_`` is "events_api" (``payload`` is the ``event_callback`` JSON), "interactive"
        (the interaction payload) or "slash_commands" (the command's fields). As Slack does,
        ``accepts_response_payload`` is true for slash commands, view submissions and block
        suggestions unless given. Thread-safe; the send is scheduled, not awaited.
        """
        if type_ not in SOCKET_TYPES:
            raise ValueError(f"unknown Socket Mode envelope type {type_!r}")
        if accepts_response_payload is None:
            kind = payload.get("type")
            accepts_response_payload = type_ == "slash_commands" or (
                type_ == "interactive" and kind in ("view_submission", "block_suggestion")
            )
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {"envelope_id": envelope_id, "payload": copy.deepcopy(payload)}
        envelope |= {"type": type_, "accepts_response_payload": accepts_response_payload}
        if type_ == "events_api":
            envelope |= {"retry_attempt": 0, "retry_reason": ""}
        self._socket_push(envelope)
        return envelope_id

    def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        """Send Slack's ``disconnect`` message: the client is expected to reconnect."""
        self._socket_push({"type": "disconnect", "reason": reason, "debug_info": _DEBUG_INFO})

    def _socket_push(self, message: dict[str, Any]) -> None:
        with self._lock:
            if not self._sockets or self._loop is None:
                raise RuntimeError("no Socket Mode connection is open")
            socket, loop = self._sockets[-1], self._loop
        future = asyncio.run_coroutine_threadsafe(socket.send_json(message), loop)
        future.add_done_callback(self._socket_sent)

    def _socket_sent(self, future: Any) -> None:
        error = None if future.cancelled() else future.exception()
        if future.cancelled() or error is not None:
            with self._lock:
                self._socket_errors.append(f"a Socket Mode send failed: {error!r}")
                self._lock.notify_all()

    # -- lifecycle ------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        """The Web API methods, response URLs and the Socket Mode websocket."""
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/response/{hook}", self._respond)
        app.router.add_get("/socket/{ticket}", self._socket)

    async def closing(self) -> None:
        """Close Socket Mode connections with a clean close frame before the port goes."""
        with self._lock:
            sockets = list(self._sockets)
        for socket in sockets:  # a clean close frame, then the port goes
            with contextlib.suppress(Exception):
                await socket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopping")

    def response_url(self) -> str:
        """A fresh response_url (Slack's hooks.slack.com/actions/...) served by this fake."""
        return f"http://127.0.0.1:{self.port}/response/{secrets.token_hex(8)}"

    @property
    def responses(self) -> list[dict[str, Any]]:
        """What the app posted to response URLs (replace or delete the original...), in order."""
        with self._lock:
            return list(self._responses)

    async def _respond(self, request: web.Request) -> web.Response:
        payload = await request.json()
        with self._lock:
            self._responses.append(payload)
            self._lock.notify_all()
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        with self._lock:
            known = request.match_info["ticket"] in self._tickets
        if not known:
            return web.json_response({"ok": False, "error": "invalid_auth"}, status=401)
        socket = web.WebSocketResponse(timeout=2.0)  # autoping answers the client's pings
        await socket.prepare(request)
        with self._lock:
            count = len(self._sockets) + 1
        hello = {"type": "hello", "num_connections": count, "debug_info": _DEBUG_INFO}
        hello["connection_info"] = {"app_id": self.app_id}
        try:
            await socket.send_json(hello)
        except ConnectionError:
            return socket
        with self._lock:
            self._sockets.append(socket)
            self._socket_connections += 1
            self._lock.notify_all()
        try:
            async for message in socket:
                if message.type is not WSMsgType.TEXT:
                    continue
                try:
                    ack = json.loads(message.data)
                except ValueError:
                    ack = None
                with self._lock:
                    if isinstance(ack, dict):
                        self._acks.append(ack)
                    else:
                        self._socket_errors.append(f"not a JSON object: {message.data[:80]!r}")
                    self._lock.notify_all()
        finally:
            with self._lock:
                self._sockets.remove(socket)
                self._lock.notify_all()
        return socket

    # -- dispatch ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        answer: _Answer | None = None
        try:
            params, token = await _read_params(request)
        except _ApiError as error:
            params, token, answer = {}, None, _error_answer(error)
        with self._lock:
            self._calls.append(Call(method, copy.deepcopy(params)))
            status, body, headers = answer or self._answer(method, params, token)
            self._lock.notify_all()
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, method: str, params: dict[str, Any], token: str | None) -> _Answer:
        try:
            if method not in self._methods:
                raise _ApiError("unknown_method")
            if not token:
                raise _ApiError("not_authed")
            app_level = method in APP_TOKEN_METHODS
            expected = self.app_token if app_level else self.bot_token
            other = self.bot_token if app_level else self.app_token
            if secrets.compare_digest(token, other):
                raise _ApiError("not_allowed_token_type")
            if not secrets.compare_digest(token, expected):
                raise _ApiError("invalid_auth")
            if self._revoked and not app_level:
                raise _ApiError("token_revoked")
            if self._failures.get(method):
                failure = self._failures[method].pop(0)
                after = failure.retry_after
                headers = {} if after is None else {"Retry-After": str(after)}
                return failure.status, {"ok": False, "error": failure.error}, headers
            return 200, {"ok": True, **self._methods[method](params)}, {}
        except _ApiError as error:
            return _error_answer(error)

    # -- helpers the methods share (called with the lock held) ----------------------------

    def _next_ts(self) -> str:
        self._clock += 100
        return f"{FIRST_TS + self._clock // 1_000_000}.{self._clock % 1_000_000:06d}"

    def _conversation(self, channel_id: Any) -> _Channel:
        found = self._channels.get(str(channel_id or ""))
        if found is None or (found.is_private and self.bot_user_id not in found.members):
            raise _ApiError("channel_not_found")
        return found

    def _writable(self, channel_id: Any) -> _Channel:
        user = self._users.get(str(channel_id or ""))
        if user is not None and not user["is_bot"]:  # posting to a user id opens the DM
            channel_id = "D" + user["id"][1:]
            if channel_id not in self._channels:
                members = [user["id"], self.bot_user_id]
                self._channels[channel_id] = _Channel(channel_id, user["id"], members, True, True)
        channel = self._conversation(channel_id)
        if self.bot_user_id not in channel.members:
            raise _ApiError("not_in_channel")
        return channel

    def _content(self, params: dict[str, Any], old: Posted | None = None) -> tuple[str, list[Any]]:
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

    def _thread_of(self, channel: str, params: dict[str, Any]) -> str | None:
        thread_ts = str(params.get("thread_ts") or "") or None
        parent = self._messages.get((channel, thread_ts or ""))
        return (parent.thread_ts or thread_ts) if parent else thread_ts  # replies join the parent

    def _message_json(self, posted: Posted) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "message", "user": posted.user, "bot_id": posted.bot_id}
        message |= {"app_id": self.app_id, "team": self.team_id, "text": posted.text}
        message |= {"ts": posted.ts, "blocks": posted.blocks}
        profile = {"id": self.bot_id, "app_id": self.app_id, "name": self.BOT_NAME}
        message["bot_profile"] = profile | {"team_id": self.team_id, "deleted": False}
        if posted.thread_ts:
            message |= {"thread_ts": posted.thread_ts, "parent_user_id": self.bot_user_id}
        if posted.params.get("attachments"):
            message["attachments"] = posted.params["attachments"]
        return message

    def _store_view(
        self, view: Any, kind: str, old: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        if not isinstance(view, dict):
            raise _ApiError("invalid_arguments", "[ERROR] missing required field: view")
        if view.get("type") != kind:
            raise _ApiError(
                "invalid_arguments", f"[ERROR] type must be {kind} [json-pointer:/view]"
            )
        if kind == "modal" and "title" not in view:
            raise _ApiError("invalid_arguments", "[ERROR] missing required field: title")
        broken = over_limits(list(view.get("blocks") or []))
        if broken:
            raise _ApiError("invalid_blocks", *broken)
        if len(str(view.get("private_metadata", ""))) > MAX_METADATA:
            raise _ApiError("invalid_arguments", "private_metadata over 3000 characters")
        external = view.get("external_id") or ""
        clash = [v for v in self._views.values() if external and v["external_id"] == external]
        if clash and (old is None or clash[0]["id"] != old["id"]):
            raise _ApiError("duplicate_external_id")
        view_id = old["id"] if old else "V" + secrets.token_hex(5).upper()
        stored: dict[str, Any] = {
            "id": view_id,
            "team_id": self.team_id,
            "blocks": [],
            "private_metadata": "",
        }
        stored |= {"callback_id": "", "external_id": "", "state": {"values": {}}}
        stored |= {"clear_on_close": False, "notify_on_close": False}
        stored |= {"close": None, "submit": None} if kind == "modal" else {}
        stored |= copy.deepcopy(view) | {"id": view_id, "team_id": self.team_id}
        stored["hash"] = f"{int(time.time())}.{secrets.token_hex(4)}"
        stored["root_view_id"] = old["root_view_id"] if old else view_id
        stored["previous_view_id"] = old["previous_view_id"] if old else None
        stored |= {"app_id": self.app_id, "app_installed_team_id": self.team_id}
        self._views[view_id] = stored | {"bot_id": self.bot_id}
        return {"view": copy.deepcopy(self._views[view_id])}

    # -- the API methods ------------------------------------------------------------------

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = {"url": WORKSPACE_URL, "team": "Fake Workspace", "user": self.BOT_NAME}
        answer |= {"team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id}
        return answer | {"is_enterprise_install": False}

    def _connections_open(self, params: dict[str, Any]) -> dict[str, Any]:
        ticket = str(uuid.uuid4())
        self._tickets.add(ticket)
        return {"url": f"ws://127.0.0.1:{self.port}/socket/{ticket}"}

    def _post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable(params.get("channel"))
        text, blocks = self._content(params)
        thread_ts = self._thread_of(channel.id, params)
        ts = self._next_ts()
        posted = Posted(
            channel.id, ts, text, blocks, thread_ts, self.bot_user_id, self.bot_id, params
        )
        self._messages[(channel.id, ts)] = posted
        return {"channel": channel.id, "ts": ts, "message": self._message_json(posted)}

    def _update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._conversation(params.get("channel"))
        old = self._messages.get((channel.id, str(params.get("ts") or "")))
        if old is None:
            raise _ApiError("message_not_found")
        text, blocks = self._content(params, old)
        earlier = (*old.versions, replace(old, versions=()))
        new = replace(old, text=text, blocks=blocks, params=params, versions=earlier)
        self._messages[(channel.id, old.ts)] = new
        message = self._message_json(new)
        return {"channel": channel.id, "ts": old.ts, "text": text, "message": message}

    def _post_ephemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable(params.get("channel"))
        user = str(params.get("user") or "")
        if user not in channel.members:
            raise _ApiError("user_not_in_channel")
        text, blocks = self._content(params)
        ts = self._next_ts()
        thread_ts = self._thread_of(channel.id, params)
        self._ephemerals.append(Ephemeral(channel.id, user, ts, text, blocks, thread_ts, params))
        return {"message_ts": ts}

    def _permalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._conversation(params.get("channel"))
        posted = self._messages.get((channel.id, str(params.get("message_ts") or "")))
        if posted is None:
            raise _ApiError("message_not_found")
        link = f"{WORKSPACE_URL}archives/{channel.id}/p{posted.ts.replace('.', '')}"
        if posted.thread_ts and posted.thread_ts != posted.ts:
            link += f"?thread_ts={posted.thread_ts}&cid={channel.id}"
        return {"channel": channel.id, "permalink": link}

    def _open_view(self, params: dict[str, Any]) -> dict[str, Any]:
        trigger = str(params.get("trigger_id") or "")
        if not trigger:
            raise _ApiError("invalid_arguments", "[ERROR] missing required field: trigger_id")
        if trigger in self._triggers:
            raise _ApiError("exchanged_trigger_id")
        answer = self._store_view(params.get("view"), "modal")
        self._triggers.add(trigger)
        self._opened.append(answer["view"]["id"])
        return answer

    def _update_view(self, params: dict[str, Any]) -> dict[str, Any]:
        view_id, external = params.get("view_id"), params.get("external_id")
        if not view_id and not external:
            raise _ApiError(
                "invalid_arguments", "[ERROR] either view_id or external_id is required"
            )
        matches = [
            v
            for v in self._views.values()
            if v["id"] == view_id or (external and v["external_id"] == external)
        ]
        if not matches:
            raise _ApiError("not_found")
        if params.get("hash") and params["hash"] != matches[0]["hash"]:
            raise _ApiError("hash_conflict")
        return self._store_view(params.get("view"), matches[0]["type"], matches[0])

    def _publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user = str(params.get("user_id") or "")
        if not user:
            raise _ApiError("invalid_arguments", "[ERROR] missing required field: user_id")
        old = self._views.get(self._home.get(user, ""))
        if old is not None and params.get("hash") and params["hash"] != old["hash"]:
            raise _ApiError("hash_conflict")
        answer = self._store_view(params.get("view"), "home", old)
        self._home[user] = answer["view"]["id"]
        return answer

    def _conversation_info(self, params: dict[str, Any]) -> dict[str, Any]:
        c = self._conversation(params.get("channel"))
        info: dict[str, Any] = {"id": c.id, "created": FIRST_TS, "is_im": c.is_im}
        info |= {"is_org_shared": False, "context_team_id": self.team_id}
        if c.is_im:
            others = [m for m in c.members if m != self.bot_user_id]
            return {
                "channel": info | {"user": others[0] if others else "", "is_user_deleted": False}
            }
        info |= {"name": c.name, "name_normalized": c.name, "is_channel": True, "is_mpim": False}
        info |= {"is_group": False, "is_private": c.is_private, "is_archived": False}
        info |= {"is_general": False, "is_shared": False, "is_ext_shared": False}
        info |= {"is_member": self.bot_user_id in c.members, "creator": "", "unlinked": 0}
        for key in ("topic", "purpose"):
            info[key] = {"value": "", "creator": "", "last_set": 0}
        if params.get("include_num_members") in (True, "1", "true"):
            info["num_members"] = len(c.members)
        return {"channel": info}

    def _members(self, params: dict[str, Any]) -> dict[str, Any]:
        members = list(self._conversation(params.get("channel")).members)
        return {"members": members, "response_metadata": {"next_cursor": ""}}

    def _usergroup_users(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self._usergroups.get(str(params.get("usergroup") or ""))
        if group is None:
            raise _ApiError("no_such_subteam")
        return {"users": list(group[1])}

    def _user_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self._users.get(str(params.get("user") or ""))
        if user is None:
            raise _ApiError("user_not_found")
        return {"user": copy.deepcopy(user)}


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
