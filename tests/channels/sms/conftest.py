"""A fake Twilio API per test, always stopped afterwards."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from fakes.twilio_api import FakeTwilioApi


@pytest.fixture
def twilio_api() -> Iterator[FakeTwilioApi]:
    with FakeTwilioApi() as api:
        yield api


@pytest.fixture(autouse=True)
def no_fake_server_left_running() -> Iterator[None]:
    yield
    alive = [thread.name for thread in threading.enumerate() if thread.name == "fake-twilio-api"]
    assert alive == [], "a FakeTwilioApi was not stopped"
