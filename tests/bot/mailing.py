"""Email for the shell's tests: a customer's mail client, the relay, what we sent."""

from __future__ import annotations

import asyncio
import smtplib
import socket
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from bot.mail import email_adapter
from bot.outbox import Dispatcher
from bot.services.app import App
from fakes.smtp_sink import SmtpSink, SunkMessage

COMPLAINTS = "complaints@example.com"
CUSTOMER = "ana@customer.example"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "email"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mail(
    body: str,
    *,
    subject: str = "Leaking washing machine",
    sender: str = CUSTOMER,
    to: str = COMPLAINTS,
    reply_to: SunkMessage | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    """An email as a customer's mail client writes it (a reply when ``reply_to`` is given)."""
    message = EmailMessage()
    message["From"] = f"Ana Silva <{sender}>"
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="customer.example")
    if reply_to is not None:
        ours = reply_to.parsed["Message-ID"]
        message["In-Reply-To"] = ours
        message["References"] = f"{reply_to.parsed.get('References', '')} {ours}".strip()
    message.set_content(body)
    # After set_content, which drops any Content-* header (Content-Language) set before it.
    for name, value in (headers or {}).items():
        message[name] = value
    return bytes(message)


async def send(port: int, raw: bytes, sender: str = CUSTOMER) -> None:
    def post() -> None:
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.sendmail(sender, [COMPLAINTS], raw)

    await asyncio.to_thread(post)


async def dispatch(app: App, relay: SmtpSink, expect: int) -> list[SunkMessage]:
    adapter = email_adapter(app.settings)
    before = len(relay.messages)
    await Dispatcher(app, {"email": adapter}).run_once()
    return relay.wait_for(before + expect)[before:]


DSN = """From: postoffice@relay.example
To: complaints@example.com
Subject: Undelivered Mail Returned to Sender
Message-ID: <bounce-1@mx.customer.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

This is the mail system. Your message could not be delivered.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.customer.example

Final-Recipient: rfc822; {recipient}
Action: failed
Status: 5.1.1

--B
Content-Type: text/rfc822-headers

Message-ID: {ours}
Subject: Your complaint

--B--
"""
COMPLAINT = (
    "Hello, the washing machine you delivered leaks all over the kitchen floor.\n"
    "Order W-55102. I would like a replacement please."
)
