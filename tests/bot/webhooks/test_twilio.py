"""Twilio's webhooks through the real app: signed requests in, the real SDK out to a fake."""

from __future__ import annotations

import asyncio
from urllib.parse import urlencode

import httpx
import pytest
from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.server import live_adapters
from bot.services.app import App
from bot.storage.models import AttachmentRow, Identity, MessageIn, Outbox
from fakes.twilio_api import FakeTwilioApi, new_sid, sign
from tests.bot.webhooks.conftest import INCOMING, NUMBER, PUBLIC, STATUS


def form(body: str, sender: str = NUMBER, **extra: str) -> dict[str, str]:
    return {
        "MessageSid": new_sid("SM"),
        "From": sender,
        "To": "+447700900000",
        "Body": body,
        "NumMedia": "0",
        **extra,
    }


async def post(
    client: httpx.AsyncClient,
    twilio: FakeTwilioApi,
    params: dict[str, str],
    url: str = INCOMING,
    signed_for: str | None = None,
) -> httpx.Response:
    signature = sign(signed_for or url, params, twilio.auth_token)
    return await client.post(
        url.removeprefix(PUBLIC),
        content=urlencode(params),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )


async def stored(app: App) -> list[MessageIn]:
    async with app.sessions() as session:
        return list((await session.scalars(select(MessageIn).order_by(MessageIn.id))).all())


async def test_a_signed_text_is_stored_and_answered_with_empty_twiml(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    response = await post(client, twilio, form("hello"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/xml")
    assert "<Response></Response>" in response.text
    (message,) = await stored(sms_app)
    assert (message.channel, message.text) == ("sms", "hello")
    async with sms_app.sessions() as session:
        replies = (await session.scalars(select(Outbox).where(Outbox.audience == "customer"))).all()
    assert {(row.channel, row.address) for row in replies} == {("sms", NUMBER)}


@pytest.mark.parametrize("signature", ["forged", ""])
async def test_a_forged_or_unsigned_request_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, sms_app: App, signature: str
) -> None:
    response = await client.post(
        "/webhooks/twilio/sms",
        content=urlencode(form("hello")),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 403
    assert await stored(sms_app) == []


async def test_the_signature_must_be_for_the_public_url(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    # Signed for the address behind the proxy rather than the one Twilio called.
    response = await post(
        client, twilio, form("hello"), signed_for="http://127.0.0.1:8080/webhooks/twilio/sms"
    )
    assert response.status_code == 403
    assert await stored(sms_app) == []


async def test_a_tampered_body_is_refused(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    params = form("hello")
    signature = sign(INCOMING, params, twilio.auth_token)
    params["Body"] = "I am someone else"
    response = await client.post(
        "/webhooks/twilio/sms",
        content=urlencode(params),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert response.status_code == 403


async def test_an_oversized_request_is_refused_before_parsing(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    response = await post(client, twilio, form("x" * 20_000))
    assert response.status_code == 413
    assert await stored(sms_app) == []


async def test_missing_fields_are_a_bad_request(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    params = form("hello")
    del params["From"]
    response = await post(client, twilio, params)
    assert response.status_code == 400
    assert await stored(sms_app) == []


async def test_a_repeated_message_sid_is_handled_once(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    params = form("My parcel never arrived, order #A12345, it was due yesterday")
    assert (await post(client, twilio, params)).status_code == 200
    assert (await post(client, twilio, params)).status_code == 200
    assert len(await stored(sms_app)) == 1


async def test_an_oddly_written_number_is_one_customer(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    await post(client, twilio, form("hello", sender="+44 7700 900123"))
    await post(
        client, twilio, form("My kettle broke on the first day, order 5512", sender="+447700900123")
    )
    async with sms_app.sessions() as session:
        identities = (await session.scalars(select(Identity))).all()
    assert [identity.address for identity in identities] == [NUMBER]


async def test_two_texts_at_once_from_one_number_are_both_kept(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    await asyncio.gather(
        post(client, twilio, form("My washing machine leaks water all over the floor")),
        post(client, twilio, form("It is order 778899")),
    )
    assert len(await stored(sms_app)) == 2


async def test_picture_messages_keep_their_media_on_the_message(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    params = form(
        "",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/media/ME1",
        MediaContentType0="image/jpeg",
    )
    assert (await post(client, twilio, params)).status_code == 200
    async with sms_app.sessions() as session:
        (attachment,) = (await session.scalars(select(AttachmentRow))).all()
    assert (attachment.url, attachment.content_type) == (
        "https://api.twilio.com/media/ME1",
        "image/jpeg",
    )


async def test_a_long_text_is_taken_whole(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    long_text = ("The delivery driver left my parcel in the rain and it was ruined. " * 25)[:1600]
    assert (await post(client, twilio, form(long_text))).status_code == 200
    (message,) = await stored(sms_app)
    assert len(message.text) == 1600


async def test_stop_then_start_change_what_may_be_sent(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    await post(client, twilio, form("hello"))
    await post(client, twilio, form("STOP", OptOutType="STOP"))
    async with sms_app.sessions() as session:
        assert (await session.scalars(select(Identity))).one().opted_out_at is not None
    await post(client, twilio, form("START", OptOutType="START"))
    async with sms_app.sessions() as session:
        assert (await session.scalars(select(Identity))).one().opted_out_at is None


async def test_replies_go_out_through_the_real_sdk_and_their_status_comes_back(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    await post(client, twilio, form("My parcel never arrived yesterday, order #A12345"))
    adapters, _ = live_adapters(sms_app)
    try:
        await Dispatcher(sms_app, {"sms": adapters["sms"]}).run_once()
    finally:
        close = getattr(adapters["sms"], "close", None)
        if close is not None:
            await close()
    sent = twilio.sent
    assert [message.to for message in sent] == [NUMBER, NUMBER]
    assert "1. A refund" in sent[-1].body
    assert sent[-1].status_callback == STATUS
    status = {"MessageSid": sent[-1].sid, "MessageStatus": "undelivered", "ErrorCode": "30003"}
    assert (await post(client, twilio, status, url=STATUS)).status_code == 204
    async with sms_app.sessions() as session:
        row = (
            await session.scalars(select(Outbox).where(Outbox.provider_id == sent[-1].sid))
        ).one()
    assert (row.delivery_status, row.status) == ("undelivered", "failed")
    assert row.last_error == "Twilio error 30003"


async def test_emoji_and_other_scripts_arrive_intact(
    client: httpx.AsyncClient, twilio: FakeTwilioApi, sms_app: App
) -> None:
    body = "Заказ 5512 не пришёл 📦 — 配達されていません"
    assert (await post(client, twilio, form(body))).status_code == 200
    (message,) = await stored(sms_app)
    assert message.text == body
    assert body.encode() in message.raw or urlencode({"Body": body}).encode() in message.raw
