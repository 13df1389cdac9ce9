"""A Slack workspace (the fake Web API) and the product's console wired to it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.services.app import App
from bot.settings import Settings
from bot.slack.serving import slack_adapter
from bot.storage.migrate import upgrade
from bot.storage.models import Case, CaseEvent, StaffPost
from bot.web import create_web_app
from channels.slack.adapter import split_message_id
from fakes import FakeClock, RecordingAdapter, SeededRandom
from fakes.slack_api import FakeSlackApi, Posted, signed_headers
from fakes.slack_payloads import (
    block_actions_body,
    event_callback_body,
    message_event,
    slash_command_body,
    view_submission_body,
)
from tests.bot.conversation import register_complaint

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0TEST"
QUEUE_CHANNEL = "C0QUEUE01"
URGENT_CHANNEL = "C0URGENT1"
ESCALATION_CHANNEL = "C0ESCAL01"
STAFF_GROUP = "S0STAFF01"
ONCALL = "S0ONCALL1"
ALICE, BOB, MALLORY = "U0ALICE01", "U0BOB0001", "U0MALLORY"
STAFF_FILE = f"""
[queues.complaints]
slack = "{QUEUE_CHANNEL}"
[queues.complaints-urgent]
slack = "{URGENT_CHANNEL}"
[escalation]
slack = "{ESCALATION_CHANNEL}"
mention = "{ONCALL}"
[slack]
staff_group = "{STAFF_GROUP}"
"""


@pytest.fixture
def slack() -> Iterator[FakeSlackApi]:
    """A workspace: alice (staff group), bob (in the complaints channel), mallory (neither)."""
    with FakeSlackApi(team_id=TEAM) as fake:
        fake.add_user(ALICE, "alice", "Alice Adams")
        fake.add_user(BOB, "bob", "Bob Brown")
        fake.add_user(MALLORY, "mallory", "Mallory Moss")
        fake.add_channel(QUEUE_CHANNEL, "complaints", members=[BOB])
        fake.add_channel(URGENT_CHANNEL, "complaints-urgent", members=[])
        fake.add_channel(ESCALATION_CHANNEL, "escalations", members=[ALICE])
        fake.add_usergroup(STAFF_GROUP, "complaints-staff", [ALICE])
        fake.add_usergroup(ONCALL, "on-call", [ALICE])
        yield fake


@pytest.fixture
def slack_settings(settings: Settings, slack: FakeSlackApi, tmp_path: Path) -> Settings:
    staff_file = tmp_path / "staff.toml"
    staff_file.write_text(STAFF_FILE)
    return settings.model_copy(
        update={
            "slack_bot_token": SecretStr(slack.bot_token),
            "slack_signing_secret": SecretStr(SECRET),
            "slack_team_id": TEAM,
            "slack_api_base_url": slack.url,
            "staff_file": staff_file,
        }
    )


def command_body(slack: FakeSlackApi, text: str, user: str = ALICE) -> bytes:
    """/complaint with ``text``, typed by ``user`` in the queue's channel."""
    return slash_command_body(
        team_id=TEAM,
        user_id=user,
        user_name=user.lower(),
        channel_id=QUEUE_CHANNEL,
        command="/complaint",
        text=text,
        response_url=slack.response_url(),
    )


@dataclass
class Workspace:
    """The product with Slack on: press buttons, submit modals, type in threads, deliver."""

    app: App
    slack: FakeSlackApi
    http: httpx.AsyncClient
    customer: RecordingAdapter

    async def post(
        self, body: bytes, path: str = "/webhooks/slack/interactivity", **kw: Any
    ) -> httpx.Response:
        """Send a request as Slack would, signed (unless headers are given)."""
        headers = kw.pop("headers", None) or signed_headers(body, SECRET)
        return await self.http.post(path, content=body, headers=headers, **kw)

    async def deliver(self) -> None:
        """Run the outbox once for Slack and for the customer's channel."""
        adapters = {"slack": slack_adapter(self.app), "console": self.customer}
        for name, adapter in adapters.items():
            await Dispatcher(self.app, {name: adapter}).run_once()

    async def case(self, reference: str) -> Case:
        async with self.app.sessions() as session:
            found = await session.scalar(select(Case).where(Case.reference == reference))
            assert found is not None
            return found

    async def events(self, reference: str) -> list[CaseEvent]:
        case = await self.case(reference)
        async with self.app.sessions() as session:
            rows = await session.scalars(
                select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
            )
            return list(rows.all())

    async def card(self, reference: str, channel: str = QUEUE_CHANNEL) -> Posted:
        """The case's card as Slack shows it now."""
        case = await self.case(reference)
        async with self.app.sessions() as session:
            post = await session.scalar(
                select(StaffPost).where(StaffPost.case_id == case.id, StaffPost.address == channel)
            )
        assert post is not None, f"{reference} has no card in {channel}"
        _, ts = split_message_id(post.provider_id)
        [found] = [m for m in self.slack.messages(channel) if m.ts == ts]
        return found

    def told(self, user: str) -> list[str]:
        """What the console told one person privately (ephemeral, or a direct message)."""
        direct = [m.text for m in self.slack.messages(f"D{user[1:]}")]
        return [e.text for e in self.slack.ephemerals if e.user == user] + direct

    async def thread_text(self, reference: str, channel: str = QUEUE_CHANNEL) -> str:
        card = await self.card(reference, channel)
        return "\n".join(m.text for m in self.slack.thread(channel, card.ts))

    async def press(
        self, reference: str, action_id: str, user: str = ALICE, **kw: Any
    ) -> httpx.Response:
        """Press a button (or choose in a select) on the case's card."""
        card = await self.card(reference)
        kw.setdefault("value", reference if "selected_option" not in kw else None)
        body = block_actions_body(
            team_id=kw.pop("team_id", TEAM),
            user_id=user,
            user_name=user.lower(),
            channel_id=QUEUE_CHANNEL,
            message_ts=card.ts,
            action_id=action_id,
            **kw,
        )
        return await self.post(body)

    async def submit(
        self, callback_id: str, metadata: str, values: dict[str, Any], user: str = ALICE, **kw: Any
    ) -> httpx.Response:
        body = view_submission_body(
            team_id=TEAM,
            user_id=user,
            user_name=user.lower(),
            callback_id=callback_id,
            private_metadata=metadata,
            values=values,
            **kw,
        )
        return await self.post(body)

    async def type_in_thread(
        self, reference: str, text: str, user: str = BOB, **kw: Any
    ) -> httpx.Response:
        card = await self.card(reference)
        event = message_event(
            channel=QUEUE_CHANNEL, user=user, text=text, ts=f"{card.ts}9", thread_ts=card.ts, **kw
        )
        body = event_callback_body(team_id=TEAM, event=event)
        return await self.post(body, "/webhooks/slack/events")

    async def command(self, text: str, user: str = ALICE) -> httpx.Response:
        body = command_body(self.slack, text, user)
        return await self.post(body, "/webhooks/slack/commands")


async def new_case(workspace: Workspace) -> str:
    """A complaint registered and its card delivered; what the customer was sent is cleared."""
    reference = await register_complaint(workspace.app)
    await workspace.deliver()
    workspace.customer.sent.clear()
    return reference


async def ask(workspace: Workspace, text: str, user: str = ALICE) -> dict[str, Any]:
    """Type the slash command; its answer (given at once, or posted to the response URL)."""
    before = len(workspace.slack.responses)
    answer = await workspace.command(text, user=user)
    assert answer.status_code == 200
    if answer.content:
        return dict(answer.json())
    await eventually(lambda: _later(len(workspace.slack.responses) > before))
    return workspace.slack.responses[before]


async def _later(value: bool) -> bool:
    return value


@pytest.fixture
async def workspace(
    slack_settings: Settings, slack: FakeSlackApi, clock: FakeClock
) -> AsyncIterator[Workspace]:
    application = App.create(slack_settings, clock=clock, random=SeededRandom())
    await upgrade(application.engine)
    transport = httpx.ASGITransport(app=create_web_app(application))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield Workspace(application, slack, client, RecordingAdapter())
    # Let listeners still running after their ack finish before the database goes.
    await asyncio.sleep(0.05)
    await application.close()


async def eventually(check: Callable[[], Awaitable[bool]]) -> None:
    """Wait (up to 5 s) until ``check`` holds: bolt answers Slack first and works after."""
    try:
        async with asyncio.timeout(5.0):
            while not await check():  # noqa: ASYNC110 (state in another task and the database)
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError("the console did not get there in time") from None
