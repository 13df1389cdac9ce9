"""The Slack adapter against the fake Web API: posts, threads, updates, links, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from channels.base import Attachment, DeliveryError, OutboundMessage
from channels.slack.adapter import SlackAdapter, message_id, split_message_id
from fakes.slack_api import FakeSlackApi

CHANNEL = "C0QUEUE01"


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    with FakeSlackApi() as fake:
        fake.add_channel(CHANNEL, "complaints")
        fake.add_channel("C0ELSEWHR", "elsewhere", bot_member=False)
        yield fake


class Clock:
    """A monotonic clock tests move by hand."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def outbound(text: str, **kw: object) -> OutboundMessage:
    return OutboundMessage(channel="slack", address=CHANNEL, text=text, outbox_id=1, **kw)  # type: ignore[arg-type]


async def test_posts_threads_and_updates_in_place(slack: FakeSlackApi) -> None:
    adapter = SlackAdapter(slack.bot_token, base_url=slack.url)
    blocks = ({"type": "section", "text": {"type": "mrkdwn", "text": "*card*"}},)
    card = await adapter.send(outbound("card", blocks=blocks))
    assert card.provider_id is not None
    channel, ts = split_message_id(card.provider_id)
    assert channel == CHANNEL
    line = await adapter.send(outbound("a line", thread_ids=(card.provider_id,)))
    assert line.provider_id != card.provider_id
    await adapter.send(outbound("card, updated", replace=card.provider_id, blocks=blocks))
    [posted] = [m for m in slack.messages(CHANNEL) if m.thread_ts is None]
    assert (posted.ts, posted.text, len(posted.versions)) == (ts, "card, updated", 1)
    assert [m.text for m in slack.thread(CHANNEL, ts)] == ["a line"]
    assert slack.calls[0].params["unfurl_links"] in (False, "0", "false")


async def test_a_link_to_another_message_becomes_its_permalink(slack: FakeSlackApi) -> None:
    adapter = SlackAdapter(slack.bot_token, base_url=slack.url)
    card = await adapter.send(outbound("card"))
    assert card.provider_id is not None
    await adapter.send(outbound("Escalation", link_to=card.provider_id))
    _, ts = split_message_id(card.provider_id)
    last = slack.messages(CHANNEL)[-1]
    assert last.text.startswith("Escalation\n")
    assert f"/archives/{CHANNEL}/p{ts.replace('.', '')}" in last.text


@pytest.mark.parametrize(
    ("setup", "error"),
    [
        ("revoked", "token_revoked"),
        ("unknown channel", "channel_not_found"),
        ("not invited", "not_in_channel"),
    ],
)
async def test_what_trying_again_cannot_fix_fails_for_good(
    slack: FakeSlackApi, setup: str, error: str
) -> None:
    adapter = SlackAdapter(slack.bot_token, base_url=slack.url)
    address = {"unknown channel": "C0NOWHERE", "not invited": "C0ELSEWHR"}.get(setup, CHANNEL)
    if setup == "revoked":
        slack.revoke_token()
    message = OutboundMessage(channel="slack", address=address, text="x", outbox_id=1)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(message)
    assert raised.value.permanent
    assert error in raised.value.reason


async def test_a_rate_limit_waits_as_slack_asks_without_calling_again(
    slack: FakeSlackApi,
) -> None:
    clock = Clock()
    adapter = SlackAdapter(slack.bot_token, base_url=slack.url, clock=clock)
    slack.fail_next("chat.postMessage", status=429, retry_after=30)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(outbound("first"))
    assert not raised.value.permanent
    assert raised.value.retry_after == 30
    clock.now += 10
    with pytest.raises(DeliveryError) as again:
        await adapter.send(outbound("second"))
    assert again.value.retry_after == pytest.approx(20)
    assert slack.count("chat.postMessage") == 1, "no call while Slack asked us to wait"
    clock.now += 21
    await adapter.send(outbound("third"))
    assert [m.text for m in slack.messages(CHANNEL)] == ["third"]


async def test_a_server_error_is_tried_again_later(slack: FakeSlackApi) -> None:
    adapter = SlackAdapter(slack.bot_token, base_url=slack.url)
    slack.fail_next("chat.postMessage", "internal_error", status=500)
    with pytest.raises(DeliveryError) as raised:
        await adapter.send(outbound("x"))
    assert not raised.value.permanent
    assert raised.value.retry_after is None


def test_message_ids_round_trip() -> None:
    assert split_message_id(message_id("C1", "1700000000.000100")) == ("C1", "1700000000.000100")
    with pytest.raises(ValueError, match="not a Slack message id"):
        split_message_id("nonsense")


def chart(name: str) -> Attachment:
    content = b"\x89PNG\r\n\x1a\n" + name.encode()
    return Attachment(f"{name}.png", "image/png", len(content), content, title=name.title())


async def test_files_are_shared_in_one_message_with_the_text(slack: FakeSlackApi) -> None:
    adapter = SlackAdapter(slack.bot_token, base_url=slack.url)
    card = await adapter.send(outbound("card"))
    assert card.provider_id is not None
    files = (chart("by category"), chart("timing"))
    await adapter.send(outbound("two charts", attachments=files, thread_ids=(card.provider_id,)))
    [message] = [m for m in slack.messages(CHANNEL) if m.text == "two charts"]
    assert message.thread_ts == split_message_id(card.provider_id)[1]
    shared = [f for f in slack.files if f.shared_in == (CHANNEL, message.ts)]
    assert [(f.title, f.content) for f in shared] == [(f.title, f.content) for f in files]


async def test_a_channel_the_bot_is_not_in_refuses_files_for_good(slack: FakeSlackApi) -> None:
    adapter = SlackAdapter(slack.bot_token, base_url=slack.url)
    message = OutboundMessage(
        channel="slack", address="C0ELSEWHR", text="x", outbox_id=1, attachments=(chart("a"),)
    )
    with pytest.raises(DeliveryError) as refused:
        await adapter.send(message)
    assert refused.value.permanent
    assert all(f.shared_in is None for f in slack.files)
