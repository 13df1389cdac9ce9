"""Parsing inbound email: hostile and broken input never raises, and says what it found."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from channels.email.parse import parse_email, to_inbound

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
HEADERS = (
    "From: Alice Example <Alice@Example.COM>\r\n"
    "To: complaints@shop.example\r\n"
    "Subject: Broken kettle\r\n"
    "Date: Sun, 22 Nov 2026 09:00:00 +0100\r\n"
    "Message-ID: <m1@example.com>\r\n"
)


def mail(
    extra_headers: str = "", body: str = "My kettle broke.\r\n", headers: str = HEADERS
) -> bytes:
    return (headers + extra_headers + "\r\n" + body).encode("utf-8")


def test_a_plain_message_gives_its_fields() -> None:
    parsed = parse_email(mail("In-Reply-To: <a@x>\r\nReferences: <r@x> <a@x>\r\n"))
    assert parsed.from_address == "alice@example.com"
    assert parsed.from_name == "Alice Example"
    assert parsed.to == ("complaints@shop.example",)
    assert parsed.subject == "Broken kettle"
    assert parsed.date == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    assert parsed.message_id == "<m1@example.com>"
    assert (parsed.in_reply_to, parsed.references) == ("<a@x>", ("<r@x>", "<a@x>"))
    assert parsed.text == parsed.new_text == "My kettle broke."
    assert parsed.auto_reason is None
    assert parsed.delivery_report is None
    assert parsed.flags == ()


def test_to_inbound_keys_by_message_id_and_threads_in_order_without_duplicates() -> None:
    raw = mail("In-Reply-To: <a@x>\r\nReferences: <r@x> <a@x>\r\n")
    message = to_inbound(parse_email(raw), raw, envelope_from="bounce@example.com", received_at=NOW)
    assert message.channel == "email"
    assert message.address == "alice@example.com"
    assert message.provider_id == "<m1@example.com>"
    assert message.thread_ids == ("<a@x>", "<r@x>")
    assert message.text == "My kettle broke."
    assert (message.subject, message.display_name) == ("Broken kettle", "Alice Example")
    assert message.raw == raw
    assert message.received_at == NOW
    assert message.lasting_address is True
    assert message.flags == ()


def test_without_message_id_or_from_the_hash_and_envelope_sender_stand_in() -> None:
    raw = b"Subject: hi\r\n\r\nhello\r\n"
    message = to_inbound(parse_email(raw), raw, envelope_from="<Bob@Example.com>", received_at=NOW)
    assert message.address == "bob@example.com"
    assert message.provider_id.startswith("sha256:")
    assert len(message.provider_id) == 7 + 64


def test_a_message_with_no_body_has_no_text() -> None:
    parsed = parse_email(mail(body=""))
    assert parsed.text == parsed.new_text == ""
    assert "no-text" in parsed.flags


def test_a_message_with_only_an_attachment_keeps_it_and_has_no_text() -> None:
    raw = mail(
        "MIME-Version: 1.0\r\nContent-Type: application/pdf; name=receipt.pdf\r\n"
        "Content-Disposition: attachment; filename=receipt.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n",
        body="JVBERi0xLjQK\r\n",
    )
    parsed = parse_email(raw)
    assert "no-text" in parsed.flags
    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.content_type) == ("receipt.pdf", "application/pdf")
    assert attachment.content == b"%PDF-1.4\n"
    assert attachment.size == 9


@pytest.mark.parametrize("seed", range(20))
def test_binary_garbage_never_raises_and_is_kept_raw(seed: int) -> None:
    raw = random.Random(seed).randbytes(5000)
    parsed = parse_email(raw)
    assert isinstance(parsed.text, str)
    assert to_inbound(parsed, raw, envelope_from="x@y.example", received_at=NOW).raw == raw


def test_a_binary_body_is_not_taken_as_text() -> None:
    parsed = parse_email(mail(body="".join(chr(c) for c in range(32)) * 20))
    assert parsed.text == ""
    assert {"binary-body", "no-text"} <= set(parsed.flags)


@hypothesis_settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_no_bytes_make_parsing_raise(raw: bytes) -> None:
    parse_email(b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" + raw)
    parse_email(raw)


def test_raw_utf8_headers_are_read_as_utf8() -> None:
    raw = 'From: "Jöhn Doe" <jdöe@mächine.example>\r\nSubject: Säying Hello\r\n\r\nbody\r\n'
    parsed = parse_email(raw.encode("utf-8"))
    assert (parsed.from_name, parsed.from_address) == ("Jöhn Doe", "jdöe@mächine.example")
    assert parsed.subject == "Säying Hello"
    assert "charset-fallback" not in parsed.flags


def test_8bit_headers_in_a_legacy_charset_fall_back_and_say_so() -> None:
    raw = "From: Zoë <zoe@example.com>\r\nSubject: Café au lait\r\n\r\nbody\r\n".encode("cp1252")
    parsed = parse_email(raw)
    assert parsed.subject == "Café au lait"
    assert parsed.from_name == "Zoë"
    assert "charset-fallback" in parsed.flags


@pytest.mark.parametrize("label", ["us-ascii", "utf-8", "x-unknown", "base64", "punycode"])
def test_a_wrong_or_unknown_charset_label_falls_back_and_says_so(label: str) -> None:
    raw = (
        HEADERS + f"Content-Type: text/plain; charset={label}\r\n\r\n"
    ).encode() + "Un café trop cher.\r\n".encode("latin-1")
    parsed = parse_email(raw)
    assert parsed.text == "Un café trop cher."
    assert "charset-fallback" in parsed.flags


def test_an_encoded_subject_with_an_unknown_charset_still_reads() -> None:
    parsed = parse_email(b"Subject: =?NONE?B?VEVTVA=?=\r\n\r\nTEST\r\n")
    assert parsed.subject == "TEST"


def nested(levels: int) -> bytes:
    head = "".join(
        f"--b{n}\r\nContent-Type: multipart/mixed; boundary=b{n + 1}\r\n\r\n" for n in range(levels)
    )
    tail = "".join(f"\r\n--b{n}--\r\n" for n in reversed(range(levels + 1)))
    inner = f"--b{levels}\r\nContent-Type: text/plain\r\n\r\nDeep inside.\r\n"
    top = "Content-Type: multipart/mixed; boundary=b0\r\n\r\n"
    return (HEADERS + "MIME-Version: 1.0\r\n" + top + head + inner + tail).encode()


def test_a_200_level_nested_multipart_still_yields_its_text() -> None:
    parsed = parse_email(nested(200))
    assert parsed.text == "Deep inside."


def test_nesting_deeper_than_the_parser_can_go_still_gives_the_headers() -> None:
    parsed = parse_email(nested(1000))
    assert "unparseable" in parsed.flags
    assert parsed.message_id == "<m1@example.com>"
    assert parsed.from_address == "alice@example.com"


def test_a_message_of_thousands_of_parts_is_not_opened() -> None:
    # How long it takes is measured by benchmarks/hostile_mail.py, not here.
    parts = "".join("--b\r\nContent-Type: text/plain\r\n\r\nx\r\n" for _ in range(6000))
    parsed = parse_email(mail("Content-Type: multipart/mixed; boundary=b\r\n", parts + "--b--\r\n"))
    assert "too-many-parts" in parsed.flags
    assert parsed.message_id == "<m1@example.com>"


def test_a_plain_text_full_of_dashes_is_read_as_usual() -> None:
    parsed = parse_email(mail(body="--\r\n" * 6000 + "The end.\r\n"))
    assert parsed.text.endswith("The end.")
    assert "too-many-parts" not in parsed.flags


@pytest.mark.parametrize(
    ("extra_headers", "reason"),
    [
        ("Auto-Submitted: auto-replied\r\n", "auto-submitted:auto-replied"),
        ("Auto-Submitted: auto-generated (failure)\r\n", "auto-submitted:auto-generated"),
        ("Precedence: bulk\r\n", "precedence:bulk"),
        ("Precedence: junk\r\n", "precedence:junk"),
        ("Precedence: list\r\n", "precedence:list"),
        ("List-Id: <news.shop.example>\r\n", "list:list-id"),
        ("List-Unsubscribe: <mailto:leave@shop.example>\r\n", "list:list-unsubscribe"),
        ("Return-Path: <>\r\n", "null-sender"),
        ("X-Auto-Response-Suppress: All\r\n", "x-auto-response-suppress"),
        ("X-Auto-Response-Suppress: DR, AutoReply\r\n", "x-auto-response-suppress"),
        ("X-Auto-Response-Suppress: OOF\r\n", "x-auto-response-suppress"),
        ("X-Autoreply: yes\r\n", "x-autoreply"),
        ("X-Autorespond: Thanks for your mail\r\n", "x-autorespond"),
    ],
)
def test_automatic_mail_is_recognised(extra_headers: str, reason: str) -> None:
    raw = mail(extra_headers)
    parsed = parse_email(raw)
    assert parsed.auto_reason == reason
    inbound = to_inbound(parsed, raw, envelope_from="a@example.com", received_at=NOW)
    assert f"auto:{reason}" in inbound.flags


@pytest.mark.parametrize(
    ("sender", "reason"),
    [("MAILER-DAEMON@mx.example.com", "mailer-daemon"), ("postmaster@example.com", "postmaster")],
)
def test_mail_from_a_mail_system_is_automatic(sender: str, reason: str) -> None:
    headers = HEADERS.replace("Alice Example <Alice@Example.COM>", sender)
    assert parse_email(mail(headers=headers)).auto_reason == reason


@pytest.mark.parametrize(
    "extra_headers",
    [
        "",
        "Auto-Submitted: no\r\n",
        "Precedence: first-class\r\n",
        "X-Auto-Response-Suppress: DR\r\n",
    ],
)
def test_mail_a_person_wrote_is_not_automatic(extra_headers: str) -> None:
    assert parse_email(mail(extra_headers)).auto_reason is None


@pytest.mark.parametrize(
    ("envelope_from", "flag"),
    [
        ("", "auto:null-sender"),
        ("<>", "auto:null-sender"),
        ("MAILER-DAEMON@mx.example", "auto:mailer-daemon"),
    ],
)
def test_a_null_or_daemon_envelope_sender_marks_the_inbound_message(
    envelope_from: str, flag: str
) -> None:
    raw = mail()
    inbound = to_inbound(parse_email(raw), raw, envelope_from=envelope_from, received_at=NOW)
    assert flag in inbound.flags


def test_html_only_mail_becomes_readable_text_without_tags_or_script() -> None:
    body = (
        "<html><head><title>T</title><style>p { color: red }</style>"
        "<script>alert('steal')</script></head><body><p>My <b>parcel</b> never came.</p>"
        "<ul><li>Order A12345</li></ul><script>var x = 1;</script>"
        "<p>Fish &amp; chips &lt;3</p></body></html>\r\n"
    )
    parsed = parse_email(mail("Content-Type: text/html; charset=utf-8\r\n", body=body))
    assert "My parcel never came." in parsed.text
    assert "Order A12345" in parsed.text
    assert "Fish & chips <3" in parsed.text
    for leftover in ("<", "alert", "var x", "color: red", "steal"):
        assert leftover not in parsed.text.replace("<3", "")


def test_plain_text_is_preferred_over_its_html_alternative() -> None:
    body = (
        "--alt\r\nContent-Type: text/plain\r\n\r\nPlain words.\r\n"
        "--alt\r\nContent-Type: text/html\r\n\r\n<p>HTML words.</p>\r\n--alt--\r\n"
    )
    parsed = parse_email(mail("Content-Type: multipart/alternative; boundary=alt\r\n", body))
    assert parsed.text == "Plain words."


def attachment_part(name: str, data: str = "aGVsbG8=") -> str:
    return (
        "--mix\r\nContent-Type: application/octet-stream\r\n"
        f'Content-Disposition: attachment; filename="{name}"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{data}\r\n"
    )


def with_attachments(*parts: str) -> bytes:
    body = "--mix\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n" + "".join(parts)
    return mail("Content-Type: multipart/mixed; boundary=mix\r\n", body + "--mix--\r\n")


@pytest.mark.parametrize(
    ("given_name", "safe_name"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\system32\\evil.exe", "evil.exe"),
        ("bad\x07name\x00.txt", "badname.txt"),
        ("..", "attachment-1.bin"),
        ("", "attachment-1.bin"),
        ("a" * 300 + ".jpeg", "a" * 115 + ".jpeg"),
        ('what?<>|"*.txt', "what______.txt"),
    ],
)
def test_attachment_file_names_are_made_safe(given_name: str, safe_name: str) -> None:
    [attachment] = parse_email(with_attachments(attachment_part(given_name))).attachments
    assert attachment.filename == safe_name
    assert attachment.content == b"hello"


def test_an_attachment_over_the_size_cap_is_listed_without_content() -> None:
    big = "QUFB" * 1000  # 3000 bytes decoded
    parsed = parse_email(
        with_attachments(attachment_part("big.bin", big), attachment_part("small.txt")),
        max_attachment_bytes=1000,
    )
    big_one, small = parsed.attachments
    assert (big_one.filename, big_one.size, big_one.content) == ("big.bin", 3000, None)
    assert small.content == b"hello"
    assert "attachment-too-large" in parsed.flags


def test_attachments_past_the_count_cap_are_listed_without_content() -> None:
    parts = [attachment_part(f"photo{n}.jpg") for n in range(5)]
    parsed = parse_email(with_attachments(*parts), max_attachments=3)
    assert [a.filename for a in parsed.attachments] == [f"photo{n}.jpg" for n in range(5)]
    assert [a.content is not None for a in parsed.attachments] == [True, True, True, False, False]
    assert "too-many-attachments" in parsed.flags


def test_a_reply_keeps_only_the_new_text() -> None:
    body = (
        "Still broken, please refund.\r\n\r\n"
        "On Sun, 22 Nov 2026 at 09:00, Complaints <complaints@shop.example> wrote:\r\n"
        "> Your reference is CB-9RFK-R3DY.\r\n> Please keep it.\r\n"
    )
    parsed = parse_email(mail(body=body))
    assert parsed.new_text == "Still broken, please refund."
    assert "CB-9RFK-R3DY" in parsed.text


def test_answers_between_quotes_are_all_kept() -> None:
    body = "> What happened?\r\nIt broke.\r\n> When?\r\nYesterday.\r\n"
    parsed = parse_email(mail(body=body))
    assert parsed.new_text == parsed.text


def test_a_forwarded_message_is_new_text_in_full() -> None:
    body = (
        "See what your courier sent me.\r\n\r\n---------- Forwarded message ----------\r\n"
        "From: Courier <noreply@courier.example>\r\nDate: Sat, 21 Nov 2026\r\n"
        "Subject: Delivered\r\nTo: alice@example.com\r\n\r\nYour parcel was delivered.\r\n"
    )
    parsed = parse_email(mail(body=body))
    assert parsed.new_text == parsed.text
    assert "Your parcel was delivered." in parsed.new_text
    assert "forwarded" in parsed.flags


def test_a_quoted_only_message_keeps_its_text() -> None:
    body = "On Sun, 22 Nov 2026, Bob wrote:\r\n> Everything quoted.\r\n"
    parsed = parse_email(mail(body=body))
    assert parsed.new_text == parsed.text


def test_reply_detection_keeps_a_hostile_long_line() -> None:
    # How long it takes is measured by benchmarks/hostile_mail.py, not here.
    parsed = parse_email(mail(body="On " + "a b " * 30000 + "\r\n" + "\r\n" * 50000))
    assert parsed.text.startswith("On a b a b")


def test_a_multipart_report_is_a_delivery_report() -> None:
    body = (
        "--r\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--r\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n"
        "\r\nFinal-Recipient: rfc822; Gone@Example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--r\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <ours@shop.example>\r\n"
        "Subject: Your complaint\r\n--r--\r\n"
    )
    raw = mail("Content-Type: multipart/report; report-type=delivery-status; boundary=r\r\n", body)
    parsed = parse_email(raw)
    assert parsed.delivery_report is not None
    assert parsed.delivery_report.original_message_ids == ("<ours@shop.example>",)
    assert parsed.delivery_report.recipients == ("gone@example.com",)
    assert (parsed.delivery_report.action, parsed.delivery_report.status) == ("failed", "5.1.1")
    inbound = to_inbound(parsed, raw, envelope_from="", received_at=NOW)
    assert "delivery-report" in inbound.flags
