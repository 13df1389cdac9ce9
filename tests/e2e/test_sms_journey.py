"""A whole complaint by SMS through `complaintbot serve`, Twilio played by a local fake."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import httpx
import pytest

from fakes.twilio_api import FakeTwilioApi, new_sid, sign
from tests.e2e.conftest import Product, free_port

pytestmark = pytest.mark.e2e
CUSTOMER = "+447700900123"


@pytest.fixture
def served(product: Product) -> Iterator[tuple[Product, FakeTwilioApi, str]]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        FakeTwilioApi() as twilio,
        product.serve(
            COMPLAINTBOT_HTTP_PORT=str(port),
            COMPLAINTBOT_PUBLIC_BASE_URL=base,
            COMPLAINTBOT_TWILIO_ACCOUNT_SID=twilio.account_sid,
            COMPLAINTBOT_TWILIO_AUTH_TOKEN=twilio.auth_token,
            COMPLAINTBOT_TWILIO_FROM_NUMBER="+447700900000",
            COMPLAINTBOT_TWILIO_API_BASE_URL=twilio.url,
        ) as server,
    ):
        assert "sms        live" in str(server.before)
        yield product, twilio, base


def text(twilio: FakeTwilioApi, base: str, body: str, **extra: str) -> httpx.Response:
    """Deliver a text from the customer as Twilio would: a signed form POST."""
    url = f"{base}/webhooks/twilio/sms"
    params = {
        "MessageSid": new_sid("SM"),
        "From": CUSTOMER,
        "To": "+447700900000",
        "Body": body,
        "NumMedia": "0",
        **extra,
    }
    return httpx.post(
        url,
        content=urlencode(params),
        headers={
            "X-Twilio-Signature": sign(url, params, twilio.auth_token),
            "Content-Type": "application/x-www-form-urlencoded",
        },
        timeout=10,
    )


def converse(twilio: FakeTwilioApi, base: str, body: str) -> str:
    """Text the bot; return what it texts back (all of it, once it has all been sent)."""
    before = len(twilio.sent)
    assert text(twilio, base, body).status_code == 200
    twilio.wait_for_sent(before + 1, timeout=15)
    time.sleep(0.3)  # a second reply to the same message may follow
    return "\n".join(message.body for message in twilio.sent[before:])


def test_a_complaint_by_text_message_from_first_text_to_stop(
    served: tuple[Product, FakeTwilioApi, str],
) -> None:
    product, twilio, base = served
    assert "What happened?" in converse(twilio, base, "Hi")
    reply = converse(twilio, base, "My new phone screen cracked on day one, order 88123, yesterday")
    assert "What would you like us to do" in reply
    assert "1. A refund" in reply
    assert "What is your name?" in converse(twilio, base, "2")
    assert "Do you agree?" in converse(twilio, base, "Sam Lee")
    assert "1. Yes, register it" in converse(twilio, base, "yes")
    registered = converse(twilio, base, "YES")
    match = re.search(r"reference (CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
    assert match, registered
    reference = match.group(1)
    assert all(message.to == CUSTOMER for message in twilio.sent)

    before = len(twilio.sent)
    product.run(
        "cases",
        "status",
        reference,
        "investigating",
        "--message",
        "We have asked the manufacturer to check the screen.",
    )
    update = twilio.wait_for_sent(before + 1, timeout=15)[-1]
    assert f"investigating your complaint {reference}" in update.body
    assert "manufacturer" in update.body

    assert text(twilio, base, "STOP", OptOutType="STOP").status_code == 200
    time.sleep(0.5)
    product.run("cases", "status", reference, "resolved", "--message", "Replaced.")
    time.sleep(2)  # the dispatcher polls every 0.2 s: had it sent anything, it would be here
    assert len(twilio.sent) == before + 1, "nothing is texted after STOP"
    shown = product.run("cases", "show", reference).stdout
    assert "customer_opted_out" in shown
    assert "opted out" in shown


def test_a_response_rejected_then_accepted_then_rated_by_text(
    served: tuple[Product, FakeTwilioApi, str],
) -> None:
    product, twilio, base = served
    converse(twilio, base, "My new phone screen cracked on day one, order 88123, yesterday")
    converse(twilio, base, "a refund")
    converse(twilio, base, "Sam Lee")
    converse(twilio, base, "yes")
    registered = converse(twilio, base, "YES")
    match = re.search(r"reference (CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
    assert match, registered
    reference = match.group(1)

    def staff(*args: str) -> str:
        before = len(twilio.sent)
        product.run("cases", *args)
        return twilio.wait_for_sent(before + 1, timeout=15)[-1].body

    offer = "The screen was faulty. We refund the phone."
    sent = staff("respond", reference, offer, "--remedy", "refund", "--amount", "£199")
    assert "a refund (£199)" in sent
    assert "1. Accept" in sent
    rejected = converse(twilio, base, "That's not enough, I lost a day's pay. I am not satisfied.")
    assert "back with the team" in rejected
    assert "ombudsman" in rejected
    sent = staff("respond", reference, "We add £40 for your time.", "--remedy", "other")
    assert "We add £40" in sent
    accepted = converse(twilio, base, "1")
    assert "now resolved" in accepted
    assert "how satisfied" in accepted
    assert "4 out of 5" in converse(twilio, base, "4")
    product.run("cases", "status", reference, "closed")

    shown = product.run("cases", "show", reference).stdout
    assert f"{reference}  closed" in shown
    assert "Decision:     accepted by the customer" in shown
    assert "customer_decision: rejected: That's not enough" in shown
    assert "Offered:      other" in shown
    assert "Satisfaction: 4 of 5" in shown
