"""A complaint by SMS handled from Slack, through `complaintbot serve`: Twilio and Slack are
played by local fakes; Slack's requests are signed with the SDK's own signature code."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakes.slack_api import FakeSlackApi, signed_headers
from fakes.slack_staff import SlackStaff, selected
from fakes.twilio_api import FakeTwilioApi
from tests.e2e.conftest import Product, free_port
from tests.e2e.test_sms_journey import converse

pytestmark = pytest.mark.e2e
SECRET = "e2e-signing-secret-0123456789abcdef"
TEAM, CHANNEL, ALICE = "T0E2ETEST", "C0COMPLNT", "U0ALICE01"


@dataclass
class Served:
    """serve running with SMS and the Slack console on; alice is staff."""

    product: Product
    twilio: FakeTwilioApi
    slack: FakeSlackApi
    base: str
    alice: SlackStaff


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
            alice = SlackStaff(slack, base, SECRET, CHANNEL, ALICE, "alice")
            yield Served(product, twilio, slack, base, alice)


def test_a_complaint_by_sms_is_handled_from_slack_to_resolution(served: Served) -> None:
    twilio, slack, alice = served.twilio, served.slack, served.alice
    converse(twilio, served.base, "My new phone screen cracked on day one, order 88123, yesterday")
    converse(twilio, served.base, "2")
    converse(twilio, served.base, "Sam Lee")
    converse(twilio, served.base, "yes")
    registered = converse(twilio, served.base, "YES")
    found = re.search(r"reference (CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
    assert found, registered
    reference = found.group(1)

    # The card appears in the queue's channel.
    card = alice.wait_for_card(reference, timeout=15)

    # Assign to me: the card is updated in place.
    assert alice.press(card, "case_assign_me", value=reference).status_code == 200
    slack.wait_for(lambda _: "<@U0ALICE01>" in json.dumps(alice.card(reference).blocks), timeout=15)  # type: ignore[union-attr]

    # Status: investigating. The customer gets the update by SMS.
    before = len(twilio.sent)
    option = {"text": {"type": "plain_text", "text": "x"}, "value": f"{reference}|investigating"}
    alice.press(card, "case_status", selected_option=option)
    update = twilio.wait_for_sent(before + 1, timeout=15)[-1]
    assert f"investigating your complaint {reference}" in update.body

    # Reply: preview, then send; the customer gets exactly that by SMS.
    metadata = alice.open_modal(card, "case_reply", reference, timeout=15)
    reply = {"text": {"text": "Please send us a photo of the screen."}}
    preview = alice.submit("reply_compose", metadata, reply)["view"]
    assert "Please send us a photo of the screen." in json.dumps(preview["blocks"])
    before = len(twilio.sent)
    assert alice.submit("reply_confirm", preview["private_metadata"], reply) == {
        "response_action": "clear"
    }
    assert "Please send us a photo" in twilio.wait_for_sent(before + 1, timeout=15)[-1].body

    # A message typed in the card's thread is a note: the customer receives nothing.
    before = len(twilio.sent)
    assert alice.type_in_thread(card, "reply Sam: we'll refund you").status_code == 200

    # Resolve with the response and a root cause: the card shows resolved.
    metadata = alice.open_modal(card, "case_resolve", reference, timeout=15)
    values = {
        "text": {"text": "We replaced the phone."},
        "root_cause": {"root_cause": selected("product_fault")},
    }
    assert alice.submit("resolve", metadata, values) == {"response_action": "clear"}
    slack.wait_for(lambda _: "Resolved" in json.dumps(alice.card(reference).blocks), timeout=15)  # type: ignore[union-attr]
    resolved = twilio.wait_for_sent(before + 1, timeout=15)
    sent_after = [m.body for m in resolved[before:]]
    assert not [body for body in sent_after if "refund" in body], "the note never reached them"
    shown = served.product.run("cases", "show", reference).stdout
    assert "we'll refund you" in shown  # recorded as a note, by alice
    assert "alice (slack:U0ALICE01)" in shown

    # A forged request changes nothing.
    forged = signed_headers(b"payload=%7B%7D", "wrong-secret")
    assert alice.post("interactivity", b"payload=%7B%7D", headers=forged).status_code == 401
