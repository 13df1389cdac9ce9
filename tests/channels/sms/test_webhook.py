"""Twilio's inbound webhooks: signatures, message parsing, numbers, keywords, status callbacks."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

import pytest

from channels.base import Attachment
from channels.sms.webhook import (
    MalformedWebhook,
    StatusUpdate,
    keyword,
    normalise_number,
    parse_incoming,
    parse_status,
    verify_signature,
)
from fakes.twilio_api import sign

TOKEN = "12345678901234567890123456789012"
URL = "https://bot.example.com/webhooks/sms"
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
SMS = {
    "MessageSid": "SM0123456789abcdef0123456789abcdef",
    "SmsSid": "SM0123456789abcdef0123456789abcdef",
    "AccountSid": "AC0123456789abcdef0123456789abcdef",
    "From": "+447700900123",
    "To": "+442079460000",
    "Body": "My parcel never arrived",
    "NumMedia": "0",
}


def parse(params: dict[str, str]) -> object:
    return parse_incoming(params, urlencode(params).encode(), NOW, "GB")


# -- signatures ----------------------------------------------------------------------------


def test_a_request_signed_by_twilio_with_our_token_is_accepted() -> None:
    assert verify_signature(TOKEN, URL, SMS, sign(URL, SMS, TOKEN))


def test_a_request_signed_with_another_token_is_rejected() -> None:
    assert not verify_signature(TOKEN, URL, SMS, sign(URL, SMS, "another-token"))


def test_a_tampered_parameter_breaks_the_signature() -> None:
    signature = sign(URL, SMS, TOKEN)
    assert not verify_signature(TOKEN, URL, {**SMS, "Body": "Refund me twice"}, signature)
    assert not verify_signature(TOKEN, URL, {**SMS, "Extra": "1"}, signature)


@pytest.mark.parametrize(
    "other_url",
    [
        "http://bot.example.com/webhooks/sms",
        "https://evil.example.com/webhooks/sms",
        "https://bot.example.com/webhooks/sms?x=1",
    ],
)
def test_a_signature_for_another_url_is_rejected(other_url: str) -> None:
    assert not verify_signature(TOKEN, URL, SMS, sign(other_url, SMS, TOKEN))


def test_a_signature_made_with_the_default_port_still_matches() -> None:
    signature = sign("https://bot.example.com:443/webhooks/sms", SMS, TOKEN)
    assert verify_signature(TOKEN, URL, SMS, signature)


@pytest.mark.parametrize("signature", [None, ""])
def test_a_request_without_a_signature_is_rejected(signature: str | None) -> None:
    assert not verify_signature(TOKEN, URL, SMS, signature)


# -- inbound messages ----------------------------------------------------------------------


def test_an_sms_becomes_an_inbound_message_with_its_raw_form_kept() -> None:
    raw = urlencode(SMS).encode()
    message = parse_incoming(SMS, raw, NOW, "GB")
    assert message.channel == "sms"
    assert message.address == "+447700900123"
    assert message.provider_id == SMS["MessageSid"]
    assert message.text == "My parcel never arrived"
    assert message.received_at == NOW
    assert message.raw == raw
    assert message.lasting_address
    assert message.attachments == ()
    assert message.flags == ()


def test_an_old_style_webhook_with_only_smssid_is_accepted() -> None:
    params = {key: value for key, value in SMS.items() if key != "MessageSid"}
    assert parse_incoming(params, b"", NOW, "GB").provider_id == SMS["SmsSid"]


def test_mms_media_become_attachments_with_their_urls() -> None:
    base = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media"
    params = {
        **SMS,
        "Body": "",
        "NumMedia": "2",
        "MediaUrl0": f"{base}/ME111",
        "MediaContentType0": "image/jpeg",
        "MediaUrl1": f"{base}/ME222/",
        "MediaContentType1": "application/pdf",
    }
    message = parse_incoming(params, b"", NOW, "GB")
    assert message.text == ""
    assert message.attachments == (
        Attachment("ME111", "image/jpeg", 0, url=f"{base}/ME111"),
        Attachment("ME222", "application/pdf", 0, url=f"{base}/ME222/"),
    )


def test_a_media_item_without_a_url_is_flagged_and_the_message_kept() -> None:
    params = {**SMS, "NumMedia": "1"}
    message = parse_incoming(params, b"", NOW, "GB")
    assert message.text == SMS["Body"]
    assert message.attachments == ()
    assert "media-missing:0" in message.flags


def test_a_media_count_over_twilios_ten_is_capped_and_flagged() -> None:
    # A 164-byte request claiming a million media items once stored a 24 MB row.
    message = parse_incoming({**SMS, "NumMedia": "1000000"}, b"", NOW, "GB")
    assert message.text == SMS["Body"]
    assert "media-over-limit:1000000" in message.flags
    assert len(message.flags) <= 11
    assert len(repr(message.flags)) < 500


@pytest.mark.parametrize(
    ("sender", "address"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("07700 900123", "+447700900123"),
        ("(020) 7946 0000", "+442079460000"),
        ("+1 (415) 555-0100", "+14155550100"),
    ],
)
def test_sender_numbers_in_odd_formats_become_e164(sender: str, address: str) -> None:
    assert parse_incoming({**SMS, "From": sender}, b"", NOW, "GB").address == address


@pytest.mark.parametrize("sender", ["ACMEBANK", "12345", "whatsapp:+447700900123"])
def test_senders_that_are_not_phone_numbers_are_kept_as_they_came(sender: str) -> None:
    message = parse_incoming({**SMS, "From": sender}, b"", NOW, "GB")
    assert message.address == sender
    assert "address-not-e164" in message.flags


@pytest.mark.parametrize(("missing", "reason"), [("From", "From"), ("MessageSid", "MessageSid")])
def test_a_webhook_without_sender_or_message_id_is_malformed(missing: str, reason: str) -> None:
    params = {k: v for k, v in SMS.items() if k not in {missing, "SmsSid"}}
    with pytest.raises(MalformedWebhook, match=reason):
        parse_incoming(params, b"", NOW, "GB")


def test_a_blank_sender_is_malformed() -> None:
    with pytest.raises(MalformedWebhook, match="From"):
        parse_incoming({**SMS, "From": "  "}, b"", NOW, "GB")


@pytest.mark.parametrize("count", ["two", "1.5", "-1"])
def test_a_media_count_that_is_not_a_number_is_malformed(count: str) -> None:
    with pytest.raises(MalformedWebhook, match="NumMedia"):
        parse_incoming({**SMS, "NumMedia": count}, b"", NOW, "GB")


def test_twilio_opt_out_type_is_kept_as_a_flag() -> None:
    message = parse_incoming({**SMS, "Body": "Stop", "OptOutType": "STOP"}, b"", NOW, "GB")
    assert "opt-out-type:STOP" in message.flags


# -- numbers typed by a customer -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "region", "number"),
    [
        ("(020) 7946 0000", "GB", "+442079460000"),
        ("+44 7700 900123", "US", "+447700900123"),
        ("0044 20 7946 0000", "GB", "+442079460000"),
        ("415-555-0100", "US", "+14155550100"),
    ],
)
def test_a_typed_number_is_normalised_to_e164(text: str, region: str, number: str) -> None:
    assert normalise_number(text, region) == number


@pytest.mark.parametrize("text", ["", "call me", "12345", "020 7946", "+44 7700 900"])
def test_text_that_is_no_phone_number_gives_none(text: str) -> None:
    assert normalise_number(text, "GB") is None


# -- keywords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        *[
            (word, "stop")
            for word in ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE")
        ],
        ("OPTOUT", "stop"),
        ("START", "start"),
        ("UNSTOP", "start"),
        ("YES", "start"),
        ("HELP", "help"),
        ("INFO", "help"),
        ("  stop\n", "stop"),
        ("Help", "help"),
    ],
)
def test_a_whole_message_keyword_is_recognised(body: str, expected: str) -> None:
    assert keyword(body, None) == expected


@pytest.mark.parametrize(
    "body",
    ["Please stop sending me the wrong parcel", "stop it", "help me please", "yes please", ""],
)
def test_a_sentence_containing_a_keyword_is_not_a_keyword(body: str) -> None:
    assert keyword(body, None) is None


@pytest.mark.parametrize(
    ("body", "opt_out_type", "expected"),
    [
        ("ARRET", "STOP", "stop"),
        ("Yes", "START", "start"),
        ("AIDE", "HELP", "help"),
        ("START", "STOP", "stop"),
    ],
)
def test_twilio_opt_out_type_wins_over_the_words(
    body: str, opt_out_type: str, expected: str
) -> None:
    assert keyword(body, opt_out_type) == expected


# -- status callbacks ----------------------------------------------------------------------


def test_a_delivery_report_is_parsed() -> None:
    update = parse_status(
        {"MessageSid": "SM1", "MessageStatus": "delivered", "To": "+447700900123"}
    )
    assert update == StatusUpdate("SM1", "delivered", None, "+447700900123")
    assert not update.failed


def test_a_failed_delivery_carries_its_error_code() -> None:
    update = parse_status(
        {"MessageSid": "SM1", "MessageStatus": "undelivered", "ErrorCode": "30003"}
    )
    assert update.error_code == 30003
    assert update.failed


@pytest.mark.parametrize(
    "params",
    [
        {"MessageStatus": "sent"},
        {"MessageSid": "SM1"},
        {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "oops"},
    ],
)
def test_a_status_callback_without_id_or_status_is_malformed(params: dict[str, str]) -> None:
    with pytest.raises(MalformedWebhook):
        parse_status(params)
