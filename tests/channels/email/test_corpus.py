"""Real-world mail from other people's clients and servers (shared/corpus/email): nothing lost."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from channels.email.parse import parse_email, to_inbound

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT.parent / "shared" / "corpus" / "email"
NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
# Not messages: the corpora's licences, and talon's expected outputs.
NOT_MESSAGES = re.compile(r"^LICENSE$|_reply_text$")

# Messages with no readable body by nature; each was opened and checked by hand.
NO_TEXT = {
    # Only an <img> in the HTML body; the picture and a forwarded .eml are attachments.
    "mikel-mail/attachment_emails/attachment_message_rfc822_inline_image.eml",
    # A lone gzip attachment.
    "mikel-mail/attachment_emails/attachment_only_email.eml",
    # A lone JPEG.
    "mikel-mail/attachment_emails/attachment_with_quoted_filename.eml",
    # Headers only: what looks like a body is a continuation line of the empty Date header.
    "mikel-mail/error_emails/bad_date_header.eml",
    # Headers only (a multipart whose parts never came).
    "mikel-mail/error_emails/bad_date_header2.eml",
    "mikel-mail/error_emails/empty_in_reply_to.eml",
    "mikel-mail/error_emails/missing_body.eml",
    "mikel-mail/error_emails/must_supply_encoding.eml",
    # A lone part labelled image/jpg (its base64 happens to be text; the label is believed).
    "mikel-mail/error_emails/missing_content_disposition.eml",
    # A lone image part in a multipart/alternative.
    "mikel-mail/mime_emails/raw_email_with_binary_encoded.eml",
    # A lone text attachment with a long RFC 2231 name.
    "mikel-mail/multi_charset/japanese_attachment_long_name.eml",
    # A delivery report with no human-readable part (status fields and the returned message).
    "mikel-mail/multipart_report_emails/multipart_report_multiple_status.eml",
    # An empty file.
    "mikel-mail/sample_output_multipart",
}

ORIGINAL_MESSAGE_IDS = {
    "multi_address_bounce1.eml": "<118707422.15521266992174819.JavaMail.root@lvmail01>",
    "multi_address_bounce2.eml": "<118707422.15521266992174819.JavaMail.root@lvmail01>",
    "multipart_report_multiple_status.eml": "<4c2a146147ac8_61ff157c4ec1652df@s.h.c.mail>",
    "report_422.eml": "<15655788.13.1200472642578.JavaMail.Administrator@mail.ttttt.com.au>",
    "report_530.eml": "<200712232303.lBNN3jDq002941@mail12.rrrr.com.au>",
}

HISTORY_MARKERS = [
    re.compile(r"^On .+ wrote:$"),
    re.compile(r"^-+ ?Original Message ?-+$"),
    re.compile(r"^From: "),
    re.compile(r"написал:$"),
    re.compile(r"^>"),
]


def _files(under: str = "") -> list[object]:
    folder = CORPUS / under
    if not folder.is_dir():
        reason = f"email corpus not found at {folder} (it lives in shared/, beside the project)"
        return [pytest.param(None, marks=pytest.mark.skip(reason=reason), id="corpus-missing")]
    return [
        pytest.param(path, id=path.relative_to(CORPUS).as_posix())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not NOT_MESSAGES.search(path.name)
    ]


def _name(path: Path) -> str:
    return path.relative_to(CORPUS).as_posix()


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("path", _files())
def test_every_message_parses_keeps_its_raw_bytes_and_reads(path: Path) -> None:
    raw = path.read_bytes()
    parsed = parse_email(raw)
    assert "unparseable" not in parsed.flags
    inbound = to_inbound(parsed, raw, envelope_from="sender@example.com", received_at=NOW)
    assert inbound.raw == raw
    assert inbound.provider_id
    if _name(path) in NO_TEXT:
        assert parsed.text == ""
        assert "no-text" in parsed.flags
    else:
        assert parsed.text.strip(), "expected a readable text body"
        assert "\ufffd" not in parsed.text or "charset-fallback" in parsed.flags
        assert parsed.new_text.strip()


@pytest.mark.parametrize("path", _files("mikel-mail/attachment_emails"))
def test_attachments_are_kept_with_their_content(path: Path) -> None:
    parsed = parse_email(path.read_bytes())
    assert parsed.attachments
    for attachment in parsed.attachments:
        assert attachment.content is not None
        assert attachment.size == len(attachment.content)
        assert attachment.filename
        assert "/" not in attachment.filename


KNOWN_ATTACHMENTS = [
    ("attachment_emails/attachment_pdf.eml", "broken.pdf", "application/pdf", 1026),
    ("attachment_emails/attachment_pdf_non_ascii_lf.eml", "broken.pdf", "application/pdf", 1026),
    ("attachment_emails/attachment_nonascii_filename.eml", "ciële.txt", "text/plain", 11),
    ("attachment_emails/attachment_with_unquoted_name.eml", "This is a test.txt", "text/plain", 11),
    (
        "attachment_emails/attachment_with_base64_encoded_name.eml",
        "This is a test.pdf",
        "application/pdf",
        399,
    ),
    ("attachment_emails/attachment_content_location.eml", "Photo25.jpg", "image/jpeg", 227),
    (
        "attachment_emails/attachment_with_quoted_filename.eml",
        "Eelanalüüsi päring.jpg",
        "image/jpeg",
        1952,
    ),
    ("attachment_emails/attachment_only_email.eml", "blah.gz", "application/x-gzip", 288),
    ("multi_charset/japanese_attachment.eml", "てすと.txt", "text/plain", 33),
]


@pytest.mark.parametrize(
    ("file", "filename", "content_type", "size"),
    KNOWN_ATTACHMENTS,
    ids=[item[0] for item in KNOWN_ATTACHMENTS],
)
def test_known_attachments_keep_their_names_and_sizes(
    file: str, filename: str, content_type: str, size: int
) -> None:
    path = CORPUS / "mikel-mail" / file
    if not path.is_file():
        pytest.skip(f"email corpus not found at {CORPUS}")
    found = {
        (a.filename, a.content_type, a.size) for a in parse_email(path.read_bytes()).attachments
    }
    assert (filename, content_type, size) in found


def test_a_forwarded_message_attachment_is_itself_a_readable_message() -> None:
    path = CORPUS / "mikel-mail/attachment_emails/attachment_message_rfc822.eml"
    if not path.is_file():
        pytest.skip(f"email corpus not found at {CORPUS}")
    [forwarded] = parse_email(path.read_bytes()).attachments
    assert (forwarded.filename, forwarded.content_type) == (
        "ForwardedMessage.eml",
        "message/rfc822",
    )
    assert forwarded.content is not None
    inner = parse_email(forwarded.content)
    assert [(a.filename, a.size) for a in inner.attachments] == [("broken.pdf", 1026)]


@pytest.mark.parametrize("path", _files("mikel-mail/multipart_report_emails"))
def test_delivery_reports_are_recognised_with_the_original_message_id(path: Path) -> None:
    raw = path.read_bytes()
    parsed = parse_email(raw)
    report = parsed.delivery_report
    assert report is not None
    assert report.original_message_ids == (ORIGINAL_MESSAGE_IDS[path.name],)
    assert report.recipients
    assert report.action in ("failed", "delayed")
    assert report.status
    assert report.status[0] in "45"
    inbound = to_inbound(parsed, raw, envelope_from="", received_at=NOW)
    assert "delivery-report" in inbound.flags
    assert any(flag.startswith("auto:") for flag in inbound.flags)


@pytest.mark.parametrize("client", ["iphone", "sparrow"])
def test_talon_replies_with_expected_text_give_exactly_that_new_text(client: str) -> None:
    folder = CORPUS / "talon-replies"
    if not folder.is_dir():
        pytest.skip(f"email corpus not found at {folder}")
    parsed = parse_email((folder / f"{client}.eml").read_bytes())
    expected = (folder / f"{client}_reply_text").read_text(encoding="utf-8")
    assert _words(parsed.new_text) == _words(expected)


@pytest.mark.parametrize("path", _files("talon-replies"))
def test_talon_replies_lose_their_quoted_history(path: Path) -> None:
    parsed = parse_email(path.read_bytes())
    text_lines = [line.strip() for line in parsed.text.splitlines()]
    new_lines = [line.strip() for line in parsed.new_text.splitlines()]
    for marker in HISTORY_MARKERS:
        if any(marker.search(line) for line in text_lines):
            assert not any(marker.search(line) for line in new_lines), marker.pattern
    # Every one of these replies says "Hello"; two also keep a signature (as talon expects).
    assert _words(parsed.new_text).startswith("Hello")
    if path.stem not in ("iphone", "sparrow"):
        assert _words(parsed.new_text) == "Hello"
