"""The fake Twilio API answers plain synchronous HTTP clients too, as end-to-end tests need."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
from urllib.parse import urlencode

import pytest

from fakes.twilio_api import FakeTwilioApi


def post(api: FakeTwilioApi, form: dict[str, str], token: str) -> tuple[int, dict[str, object]]:
    credentials = base64.b64encode(f"{api.account_sid}:{token}".encode()).decode()
    request = urllib.request.Request(
        f"{api.url}/2010-04-01/Accounts/{api.account_sid}/Messages.json",
        data=urlencode(form).encode(),
        headers={"Authorization": f"Basic {credentials}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def test_a_synchronous_client_can_send_and_wait_for_the_message() -> None:
    with FakeTwilioApi() as api:
        status, body = post(
            api, {"To": "+447700900123", "From": "+1", "Body": "Hi"}, api.auth_token
        )
        [sent] = api.wait_for_sent(1, timeout=2)
    assert status == 201
    assert body["sid"] == sent.sid
    assert (body["status"], body["to"], body["num_segments"]) == ("queued", "+447700900123", "1")


def test_a_wrong_token_gets_twilios_401_error_body() -> None:
    with FakeTwilioApi() as api:
        status, body = post(api, {"To": "+447700900123", "From": "+1", "Body": "Hi"}, "nope")
        assert api.sent == []
    assert status == 401
    assert body == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }


def test_programmed_failures_are_used_up_in_order() -> None:
    form = {"To": "+447700900123", "From": "+1", "Body": "Hi"}
    with FakeTwilioApi() as api:
        api.fail_next(503, 20503, "Service Unavailable", times=2)
        statuses = [post(api, form, api.auth_token)[0] for _ in range(3)]
        assert api.attempts == 3
        assert len(api.sent) == 1
    assert statuses == [503, 503, 201]


def test_waiting_for_a_message_that_never_comes_times_out() -> None:
    with FakeTwilioApi() as api, pytest.raises(TimeoutError):
        api.wait_for_sent(1, timeout=0.05)
