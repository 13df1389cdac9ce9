"""Sending to Slack with the real slack_sdk client: posts, threads, updates in place."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace

import aiohttp
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.web.async_client import AsyncWebClient

from channels.base import DeliveryError, DeliveryResult, OutboundMessage

CHANNEL = "slack"
log = logging.getLogger(__name__)
# Answers that will not change by trying again: the message fails for good (and staff see
# it through the staff feed instead).
PERMANENT = frozenset(
    {
        "account_inactive",
        "cant_update_message",
        "channel_not_found",
        "edit_window_closed",
        "invalid_auth",
        "invalid_blocks",
        "invalid_blocks_format",
        "is_archived",
        "message_not_found",
        "missing_scope",
        "msg_too_long",
        "no_text",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "team_access_not_granted",
        "token_revoked",
    }
)


def message_id(channel: str, ts: str) -> str:
    """Our provider id for a Slack message: its channel and ts ("C0123:1700000000.000100")."""
    return f"{channel}:{ts}"


def split_message_id(value: str) -> tuple[str, str]:
    """The channel and ts of a message id made by ``message_id``."""
    channel, _, ts = value.partition(":")
    if not channel or not ts:
        raise ValueError(f"not a Slack message id: {value!r}")
    return channel, ts


class SlackAdapter:
    """Posts staff messages: a card, a line in a card's thread, or a card updated in place.

    Slack allows about one message a second per channel and answers 429 with Retry-After
    beyond that; a channel told to wait is not called again until then, and the wait is
    handed to the outbox so other channels' messages are not held up.
    """

    name = CHANNEL

    def __init__(
        self,
        token: str,
        *,
        base_url: str | None = None,
        client: AsyncWebClient | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client or AsyncWebClient(
            token=token, base_url=base_url or AsyncWebClient.BASE_URL
        )
        self._clock = clock
        self._blocked_until: dict[str, float] = {}

    async def send(self, message: OutboundMessage) -> DeliveryResult:
        """Post (or update in place) one message, or raise DeliveryError."""
        channel = message.address
        wait = self._blocked_until.get(channel, 0.0) - self._clock()
        if wait > 0:
            raise DeliveryError(f"Slack asked us to wait ({channel})", retry_after=wait)
        try:
            text = message.text
            if message.link_to:
                text = f"{text}\n{await self._permalink(message.link_to)}".rstrip()
            blocks = [dict(block) for block in message.blocks] or None
            if message.attachments and not message.replace:
                return await self._upload(message, text)
            if message.replace:
                at, ts = split_message_id(message.replace)
                answer = await self.client.chat_update(channel=at, ts=ts, text=text, blocks=blocks)
            else:
                thread = split_message_id(message.thread_ids[0])[1] if message.thread_ids else None
                answer = await self.client.chat_postMessage(
                    channel=channel,
                    text=text,
                    blocks=blocks,
                    thread_ts=thread,
                    unfurl_links=False,
                    unfurl_media=False,
                )
        except SlackApiError as error:
            raise self._failure(channel, error) from None
        except (aiohttp.ClientError, OSError) as error:
            raise DeliveryError(f"Slack could not be reached: {type(error).__name__}") from None
        return DeliveryResult(provider_id=message_id(str(answer["channel"]), str(answer["ts"])))

    async def _upload(self, message: OutboundMessage, text: str) -> DeliveryResult:
        """The files, shared in one message with the text as its comment (files.upload v2).

        A workspace that has not granted ``files:write`` still gets the text: the files are
        left out, and the log says which scope to add."""
        channel = message.address
        thread = split_message_id(message.thread_ids[0])[1] if message.thread_ids else None
        uploads = [
            {"content": file.content or b"", "filename": file.filename, "title": file.title}
            for file in message.attachments
        ]
        try:
            await self.client.files_upload_v2(
                channel=channel, file_uploads=uploads, initial_comment=text, thread_ts=thread
            )
        except SlackApiError as error:
            if error.response.get("error") != "missing_scope":
                raise
            log.warning("Slack refused the files (add the files:write scope); sending the text")
            plain = replace(message, attachments=())
            return await self.send(plain)
        except SlackRequestError as error:  # the upload itself (step 2) was refused
            raise DeliveryError(f"Slack did not take the files: {error}") from None
        # Slack shares uploaded files a moment later, so the message has no ts to keep yet.
        return DeliveryResult()

    async def _permalink(self, target: str) -> str:
        channel, ts = split_message_id(target)
        try:
            answer = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as error:
            # The escalation still goes out, without its link.
            log.warning("no permalink for %s: %s", target, error.response.get("error"))
            return ""
        return str(answer.get("permalink") or "")

    def _failure(self, channel: str, error: SlackApiError) -> DeliveryError:
        code = str(error.response.get("error") or "unknown_error")
        if error.response.status_code == 429 or code == "ratelimited":
            headers = error.response.headers or {}
            retry_after = _seconds(headers.get("Retry-After") or headers.get("retry-after"))
            self._blocked_until[channel] = self._clock() + retry_after
            return DeliveryError(f"Slack rate limit on {channel}", retry_after=retry_after)
        gone = code in ("message_not_found", "cant_update_message")
        return DeliveryError(f"Slack: {code}", permanent=code in PERMANENT, original_gone=gone)


def _seconds(value: object) -> float:
    try:
        return max(1.0, float(str(value)))
    except ValueError:
        return 1.0
