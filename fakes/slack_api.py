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

import copy
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from aiohttp import web

from fakes.server import ThreadedServer
from fakes.slack_methods import WebApiMethods
from fakes.slack_shapes import (
    APP_TOKEN_METHODS,
    FIRST_TS,
    MAX_METADATA,
    Call,
    Ephemeral,
    Posted,
    Uploaded,
    _Answer,
    _ApiError,
    _Channel,
    _describe,
    _error_answer,
    _Failure,
    _read_params,
    over_limits,
    signed_headers,
    socket_payload,
)
from fakes.slack_socket import SocketModeFake

__all__ = [
    "Call",
    "Ephemeral",
    "FakeSlackApi",
    "Posted",
    "Uploaded",
    "over_limits",
    "signed_headers",
    "socket_payload",
]


class FakeSlackApi(SocketModeFake, WebApiMethods, ThreadedServer):
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
        self._files: dict[str, Uploaded] = {}
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
            "files.getUploadURLExternal": self._upload_url,
            "files.completeUploadExternal": self._complete_upload,
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

    # -- lifecycle ------------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        """The Web API methods, response URLs and the Socket Mode websocket."""
        app.router.add_route("*", "/api/{method}", self._handle)
        app.router.add_post("/response/{hook}", self._respond)
        app.router.add_get("/socket/{ticket}", self._socket)
        app.router.add_post("/upload/{file_id}", self._receive_upload)

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
