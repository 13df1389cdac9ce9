"""Parsing inbound email: what a message's headers hint, and messages of thousands of parts."""

from __future__ import annotations

import pytest

from channels.email.parse import parse_email, to_inbound
from tests.channels.email.test_parse import HEADERS, NOW, mail


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("Content-Language: fr-CA\r\n", "fr-CA"),
        ("Content-Language: de, en\r\n", "de"),
        ("Content-Language: <script>\r\n", None),
        ("", None),
    ],
)
def test_content_language_is_carried_as_a_hint(header: str, language: str | None) -> None:
    parsed = parse_email(mail(header))
    assert parsed.language == language
    inbound = to_inbound(parsed, b"", envelope_from="alice@example.com", received_at=NOW)
    assert inbound.language == language


@pytest.mark.parametrize("attachments", [1_500, 4_999])
def test_the_text_of_a_message_of_thousands_of_parts_is_kept(attachments: int) -> None:
    # Thousands of parts, the customer's words last: past the part limit (1,500, read with
    # the tree capped) and past the parsing limit (5,000, only the text part parsed).
    parts = "".join(
        "--B\r\nContent-Type: application/octet-stream\r\n"
        f'Content-Disposition: attachment; filename="f{i}"\r\n\r\nx\r\n'
        for i in range(attachments)
    )
    text = "--B\r\nContent-Type: text/plain\r\n\r\nThe heater caught fire last night.\r\n--B--\r\n"
    raw = (
        HEADERS
        + 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="B"\r\n\r\n'
        + parts
        + text
    ).encode()
    parsed = parse_email(raw)
    assert "The heater caught fire last night." in parsed.text
    assert "too-many-parts" in parsed.flags
