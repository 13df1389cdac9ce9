"""A whole complaint by Telegram through `complaintbot serve`, the Bot API played by a fake."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from fakes.telegram_api import FakeTelegram, SentMessage
from tests.e2e.conftest import Product, free_port

pytestmark = pytest.mark.e2e
CHAT = 880011
SECRET = "e2e-telegram-secret-0123456789"


@pytest.fixture(params=["webhook", "polling"])
def served(
    product: Product, request: pytest.FixtureRequest
) -> Iterator[tuple[Product, FakeTelegram, str, str]]:
    mode = str(request.param)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        FakeTelegram() as telegram,
        product.serve(
            COMPLAINTBOT_HTTP_PORT=str(port),
            COMPLAINTBOT_PUBLIC_BASE_URL=base,
            COMPLAINTBOT_TELEGRAM_BOT_TOKEN=telegram.token,
            COMPLAINTBOT_TELEGRAM_WEBHOOK_SECRET=SECRET,
            COMPLAINTBOT_TELEGRAM_MODE=mode,
            COMPLAINTBOT_TELEGRAM_POLL_SECONDS="1",
            COMPLAINTBOT_TELEGRAM_API_BASE_URL=telegram.url,
        ) as server,
    ):
        assert "telegram" in str(server.before)
        yield product, telegram, base, mode


def send(telegram: FakeTelegram, base: str, mode: str, update: dict[str, Any]) -> None:
    """Deliver an update as Telegram would in this mode."""
    if mode == "polling":
        telegram.queue(update)
        return
    response = httpx.post(
        f"{base}/webhooks/telegram",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def converse(
    telegram: FakeTelegram, base: str, mode: str, update: dict[str, Any]
) -> list[SentMessage]:
    """Send an update; return what the bot sends back (once it has all been sent)."""
    before = len(telegram.sent_to(CHAT))
    send(telegram, base, mode, update)
    telegram.wait_for(CHAT, before + 1, timeout=15)
    time.sleep(1.5)  # a second reply may follow (Telegram allows one a second per chat)
    return telegram.sent_to(CHAT)[before:]


def test_a_complaint_by_telegram_with_buttons_status_and_a_staff_update(
    served: tuple[Product, FakeTelegram, str, str],
) -> None:
    product, telegram, base, mode = served
    if mode == "webhook":
        assert telegram.webhook["url"] == f"{base}/webhooks/telegram"
        assert telegram.webhook["secret_token"] == SECRET
    assert {c["command"] for c in telegram.commands} >= {"start", "status", "help"}

    def say(text: str) -> list[SentMessage]:
        return converse(telegram, base, mode, telegram.message(CHAT, text))

    assert any("What happened?" in m.text for m in say("/start"))
    say("The heater I bought from you smells of burning plastic when it is on")
    photo = telegram.add_file(b"\xff\xd8\xff" + b"0" * 2000, "photos/heater.jpg")
    sizes = [{"file_id": photo, "file_unique_id": "h", "width": 640, "height": 480}]
    send(telegram, base, mode, telegram.message(CHAT, "the plug", photo=sizes))
    say("Order 99812, the Calor oil heater")
    asking = [m for m in say("on Saturday") if m.buttons()]
    assert asking
    assert ("A refund", f"{asking[0].buttons()[0][1]}") in asking[0].buttons()
    consent = converse(
        telegram, base, mode, telegram.press(CHAT, asking[0], asking[0].buttons()[1][1])
    )
    agree = next(m for m in consent if m.buttons())
    converse(telegram, base, mode, telegram.press(CHAT, agree, agree.buttons()[0][1]))
    registered = "\n".join(m.text for m in say("yes"))
    found = re.search(r"(CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
    assert found, registered
    reference = found.group(1)

    assert reference in say("/status")[-1].text

    before = len(telegram.sent_to(CHAT))
    product.run(
        "cases", "status", reference, "investigating", "--message", "We have asked the maker."
    )
    update = telegram.wait_for(CHAT, before + 1, timeout=15)[-1]
    assert reference in update.text
    assert "maker" in update.text

    telegram.block(CHAT)
    product.run("cases", "status", reference, "escalated", "--message", "Passed to safety team.")
    time.sleep(3)
    shown = product.run("cases", "show", reference).stdout
    assert "cannot be reached by Telegram" in shown
    assert "photo.jpg (image/jpeg, 2003 bytes)" in shown
    assert "customer_unreachable" in shown
    assert telegram.token.split(":")[1] not in shown
