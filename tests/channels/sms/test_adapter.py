"""Sending SMS with the real twilio SDK against a fake Twilio API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Callable

import pytest

from channels.base import ChannelAdapter, Choice, DeliveryError, OutboundMessage
from channels.sms.adapter import TwilioSmsAdapter
from fakes.twilio_api import FakeTwilioApi

CUSTOMER = "+447700900123"
OUR_NUMBER = "+442079460000"
SERVICE = "MG0123456789abcdef0123456789abcdef"
CALLBACK = "https://bot.example.com/webhooks/sms/status"

MakeAdapter = Callable[..., TwilioSmsAdapter]


def message(text: str = "Your reference is CB-9RFK-R3DY.", **extra: object) -> OutboundMessage:
    return OutboundMessage("sms", CUSTOMER, text, 7, **extra)  # type: ignore[arg-type]


@pytest.fixture
async def make_adapter(twilio_api: FakeTwilioApi) -> AsyncIterator[MakeAdapter]:
    made: list[TwilioSmsAdapter] = []

    def make(**options: object) -> TwilioSmsAdapter:
        settings: dict[str, object] = {
            "account_sid": twilio_api.account_sid,
            "auth_token": twilio_api.auth_token,
            "api_base_url": twilio_api.url,
            **options,
        }
        if "messaging_service_sid" not in settings:
            settings.setdefault("from_number", OUR_NUMBER)
        adapter = TwilioSmsAdapter(**settings)  # type: ignore[arg-type]
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.close()


async def test_a_message_with_choices_arrives_as_text_and_numbered_list(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    adapter = make_adapter()
    assert isinstance(adapter, ChannelAdapter)
    assert adapter.name == "sms"
    choices = (Choice("refund", "A refund"), Choice("replacement", "A replacement"))
    await adapter.send(message("What would you like us to do?", choices=choices))
    [sent] = twilio_api.sent
    assert sent.body == "What would you like us to do?\n  1. A refund\n  2. A replacement"
    assert sent.to == CUSTOMER


async def test_accents_gsm7_lacks_are_dropped_so_a_spanish_text_costs_what_an_english_one_does(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    await make_adapter().send(message("Su reclamación fue registrada, “gracias” 🙂"))
    [sent] = twilio_api.sent
    # ó and the curly quotes are not GSM-7 (they would make it UCS-2); the emoji has no
    # GSM-7 form, so that message still goes as UCS-2, as it must.
    assert sent.body == 'Su reclamacion fue registrada, "gracias" 🙂'


async def test_the_provider_id_is_the_sid_twilio_returned(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    result = await make_adapter().send(message())
    assert result.provider_id == twilio_api.sent[0].sid
    assert re.fullmatch(r"SM[0-9a-f]{32}", result.provider_id or "")
    # Twilio reports delivery by callback, which may come before the send is recorded.
    assert result.reports_follow


async def test_it_sends_from_the_configured_number(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    await make_adapter().send(message())
    [sent] = twilio_api.sent
    assert (sent.from_, sent.messaging_service_sid) == (OUR_NUMBER, None)
    assert sent.status_callback is None


async def test_it_sends_through_a_messaging_service_when_configured(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    result = await make_adapter(messaging_service_sid=SERVICE).send(message())
    [sent] = twilio_api.sent
    assert (sent.from_, sent.messaging_service_sid) == (None, SERVICE)
    assert result.provider_id == sent.sid


async def test_the_status_callback_url_is_passed_to_twilio(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    await make_adapter(status_callback=CALLBACK).send(message())
    assert twilio_api.sent[0].status_callback == CALLBACK


@pytest.mark.parametrize(
    ("status", "code", "text"),
    [(429, 20429, "Too Many Requests"), (503, 20503, "Service Unavailable"), (500, 20500, "")],
)
async def test_rate_limits_and_server_errors_are_retried_later(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter, status: int, code: int, text: str
) -> None:
    twilio_api.fail_next(status, code, text)
    adapter = make_adapter()
    with pytest.raises(DeliveryError) as caught:
        await adapter.send(message())
    assert not caught.value.permanent
    assert str(code) in caught.value.reason
    assert twilio_api.sent == []
    # The next attempt goes through.
    await adapter.send(message())
    assert len(twilio_api.sent) == 1


@pytest.mark.parametrize(
    ("code", "text"),
    [
        (21211, "The 'To' number +4477 is not a valid phone number."),
        (21610, "Attempt to send to unsubscribed recipient"),
    ],
)
async def test_an_invalid_or_opted_out_number_fails_for_good_with_the_twilio_code(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter, code: int, text: str
) -> None:
    twilio_api.fail_next(400, code, text)
    with pytest.raises(DeliveryError) as caught:
        await make_adapter().send(message())
    assert caught.value.permanent
    assert str(code) in caught.value.reason
    assert text in caught.value.reason
    assert "\x1b" not in caught.value.reason


async def test_a_wrong_auth_token_is_retried_not_failed_and_is_never_logged(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong-token-0123456789abcdef0123"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(DeliveryError) as caught:
        await make_adapter(auth_token=wrong).send(message())
    # The operator's setting, not the message: retried until fixed (or attempts run out).
    assert not caught.value.permanent
    assert "20003" in caught.value.reason
    assert wrong not in caught.value.reason
    assert wrong not in caplog.text
    assert wrong not in repr(make_adapter(auth_token=wrong))
    assert twilio_api.sent == []


async def test_an_unreachable_twilio_is_retried_later(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    adapter = make_adapter()
    await adapter.send(message())
    twilio_api.stop()
    with pytest.raises(DeliveryError) as caught:
        await adapter.send(message())
    assert not caught.value.permanent


async def test_a_twilio_that_never_answers_times_out_and_is_retried_later(
    make_adapter: MakeAdapter,
) -> None:
    connections: list[asyncio.StreamWriter] = []

    async def hang(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(writer)

    server = await asyncio.start_server(hang, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        adapter = make_adapter(api_base_url=f"http://127.0.0.1:{port}", timeout=0.2)
        with pytest.raises(DeliveryError) as caught:
            await asyncio.wait_for(adapter.send(message()), timeout=5)
        assert not caught.value.permanent
    finally:
        for writer in connections:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_close_releases_the_session_and_a_later_send_still_works(
    twilio_api: FakeTwilioApi, make_adapter: MakeAdapter
) -> None:
    adapter = make_adapter()
    await adapter.close()  # before any send: nothing to release
    await adapter.send(message())
    await adapter.close()
    await adapter.close()
    await adapter.send(message())
    assert len(twilio_api.sent) == 2


@pytest.mark.parametrize(
    "senders",
    [
        {},
        {"from_number": "", "messaging_service_sid": ""},
        {"from_number": OUR_NUMBER, "messaging_service_sid": SERVICE},
    ],
)
def test_exactly_one_sender_must_be_configured(senders: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="exactly one"):
        TwilioSmsAdapter(
            "AC1",
            "token",
            from_number=senders.get("from_number"),
            messaging_service_sid=senders.get("messaging_service_sid"),
        )
