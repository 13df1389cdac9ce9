"""Request bodies Slack sends to an app, in Slack's documented shapes, for tests to sign and post.

Interactions (``block_actions``, ``view_submission``) and slash commands are form-encoded; Events
API envelopes are JSON. Sign them with ``fakes.slack_api.signed_headers``.
"""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

API_APP_ID = "A0FAKEAPP"
VERIFICATION_TOKEN = "fake-verification-token"  # the deprecated ``token`` Slack still includes
TEAM_DOMAIN = "fake-workspace"


def _id(prefix: str) -> str:
    return prefix + secrets.token_hex(5).upper()


def _trigger_id() -> str:
    return f"{secrets.randbelow(10**13)}.{secrets.randbelow(10**13)}.{secrets.token_hex(16)}"


def _now_ts() -> str:
    return f"{time.time():.6f}"


def _hook(kind: str, team_id: str) -> str:
    return f"https://hooks.slack.com/{kind}/{team_id}/{secrets.randbelow(10**13)}/{secrets.token_hex(12)}"


def _user(team_id: str, user_id: str, user_name: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_name, "name": user_name, "team_id": team_id}


def _channel_name(channel_id: str) -> str:
    return "directmessage" if channel_id.startswith("D") else channel_id.lower()


def _form_payload(payload: Mapping[str, Any]) -> bytes:
    return urlencode({"payload": json.dumps(payload)}).encode()


def block_actions_body(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    message_ts: str,
    action_id: str,
    value: str | None = None,
    selected_option: Mapping[str, Any] | None = None,
    selected_user: str | None = None,
    trigger_id: str | None = None,
    action_ts: str | None = None,
    response_url: str | None = None,
    container_thread_ts: str | None = None,
    block_id: str | None = None,
) -> bytes:
    """A ``block_actions`` payload for a button (or static/users select) in a message."""
    action: dict[str, Any] = {"action_id": action_id, "block_id": block_id or _id("b")}
    if selected_option is not None:
        action |= {"type": "static_select", "selected_option": dict(selected_option)}
    elif selected_user is not None:
        action |= {"type": "users_select", "selected_user": selected_user}
    else:
        action |= {"type": "button", "text": {"type": "plain_text", "text": "Button"}}
        action |= {} if value is None else {"value": value}
    action["action_ts"] = action_ts or _now_ts()
    container: dict[str, Any] = {"type": "message", "message_ts": message_ts}
    container |= {"channel_id": channel_id, "is_ephemeral": False}
    message: dict[str, Any] = {"type": "message", "ts": message_ts, "text": "", "blocks": []}
    if container_thread_ts:
        container["thread_ts"] = message["thread_ts"] = container_thread_ts
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": _user(team_id, user_id, user_name),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id or _trigger_id(),
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": _channel_name(channel_id)},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url or _hook("actions", team_id),
        "actions": [action],
    }
    return _form_payload(payload)


def view_submission_body(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    callback_id: str,
    private_metadata: str,
    values: Mapping[str, Mapping[str, Any]],
    view_id: str | None = None,
    trigger_id: str | None = None,
) -> bytes:
    """A ``view_submission`` payload; ``values`` is block_id → action_id → state (a str is text)."""
    state = {
        block: {
            action: {"type": "plain_text_input", "value": v} if isinstance(v, str) else dict(v)
            for action, v in actions.items()
        }
        for block, actions in values.items()
    }
    view_id = view_id or _id("V")
    view: dict[str, Any] = {
        "id": view_id,
        "team_id": team_id,
        "type": "modal",
        "blocks": [],
        "private_metadata": private_metadata,
        "callback_id": callback_id,
        "state": {"values": state},
        "hash": f"{int(time.time())}.{secrets.token_hex(4)}",
        "title": {"type": "plain_text", "text": "Modal", "emoji": True},
        "clear_on_close": False,
        "notify_on_close": False,
        "close": None,
        "submit": {"type": "plain_text", "text": "Submit", "emoji": True},
        "previous_view_id": None,
        "root_view_id": view_id,
        "app_id": API_APP_ID,
        "external_id": "",
        "app_installed_team_id": team_id,
        "bot_id": _id("B"),
    }
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": {"id": team_id, "domain": TEAM_DOMAIN},
        "user": _user(team_id, user_id, user_name),
        "api_app_id": API_APP_ID,
        "token": VERIFICATION_TOKEN,
        "trigger_id": trigger_id or _trigger_id(),
        "view": view,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }
    return _form_payload(payload)


def event_callback_body(
    *,
    team_id: str,
    event: Mapping[str, Any],
    event_id: str | None = None,
    event_time: int | None = None,
    bot_user_id: str = "UBOT",
) -> bytes:
    """The Events API ``event_callback`` envelope around ``event`` (JSON)."""
    authorization = {"enterprise_id": None, "team_id": team_id, "user_id": bot_user_id}
    envelope: dict[str, Any] = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": API_APP_ID,
        "event": dict(event),
        "type": "event_callback",
        "event_id": event_id or _id("Ev"),
        "event_time": int(time.time()) if event_time is None else event_time,
        "authorizations": [authorization | {"is_bot": True, "is_enterprise_install": False}],
        "is_ext_shared_channel": False,
        "event_context": "4-" + secrets.token_urlsafe(24),
    }
    return json.dumps(envelope).encode()


def message_event(
    *,
    channel: str,
    user: str,
    text: str,
    ts: str,
    thread_ts: str | None = None,
    files: list[dict[str, Any]] | None = None,
    subtype: str | None = None,
    bot_id: str | None = None,
) -> dict[str, Any]:
    """A ``message`` event; with ``files`` its subtype is "file_share" unless one is given."""
    kind = {"D": "im", "G": "group"}.get(channel[:1], "channel")
    section = {"type": "rich_text_section", "elements": [{"type": "text", "text": text}]}
    event: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
    event |= {"blocks": [{"type": "rich_text", "block_id": _id("r"), "elements": [section]}]}
    event |= {"channel": channel, "event_ts": ts, "channel_type": kind}
    if bot_id is None:
        event["client_msg_id"] = str(uuid.uuid4())
    else:
        event["bot_id"] = bot_id
    if thread_ts is not None:
        event["thread_ts"] = thread_ts
    if files is not None:
        event |= {"files": files, "upload": False}
        subtype = subtype or "file_share"
    if subtype is not None:
        event["subtype"] = subtype
    return event


def app_home_opened_event(user: str, view: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """An ``app_home_opened`` event for the Home tab (``view`` only once one was published)."""
    event = {"type": "app_home_opened", "user": user, "channel": "D" + user[1:], "tab": "home"}
    event |= {"event_ts": _now_ts()}
    return event if view is None else event | {"view": dict(view)}


def slash_command_body(
    *,
    team_id: str,
    user_id: str,
    user_name: str,
    channel_id: str,
    command: str,
    text: str,
    trigger_id: str | None = None,
    response_url: str | None = None,
) -> bytes:
    """The form a slash command posts."""
    fields = {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": _channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_name,
        "command": command,
        "text": text,
        "api_app_id": API_APP_ID,
        "is_enterprise_install": "false",
        "response_url": response_url or _hook("commands", team_id),
        "trigger_id": trigger_id or _trigger_id(),
    }
    return urlencode(fields).encode()


def url_verification_body(challenge: str) -> bytes:
    """The Events API handshake Slack sends when the request URL is set (JSON)."""
    body = {"token": VERIFICATION_TOKEN, "challenge": challenge, "type": "url_verification"}
    return json.dumps(body).encode()
