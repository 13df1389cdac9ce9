"""A complaint by SMS handled from Slack, through `complaintbot serve`: Twilio and Slack are
played by local fakes; Slack's requests are signed with the SDK's own signature code."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from fakes.slack_api import FakeSlackApi, Posted, signed_headers
from fakes.slack_payloads import (
    block_actions_body,
    event_callback_body,
    message_event,
    view_submission_body,
)
from fakes.twilio_api import FakeTwilioApi
from tests.e2e.conftest import Product, free_port
from tests.e2e.test_sms_journey import converse

pytestmark = pytest.mark.e2e
SECRET = "e2e-signing-secret-0123456789abcdef"
TEAM, CHANNEL, ALICE = "T0E2ETEST", "C0COMPLNT", "U0ALICE01"


@dataclass
class Served:
    """serve running with SMS and the Slack console on."""

    product: Product
    twilio: FakeTwilioApi
    slack: FakeSlackApi
    base: str

    def slack_post(
        self, path: str, body: bytes, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        headers = headers or signed_headers(body, SECRET)
        return httpx.post(
            f"{self.base}/webhooks/slack/{path}", content=body, headers=headers, timeout=10
        )

    def card(self) -> Posted:
        [card] = [m for m in self.slack.messages(CHANNEL) if m.thread_ts is None]
        return card

    def press(self, action_id: str, **kw: Any) -> httpx.Response:
        card = self.card()
        body = block_actions_body(
            team_id=TEAM,
            user_id=ALICE,
            user_name="alice",
            channel_id=CHANNEL,
            message_ts=card.ts,
            action_id=action_id,
            **kw,
        )
        return self.slack_post("interactivity", body)

    def submit(self, callback_id: str, metadata: str, values: dict[str, Any]) -> dict[str, Any]:
        body = view_submission_body(
            team_id=TEAM,
            user_id=ALICE,
            user_name="alice",
            callback_id=callback_id,
            private_metadata=metadata,
            values=values,
        )
        answer = self.slack_post("interactivity", body)
        assert answer.status_code == 200
        return dict(answer.json())


@pytest.fixture
def served(product: Product, tmp_path: Path) -> Iterator[Served]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    staff = tmp_path / "staff.toml"
    staff.write_text(
        f'[queues.complaints]\nslack = "{CHANNEL}"\n[slack]\nstaff_group = "S0STAFF01"\n'
    )
    with FakeTwilioApi() as twilio, FakeSlackApi(team_id=TEAM) as slack:
        slack.add_user(ALICE, "alice", "Alice Adams")
        slack.add_channel(CHANNEL, "complaints", members=[ALICE])
        slack.add_usergroup("S0STAFF01", "complaints-staff", [ALICE])
        with product.serve(
            COMPLAINTBOT_HTTP_PORT=str(port),
            COMPLAINTBOT_PUBLIC_BASE_URL=base,
            COMPLAINTBOT_TWILIO_ACCOUNT_SID=twilio.account_sid,
            COMPLAINTBOT_TWILIO_AUTH_TOKEN=twilio.auth_token,
            COMPLAINTBOT_TWILIO_FROM_NUMBER="+447700900000",
            COMPLAINTBOT_TWILIO_API_BASE_URL=twilio.url,
            COMPLAINTBOT_SLACK_BOT_TOKEN=slack.bot_token,
            COMPLAINTBOT_SLACK_SIGNING_SECRET=SECRET,
            COMPLAINTBOT_SLACK_TEAM_ID=TEAM,
            COMPLAINTBOT_SLACK_API_BASE_URL=slack.url,
            COMPLAINTBOT_STAFF_FILE=str(staff),
        ) as server:
            assert "slack      live" in str(server.before)
            yield Served(product, twilio, slack, base)


def test_a_complaint_by_sms_is_handled_from_slack_to_resolution(served: Served) -> None:
    twilio, slack = served.twilio, served.slack
    converse(twilio, served.base, "My new phone screen cracked on day one, order 88123, yesterday")
    converse(twilio, served.base, "2")
    converse(twilio, served.base, "Sam Lee")
    converse(twilio, served.base, "yes")
    registered = converse(twilio, served.base, "YES")
    reference = re.search(r"reference (CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered).group(1)  # type: ignore[union-attr]

    # The card appears in the queue's channel.
    slack.wait_for(lambda s: any(m.thread_ts is None for m in s.messages(CHANNEL)), timeout=15)
    assert reference in served.card().text

    # Assign to me: the card is updated in place.
    assert served.press("case_assign_me", value=reference).status_code == 200
    slack.wait_for(lambda s: "<@U0ALICE01>" in json.dumps(served.card().blocks), timeout=15)

    # Status: investigating. The customer gets the update by SMS.
    before = len(twilio.sent)
    option = {
        "text": {"type": "plain_text", "text": "Investigating"},
        "value": f"{reference}|investigating",
    }
    served.press("case_status", selected_option=option)
    update = twilio.wait_for_sent(before + 1, timeout=15)[-1]
    assert f"investigating your complaint {reference}" in update.body

    # Reply: preview, then send; the customer gets exactly that by SMS.
    served.press("case_reply", value=reference)
    slack.wait_for(lambda s: bool(s.views_opened), timeout=15)
    metadata = slack.views_opened[-1]["private_metadata"]
    reply = {"text": {"text": "Please send us a photo of the screen."}}
    preview = served.submit("reply_compose", metadata, reply)["view"]
    assert "Please send us a photo of the screen." in json.dumps(preview["blocks"])
    before = len(twilio.sent)
    assert served.submit("reply_confirm", preview["private_metadata"], reply) == {
        "response_action": "clear"
    }
    assert "Please send us a photo" in twilio.wait_for_sent(before + 1, timeout=15)[-1].body

    # A message typed in the card's thread is a note: the customer receives nothing.
    before = len(twilio.sent)
    card = served.card()
    event = message_event(
        channel=CHANNEL,
        user=ALICE,
        text="reply Sam: we'll refund you",
        ts=f"{card.ts}7",
        thread_ts=card.ts,
    )
    assert (
        served.slack_post("events", event_callback_body(team_id=TEAM, event=event)).status_code
        == 200
    )

    # Resolve with the response and a root cause: the card shows resolved.
    served.press("case_resolve", value=reference)
    slack.wait_for(lambda s: len(s.views_opened) == 2, timeout=15)
    metadata = slack.views_opened[-1]["private_metadata"]
    values = {
        "text": {"text": "We replaced the phone."},
        "root_cause": {
            "root_cause": {"type": "static_select", "selected_option": {"value": "product_fault"}}
        },
    }
    assert served.submit("resolve", metadata, values) == {"response_action": "clear"}
    slack.wait_for(lambda s: "Resolved" in json.dumps(served.card().blocks), timeout=15)
    resolved = twilio.wait_for_sent(before + 1, timeout=15)
    assert [m.body for m in resolved[before:] if "refund" in m.body] == [], (
        "the note never reached the customer"
    )
    shown = served.product.run("cases", "show", reference).stdout
    assert "we'll refund you" in shown  # recorded as a note, by alice
    assert "alice (slack:U0ALICE01)" in shown

    # A forged request changes nothing.
    forged = signed_headers(b"payload=%7B%7D", "wrong-secret")
    assert served.slack_post("interactivity", b"payload=%7B%7D", headers=forged).status_code == 401
