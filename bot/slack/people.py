"""Who is who in the workspace: names for the audit trail, and who may act on a queue."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.destinations import StaffDestinations

log = logging.getLogger(__name__)
# How long a membership or a name is trusted before Slack is asked again.
TTL_SECONDS = 60.0
_SAFE_NAME = re.compile(r"[\x00-\x1f()<>&]")


def actor_name(user_id: str, name: str) -> str:
    """How a Slack user is recorded on a case: "Display Name (slack:U0123)"."""
    return f"{_SAFE_NAME.sub('', name).strip() or user_id} (slack:{user_id})"


class People:
    """Names and memberships, cached briefly (Slack rate-limits these lookups)."""

    def __init__(
        self,
        client: AsyncWebClient,
        staff: StaffDestinations,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._staff = staff
        self._clock = clock
        self._names: dict[str, tuple[float, str]] = {}
        self._members: dict[str, tuple[float, frozenset[str]]] = {}

    async def name(self, user_id: str) -> str:
        """The person as the audit trail records them."""
        cached = self._names.get(user_id)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        shown = user_id
        try:
            answer = await self._client.users_info(user=user_id)
            user = answer.get("user") or {}
            profile = user.get("profile") or {}
            shown = str(
                profile.get("display_name") or user.get("real_name") or user.get("name") or user_id
            )
        except SlackApiError as error:
            log.warning("users.info %s failed: %s", user_id, error.response.get("error"))
        recorded = actor_name(user_id, shown)
        self._names[user_id] = (self._clock() + TTL_SECONDS, recorded)
        return recorded

    async def in_staff_group(self, user_id: str) -> bool:
        """Whether this person is in the staff group (who see what belongs to no queue)."""
        group = self._staff.staff_group
        return bool(group) and user_id in await self._group(str(group))

    async def may_act(self, user_id: str, queue: str) -> bool:
        """Staff group members act on every queue; a queue's channel members on that queue."""
        if self._staff.staff_group and user_id in await self._group(self._staff.staff_group):
            return True
        channel = self._staff.slack_channel(queue)
        return channel is not None and user_id in await self._channel(channel)

    async def queues_for(self, user_id: str, queues: list[str]) -> list[str]:
        """Of ``queues``, the ones this person may see and act on."""
        return [queue for queue in queues if await self.may_act(user_id, queue)]

    async def _group(self, group: str) -> frozenset[str]:
        return await self._cached(f"group:{group}", self._group_members, group)

    async def _channel(self, channel: str) -> frozenset[str]:
        return await self._cached(f"channel:{channel}", self._channel_members, channel)

    async def _cached(
        self, key: str, load: Callable[[str], Awaitable[list[str]]], value: str
    ) -> frozenset[str]:
        cached = self._members.get(key)
        if cached is not None and cached[0] > self._clock():
            return cached[1]
        try:
            members = frozenset(await load(value))
        except SlackApiError as error:
            # Refuse rather than guess: nobody is let in on a failed lookup.
            log.warning("membership lookup %s failed: %s", key, error.response.get("error"))
            return frozenset()
        self._members[key] = (self._clock() + TTL_SECONDS, members)
        return members

    async def _group_members(self, group: str) -> list[str]:
        answer = await self._client.usergroups_users_list(usergroup=group)
        return [str(user) for user in answer.get("users") or []]

    async def _channel_members(self, channel: str) -> list[str]:
        members: list[str] = []
        cursor: str | None = None
        while True:
            answer = await self._client.conversations_members(
                channel=channel, limit=1000, cursor=cursor
            )
            members += [str(user) for user in answer.get("members") or []]
            cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return members
