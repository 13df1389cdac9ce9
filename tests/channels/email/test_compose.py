"""Composing outbound email: threading, auto headers, choices, and nothing injectable."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime
from email.message import EmailMessage
from email.parser import BytesParser
from typing import Any, cast

import pytest

from channels.base import Choice, OutboundMessage
from channels.email.compose import address, compose, make_message_id
from channels.email.parse import parse_email

DATE = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def outbound(**changes: Any) -> OutboundMessage:
    fields: dict[str, Any] = {
        "channel": "email",
        "address": "alice@example.com",
        "text": "Your reference is CB-9RFK-R3DY.",
        "outbox_id": 7,
        "subject": "Your complaint CB-9RFK-R3DY",
    }
    fields.update(changes)
    return OutboundMessage(**fields)


def build(message: OutboundMessage, *, automatic: bool = True) -> EmailMessage:
    return compose(
        message,
        from_address="complaints@shop.example",
        from_name="Example Ltd Complaints",
        reply_to="complaints@shop.example",
        message_id="<abc123@shop.example>",
        date=DATE,
        automatic=automatic,
    )


def reparsed(mail: EmailMessage) -> EmailMessage:
    raw = mail.as_bytes(policy=email.policy.SMTPUTF8)
    return cast(EmailMessage, BytesParser(policy=email.policy.default).parsebytes(raw))


def test_headers_say_who_when_and_what() -> None:
    mail = reparsed(build(outbound()))
    assert mail["From"] == "Example Ltd Complaints <complaints@shop.example>"
    assert mail["To"] == "alice@example.com"
    assert mail["Reply-To"] == "complaints@shop.example"
    assert mail["Subject"] == "Your complaint CB-9RFK-R3DY"
    assert mail["Message-ID"] == "<abc123@shop.example>"
    assert mail["MIME-Version"] == "1.0"
    assert mail["Date"].datetime == DATE
    assert mail.get_content_type() == "text/plain"
    assert mail.get_content().strip() == "Your reference is CB-9RFK-R3DY."


def test_replies_thread_on_the_last_id_and_reference_them_all() -> None:
    mail = reparsed(build(outbound(thread_ids=("<first@example.com>", "<second@example.com>"))))
    assert mail["In-Reply-To"] == "<second@example.com>"
    assert mail["References"].split() == ["<first@example.com>", "<second@example.com>"]


def test_a_new_conversation_has_no_threading_headers() -> None:
    mail = reparsed(build(outbound()))
    assert mail["In-Reply-To"] is None
    assert mail["References"] is None


def test_automatic_messages_tell_autoresponders_to_stay_quiet() -> None:
    mail = reparsed(build(outbound(), automatic=True))
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["X-Auto-Response-Suppress"] == "All"


def test_a_human_message_carries_no_auto_headers() -> None:
    mail = reparsed(build(outbound(), automatic=False))
    assert mail["Auto-Submitted"] is None
    assert mail["X-Auto-Response-Suppress"] is None


def test_our_own_automatic_reply_is_recognised_as_automatic_by_our_parser() -> None:
    raw = build(outbound()).as_bytes(policy=email.policy.SMTP)
    assert parse_email(raw).auto_reason == "auto-submitted:auto-replied"


def test_choices_are_numbered_in_text_and_listed_escaped_in_html() -> None:
    message = outbound(
        html="<html><body><p>Pick one</p></body></html>",
        choices=(Choice("refund", "A refund"), Choice("x", "<script>alert(1)</script> & co")),
    )
    mail = reparsed(build(message))
    assert mail.get_content_type() == "multipart/alternative"
    plain = mail.get_body(("plain",))
    html = mail.get_body(("html",))
    assert plain is not None
    assert html is not None
    text = plain.get_content().replace("\r\n", "\n")
    assert "  1. A refund\n  2. <script>alert(1)</script> & co" in text
    markup = html.get_content()
    assert "<ol><li>A refund</li><li>&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</li></ol>" in (
        markup
    )
    assert markup.index("<ol>") < markup.index("</body>")
    assert "<script>" not in markup


@pytest.mark.parametrize(
    "subject",
    ["Hello\r\nBcc: evil@attacker.example", "Hello\nBcc: evil@attacker.example", "Hi\rBcc: x@y.z"],
)
def test_a_newline_in_the_subject_cannot_add_a_header(subject: str) -> None:
    mail = build(outbound(subject=subject))
    raw = mail.as_bytes(policy=email.policy.SMTP)
    assert b"\r\nBcc:" not in raw
    assert b"\nBcc:" not in raw
    assert reparsed(mail)["Bcc"] is None
    assert "Bcc:" in reparsed(mail)["Subject"]


@pytest.mark.parametrize(
    "address",
    [
        "alice@example.com\r\nBcc: evil@attacker.example",
        "alice@example.com, evil@attacker.example",
        "Alice <alice@example.com>",
        "not-an-address",
        "",
    ],
)
def test_an_address_that_is_not_one_mailbox_is_refused(address: str) -> None:
    with pytest.raises(ValueError, match="address"):
        build(outbound(address=address))


def test_a_display_name_with_a_newline_stays_on_one_line() -> None:
    mail = compose(
        outbound(),
        from_address="complaints@shop.example",
        from_name="Shop\r\nBcc: evil@attacker.example",
        reply_to="complaints@shop.example",
        message_id="<abc@shop.example>",
        date=DATE,
        automatic=True,
    )
    assert reparsed(mail)["Bcc"] is None


@pytest.mark.parametrize("subject", [None, "", "  \r\n "])
def test_an_email_needs_a_subject(subject: str | None) -> None:
    with pytest.raises(ValueError, match="subject"):
        build(outbound(subject=subject))


def test_thread_ids_that_are_not_message_ids_are_dropped() -> None:
    mail = reparsed(build(outbound(thread_ids=("<ok@example.com>", "<x>\r\nBcc: e@x.y"))))
    assert mail["In-Reply-To"] == "<ok@example.com>"
    assert mail["Bcc"] is None


def test_a_non_ascii_address_goes_out_as_smtputf8() -> None:
    mail = build(outbound(address="jösé@exämple.com", text="Grüße"))
    raw = mail.as_bytes(policy=email.policy.SMTPUTF8)
    assert "To: jösé@exämple.com".encode() in raw
    parsed = parse_email(raw)
    assert parsed.to == ("jösé@exämple.com",)
    assert parsed.text == "Grüße"


def test_message_ids_are_unique_and_well_formed() -> None:
    ids = {make_message_id("shop.example") for _ in range(100)}
    assert len(ids) == 100
    assert all(i.startswith("<") and i.endswith("@shop.example>") for i in ids)
    assert make_message_id("bücher.example").endswith("@xn--bcher-kva.example>")
    with pytest.raises(ValueError, match="domain"):
        make_message_id("bad domain>")


def test_a_single_label_domain_such_as_localhost_is_an_address() -> None:
    # The embedded default complaint address is complaints@localhost.
    assert str(address("complaints@localhost")) == "complaints@localhost"
