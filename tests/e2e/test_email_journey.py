"""A complaint by email through `complaintbot serve`: one thread, as a mail client sees it."""

from __future__ import annotations

import email
import re
import smtplib
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from fakes.smtp_sink import SmtpSink, SunkMessage
from tests.bot.mailing import CUSTOMER, mail
from tests.e2e.conftest import Product, free_port

pytestmark = pytest.mark.e2e
COMPLAINTS = "complaints@shop.example"


@contextmanager
def serving_mail(product: Product, **env: str) -> Iterator[tuple[Product, SmtpSink, int]]:
    """`serve` taking mail on a free port, replying through a fake relay."""
    smtp_port = free_port()
    relay = SmtpSink().start()
    try:
        with product.serve(
            COMPLAINTBOT_SMTP_PORT=str(smtp_port),
            COMPLAINTBOT_COMPLAINT_ADDRESSES=COMPLAINTS,
            COMPLAINTBOT_RELAY_HOST="127.0.0.1",
            COMPLAINTBOT_RELAY_PORT=str(relay.port),
            COMPLAINTBOT_RELAY_STARTTLS="false",
            COMPLAINTBOT_ORGANISATION="Shop Ltd",
            **env,
        ) as server:
            assert f"127.0.0.1:{smtp_port} for {COMPLAINTS}" in str(server.before)
            yield product, relay, smtp_port
    finally:
        relay.stop()


@pytest.fixture
def served(product: Product) -> Iterator[tuple[Product, SmtpSink, int]]:
    with serving_mail(product) as running:
        yield running


def write(port: int, body: str, *, subject: str, reply_to: SunkMessage | None = None) -> str:
    """Send an email as a customer's mail client would; returns its Message-ID."""
    raw = mail(body, subject=subject, to=COMPLAINTS, reply_to=reply_to)
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail(CUSTOMER, [COMPLAINTS], raw)
    return str(email.message_from_bytes(raw)["Message-ID"])


def plain(message: SunkMessage) -> str:
    return str(message.parsed.get_body(preferencelist=("plain",)).get_content())


def test_a_complaint_by_email_stays_one_thread_from_first_mail_to_status_update(
    served: tuple[Product, SmtpSink, int],
) -> None:
    product, relay, port = served
    first_id = write(
        port,
        "My new fridge stopped cooling after two days. Order F-20931.\nI would like a replacement.",
        subject="Broken fridge",
    )
    ack = relay.wait_for(1, timeout=15)[0]
    match = re.search(r"\[(CB-[0-9A-Z]{4}-[0-9A-Z]{4})\]", ack.parsed["Subject"])
    assert match, ack.parsed["Subject"]
    reference = match.group(1)
    assert ack.parsed["In-Reply-To"] == first_id
    assert "1. When did it happen?" in plain(ack)

    write(
        port,
        "1. last Monday\n2. yes\n\nOn Sunday Shop Ltd wrote:\n> ...",
        subject=f"Re: {ack.parsed['Subject']}",
        reply_to=ack,
    )
    thanks = relay.wait_for(2, timeout=15)[1]
    assert "We have what we need" in plain(thanks)

    product.run(
        "cases",
        "status",
        reference,
        "investigating",
        "--message",
        "An engineer will visit on Thursday.",
    )
    update = relay.wait_for(3, timeout=15)[2]
    assert "An engineer will visit on Thursday." in plain(update)
    assert update.parsed["Auto-Submitted"] is None, "a person's update, not an auto-reply"

    # One conversation in a mail client's eyes: every reply names the customer's first
    # message, and each follows the one before it.
    for message in (ack, thanks, update):
        assert first_id in message.parsed["References"]
        assert reference in message.parsed["Subject"]
        assert list(message.rcpt_tos) == [CUSTOMER]
    assert update.parsed["In-Reply-To"] == thanks.parsed["Message-ID"]
    shown = product.run("cases", "show", reference).stdout
    assert "Product:      F-20931" in shown
    assert "details_updated" in shown


PROVEN = (
    "mx.shop.example; spf=pass smtp.mailfrom=ana@customer.example;"
    " dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example"
)
FAILED = (
    "mx.shop.example; spf=fail smtp.mailfrom=attacker@evil.example; dkim=none;"
    " dmarc=fail (p=reject) header.from=customer.example"
)


@pytest.fixture
def behind_mail_server(product: Product) -> Iterator[tuple[Product, SmtpSink, int]]:
    with serving_mail(
        product,
        COMPLAINTBOT_EMAIL_SENDER_CHECKS="forwarded",
        COMPLAINTBOT_EMAIL_AUTHSERV_ID="mx.shop.example",
    ) as running:
        yield running


def hand_on(port: int, raw: bytes, envelope: str) -> None:
    """The operator's mail server handing a checked message on (from this machine)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail(envelope, [COMPLAINTS], raw)


def test_behind_a_mail_server_a_forged_reply_cannot_withdraw_a_complaint(
    behind_mail_server: tuple[Product, SmtpSink, int],
) -> None:
    product, relay, port = behind_mail_server
    first = mail(
        "My new fridge stopped cooling after two days. Order F-20931. I want a replacement.",
        subject="Broken fridge",
        to=COMPLAINTS,
        headers={"Authentication-Results": PROVEN},
    )
    hand_on(port, first, CUSTOMER)
    ack = relay.wait_for(1, timeout=15)[0]
    match = re.search(r"\[(CB-[0-9A-Z]{4}-[0-9A-Z]{4})\]", ack.parsed["Subject"])
    assert match, ack.parsed["Subject"]
    reference = match.group(1)

    # The server's verdict on top; below it, a passing one the forger wrote under its name.
    forged = f"Authentication-Results: {FAILED}\n".encode() + mail(
        "withdraw",
        subject=f"Re: {ack.parsed['Subject']}",
        to=COMPLAINTS,
        reply_to=ack,
        headers={"Authentication-Results": PROVEN},
    )
    hand_on(port, forged, "attacker@evil.example")

    shown = product.run("cases", "show", reference).stdout
    assert "withdrawn" not in shown.split("\n", 1)[0], shown
    assert "unverified_message: sender not verified: spf=fail dkim=none dmarc=fail" in shown
    assert "sender-unverified" in shown
    # Only the acknowledgement went out: no answer to the customer the forged From names.
    assert shown.count("customer via email") == 1, shown
