"""Twilio webhooks: incoming SMS and delivery status callbacks, both signed."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.services.app import App
from bot.services.delivery import DeliveryReport, record_delivery
from bot.services.intake import OPT_IN, OPT_OUT
from bot.services.receiving import UNAVAILABLE, receive
from bot.settings import Settings
from bot.webhooks import BodyTooLarge, read_body
from channels.base import InboundMessage
from channels.sms.adapter import TwilioSmsAdapter
from channels.sms.webhook import (
    MalformedWebhook,
    check_fields,
    keyword,
    parse_incoming,
    parse_status,
    verify_signature,
)

log = logging.getLogger(__name__)
INCOMING_PATH = "/webhooks/twilio/sms"
STATUS_PATH = "/webhooks/twilio/status"
# Twilio takes an empty <Response/> as "nothing to send now": replies go through the outbox.
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def sms_adapter(settings: Settings) -> TwilioSmsAdapter:
    """The Twilio adapter, sending from the configured number or Messaging Service."""
    assert settings.twilio_account_sid
    assert settings.twilio_auth_token
    return TwilioSmsAdapter(
        settings.twilio_account_sid,
        settings.twilio_auth_token.get_secret_value(),
        from_number=settings.twilio_from_number,
        messaging_service_sid=None
        if settings.twilio_from_number
        else settings.twilio_messaging_service_sid,
        status_callback=settings.public_url(STATUS_PATH),
        api_base_url=settings.twilio_api_base_url,
    )


def twilio_routes(app: App) -> list[Route]:
    """The routes Twilio calls; mounted only when SMS is configured."""
    settings = app.settings
    assert settings.twilio_auth_token is not None
    token = settings.twilio_auth_token.get_secret_value()

    async def signed_params(request: Request) -> dict[str, str] | Response:
        try:
            body = await read_body(request, settings.max_webhook_bytes)
        except BodyTooLarge:
            return PlainTextResponse("request too large", status_code=413)
        params = dict(parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True))
        # Twilio signs the URL it called, which behind a proxy is the public one.
        url = settings.public_url(request.url.path)
        if request.url.query:
            url += f"?{request.url.query}"
        signature = request.headers.get("X-Twilio-Signature")
        if not verify_signature(token, url, params, signature):
            log.warning("refused a Twilio webhook with a missing or wrong signature")
            return PlainTextResponse("invalid signature", status_code=403)
        try:
            check_fields(params, settings.twilio_account_sid)
        except MalformedWebhook as error:
            log.warning("refused a signed Twilio webhook: %s", error.reason)
            return PlainTextResponse(f"malformed request: {error}", status_code=400)
        request.state.body = body
        request.state.signature = signature
        return params

    async def incoming(request: Request) -> Response:
        params = await signed_params(request)
        if isinstance(params, Response):
            return params
        try:
            message = parse_incoming(
                params, request.state.body, app.clock(), settings.sms_default_region
            )
        except MalformedWebhook as error:
            return PlainTextResponse(f"malformed request: {error}", status_code=400)
        message = replace(message, proof=request.state.signature)
        word = keyword(message.text, params.get("OptOutType"))
        if word == "stop":
            message = _flagged(message, OPT_OUT)
        elif word == "start":
            message = _flagged(message, OPT_IN)
        try:
            await receive(app, message)
        except OSError:
            # Neither the database nor the journal could keep it: Twilio must send it again.
            log.exception("could not keep SMS %s; asked Twilio to retry", message.provider_id)
            return PlainTextResponse("try again later", status_code=503)
        return Response(EMPTY_TWIML, media_type="text/xml")

    async def status(request: Request) -> Response:
        params = await signed_params(request)
        if isinstance(params, Response):
            return params
        try:
            update = parse_status(params)
        except MalformedWebhook as malformed:
            return PlainTextResponse(f"malformed request: {malformed}", status_code=400)
        reason = f"Twilio error {update.error_code}" if update.error_code else None
        report = DeliveryReport("sms", update.provider_id, update.status, reason)
        # Twilio can report before our send's answer is stored: such a report waits.
        try:
            await asyncio.wait_for(
                record_delivery(app, report, may_be_early=True),
                app.settings.inbound_deadline_seconds,
            )
        except (TimeoutError, *UNAVAILABLE):
            # A delivery report can be sent again (connection overrides); better than a hang.
            log.warning("could not record SMS status for %s now", update.provider_id)
            return PlainTextResponse("try again later", status_code=503)
        return Response(status_code=204)

    return [
        Route(INCOMING_PATH, incoming, methods=["POST"]),
        Route(STATUS_PATH, status, methods=["POST"]),
    ]


def _flagged(message: InboundMessage, flag: str) -> InboundMessage:
    return replace(message, flags=(*message.flags, flag))
