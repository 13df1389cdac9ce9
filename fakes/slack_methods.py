"""The Web API methods of the fake Slack (state set up by FakeSlackApi.__init__)."""

from __future__ import annotations

import copy
import secrets
from dataclasses import replace
from typing import Any

from aiohttp import web

from fakes.slack_shapes import (
    FIRST_TS,
    WORKSPACE_URL,
    Ephemeral,
    Posted,
    Uploaded,
    _ApiError,
    message_content,
)


class WebApiMethods:
    """chat.*, files.*, views.*, conversations.*, users.* and usergroups.* as Slack answers
    them, and the upload URL files.getUploadURLExternal hands out."""

    @property
    def files(self) -> list[Uploaded]:
        """Files uploaded (shared or not yet), oldest first."""
        with self._lock:
            return list(self._files.values())

    async def _receive_upload(self, request: web.Request) -> web.Response:
        """The upload URL files.getUploadURLExternal hands out: the file's bytes, once."""
        content = await request.read()
        with self._lock:
            file = self._files.get(request.match_info["file_id"])
            if file is None or file.content is not None:
                return web.Response(status=404, text="Not Found")
            self._files[file.id] = replace(file, content=content)
            self._lock.notify_all()
        return web.Response(text=f"OK - {len(content)}")

    # -- the API methods ------------------------------------------------------------------

    def _auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        answer = {"url": WORKSPACE_URL, "team": "Fake Workspace", "user": self.BOT_NAME}
        answer |= {"team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": self.bot_id}
        return answer | {"is_enterprise_install": False}

    def _post_message(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._writable(params.get("channel"))
        text, blocks = message_content(params)
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
        text, blocks = message_content(params, old)
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
        text, blocks = message_content(params)
        ts = self._next_ts()
        thread_ts = self._thread_of(channel.id, params)
        self._ephemerals.append(Ephemeral(channel.id, user, ts, text, blocks, thread_ts, params))
        return {"message_ts": ts}

    def _upload_url(self, params: dict[str, Any]) -> dict[str, Any]:
        filename, length = str(params.get("filename") or ""), str(params.get("length") or "")
        if not filename or not length.isdigit():
            raise _ApiError("invalid_arguments", "[ERROR] filename and length are required")
        file_id = "F" + secrets.token_hex(5).upper()
        self._files[file_id] = Uploaded(file_id, filename, int(length))
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, params: dict[str, Any]) -> dict[str, Any]:
        named = params.get("files")
        if not isinstance(named, list) or not named:
            raise _ApiError("invalid_arguments", "[ERROR] missing required field: files")
        found = [self._files.get(str(item.get("id"))) for item in named]
        if any(file is None or file.content is None for file in found):
            raise _ApiError("file_not_found")
        shared_in = None
        if params.get("channel_id"):
            channel = self._writable(params["channel_id"])
            text = str(params.get("initial_comment") or "")
            thread_ts = self._thread_of(channel.id, params)
            ts = self._next_ts()
            posted = Posted(
                channel.id, ts, text, [], thread_ts, self.bot_user_id, self.bot_id, params
            )
            self._messages[(channel.id, ts)] = posted
            shared_in = (channel.id, ts)
        answer = []
        for item, file in zip(named, found, strict=True):
            assert file is not None
            title = str(item.get("title") or file.filename)
            self._files[file.id] = replace(file, title=title, shared_in=shared_in)
            answer.append({"id": file.id, "title": title, "name": file.filename})
        return {"files": answer}

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
