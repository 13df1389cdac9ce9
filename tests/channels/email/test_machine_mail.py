"""Mail a machine wrote (bounces, read receipts) and quotes of our own messages."""

from __future__ import annotations

from datetime import UTC, datetime

from channels.email.parse import parse_email, to_inbound

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def test_a_bounce_forwarded_with_an_ordinary_sender_is_still_automatic() -> None:
    raw = (
        b"From: postoffice@relay.example\r\nTo: complaints@example.com\r\n"
        b"Subject: Delivery failure\r\nMessage-ID: <b1@relay.example>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        b"--B\r\nContent-Type: text/plain\r\n\r\nCould not deliver.\r\n"
        b"--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        b"Final-Recipient: rfc822; ana@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <ours@example.com>\r\n"
        b"\r\n--B--\r\n"
    )
    message = to_inbound(
        parse_email(raw), raw, envelope_from="postoffice@relay.example", received_at=NOW
    )
    assert any(flag.startswith("auto:") for flag in message.flags)


def test_a_read_receipt_is_automatic() -> None:
    raw = (
        b"From: ana@customer.example\r\nTo: complaints@example.com\r\nSubject: Read: x\r\n"
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=disposition-notification; boundary="B"'
        b"\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\nYour message was read.\r\n"
        b"--B\r\nContent-Type: message/disposition-notification\r\n\r\n"
        b"Disposition: manual-action/MDN-sent-manually; displayed\r\n\r\n--B--\r\n"
    )
    message = to_inbound(
        parse_email(raw), raw, envelope_from="ana@customer.example", received_at=NOW
    )
    assert "auto:report:disposition-notification" in message.flags


def test_a_quote_of_our_own_message_is_cut_even_in_an_unknown_style() -> None:
    from channels.email.text import cut_at_quote_of

    ours = (
        "Your reference is CB-K7M3-XD94. Please keep it.\n"
        "1. When did it happen?\n2. To handle your complaint we keep what you tell us."
    )
    reply = (
        "It was the 3rd of March.\n\nDe: Shop Ltd <complaints@shop.example>\n"
        "Enviada: domingo, 22 de novembro de 2026 10:30\nAssunto: Re: x\n\n"
        "Your reference is CB-K7M3-XD94. Please keep it.\n1. When did it happen?"
    )
    assert cut_at_quote_of(reply, [ours]).startswith("It was the 3rd of March.")
    assert "When did it happen" not in cut_at_quote_of(reply, [ours])
    assert cut_at_quote_of("Nothing of ours here.", [ours]) == "Nothing of ours here."
