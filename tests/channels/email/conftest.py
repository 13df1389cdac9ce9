"""Shared fixtures for the email channel's tests."""

from __future__ import annotations

import pytest

from fakes.mail_auth import FakeDns, publish_domain


@pytest.fixture
def dns() -> FakeDns:
    """A fake DNS where customer.example signs its mail, lists its server and says p=reject."""
    fake = FakeDns()
    publish_domain(fake, "customer.example")
    return fake
