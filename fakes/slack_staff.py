"""A member of staff in the fake Slack workspace, doing what Slack sends to the bot (signed).

For whatever drives a running `complaintbot serve` from outside: the end-to-end tests, the
benchmark and the pretend workspace in ``scripts/``.
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from fakes.slack_api import FakeSlackApi, Posted, signed_headers
from fakes.slack_payloads import (
    block_actions_body,
    event_callback_body,
    message_event,
    slash_command_body,
    view_submission_body,
)


class SlackStaff:
    """Presses, modals, thread messages and the slash command, as one user in one channel."""

    def __init__(
        self,
        slack: FakeSlackApi,
        base_url: str,
        signing_secret: str,
        channel: str,
        user: str,
        user_name: str,
    ) -> None:
        self.slack = slack
        self.base_url = base_url.rstrip("/")
        self.secret = signing_secret
        self.channel = channel
        self.user = user
        self.user_name = user_name
        self._identity = {"team_id": slack.team_id, "user_id": user, "user_name": user_name}

    def post(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
        """Send ``body`` to /webhooks/slack/``path`` as Slack would (signed unless told)."""
        headers = headers or signed_headers(body, self.secret)
        url = f"{self.base_url}/webhooks/slack/{path}"
        return httpx.post(url, content=body, headers=headers, timeout=30)

    def card(self, reference: str) -> Posted | None:
        """The case's card in the channel, if the bot has posted one."""
        for message in self.slack.messages(self.channel):
            if message.thread_ts is None and reference.upper() in message.text:
                return message
        return None

    def wait_for_card(self, reference: str, timeout: float = 30) -> Posted:
        """The case's card, once the bot has posted it."""
        self.slack.wait_for(lambda _: self.card(reference) is not None, timeout=timeout)
        card = self.card(reference)
        assert card is not None
        return card

    def press(self, card: Posted, action_id: str, **kw: Any) -> httpx.Response:
        """Press a button (or choose in a select) on a card."""
        body = block_actions_body(
            **self._identity,
            channel_id=self.channel,
            message_ts=card.ts,
            action_id=action_id,
            **kw,
        )
        return self.post("interactivity", body)

    def open_modal(self, card: Posted, action_id: str, reference: str, timeout: float = 30) -> str:
        """Press a button that opens a modal; the modal's private metadata."""
        opened = len(self.slack.views_opened)
        self.press(card, action_id, value=reference)
        self.slack.wait_for(lambda s: len(s.views_opened) > opened, timeout=timeout)
        return str(self.slack.views_opened[-1]["private_metadata"])

    def submit(self, callback_id: str, metadata: str, values: dict[str, Any]) -> dict[str, Any]:
        """Submit a modal; the bot's answer (an updated view, errors, or clear)."""
        body = view_submission_body(
            **self._identity, callback_id=callback_id, private_metadata=metadata, values=values
        )
        answer = self.post("interactivity", body)
        return dict(answer.json()) if answer.content else {}

    def type_in_thread(self, card: Posted, text: str) -> httpx.Response:
        """Type a message in a card's thread."""
        event = message_event(
            channel=self.channel,
            user=self.user,
            text=text,
            ts=f"{time.time():.6f}",
            thread_ts=card.ts,
        )
        return self.post("events", event_callback_body(team_id=self.slack.team_id, event=event))

    def command(self, command: str, text: str) -> httpx.Response:
        """Type the slash command with ``text``."""
        body = slash_command_body(
            **self._identity,
            channel_id=self.channel,
            command=command,
            text=text,
            response_url=self.slack.response_url(),
        )
        return self.post("commands", body)


def selected(value: str) -> dict[str, Any]:
    """A static select's state in a submitted modal (Slack's shape)."""
    return {"type": "static_select", "selected_option": {"value": value}}
