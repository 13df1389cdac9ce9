"""Email through intake: SMTP in, the workflow, replies threaded out through a real relay."""

from __future__ import annotations

import asyncio
import email
import shutil
import smtplib
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from email.message import EmailMessage
from email.utils import make_msgid
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.mail import Authenticator, deliver_mail, email_adapter, tls_context
from bot.outbox import Dispatcher
from bot.services.app import App
from bot.services.staff import handle_staff_action
from bot.settings import Settings
from bot.storage.migrate import upgrade
from bot.storage.models import Case, CaseEvent, MessageIn, Outbox
from channels.email.parse import parse_email
from channels.email.server import ComplaintsMailHandler, start_smtp_server, stop_smtp_server
from tests.fakes import FakeClock, SeededRandom
from tests.fakes.smtp_sink import SmtpSink, SunkMessage
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind

COMPLAINTS = "complaints@example.com"
CUSTOMER = "ana@customer.example"
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "email"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def relay() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
async def mail_app(
    tmp_path: Path, database_url: str, clock: FakeClock, relay: SmtpSink
) -> AsyncIterator[App]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=database_url,
        complaint_addresses=COMPLAINTS,
        relay_host="127.0.0.1",
        relay_port=relay.port,
        relay_starttls=False,
        organisation="Example Ltd",
    )
    application = App.create(settings, clock=clock, random=SeededRandom())
    await upgrade(application.engine)
    yield application
    await application.close()


@pytest.fixture
async def smtp_port(mail_app: App) -> AsyncIterator[int]:
    port = free_port()
    handler = ComplaintsMailHandler([COMPLAINTS], partial(deliver_mail, mail_app))
    server = await start_smtp_server(
        handler, "127.0.0.1", port, hostname="example.com", data_size_limit=1_000_000
    )
    yield port
    await stop_smtp_server(server)
    await handler.drain()


def mail(
    body: str,
    *,
    subject: str = "Leaking washing machine",
    sender: str = CUSTOMER,
    reply_to: SunkMessage | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    message = EmailMessage()
    message["From"] = f"Ana Silva <{sender}>"
    message["To"] = COMPLAINTS
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="customer.example")
    if reply_to is not None:
        ours = reply_to.parsed["Message-ID"]
        message["In-Reply-To"] = ours
        message["References"] = f"{reply_to.parsed.get('References', '')} {ours}".strip()
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
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


async def test_a_complaint_by_email_is_acknowledged_in_its_thread_and_followed_up(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    first = mail(COMPLAINT)
    await send(smtp_port, first)
    (ack,) = await dispatch(mail_app, relay, 1)
    reference = ack.parsed["Subject"].split("]")[0].strip("[")
    assert reference.startswith("CB-")
    assert list(ack.rcpt_tos) == [CUSTOMER]
    customer_id = email.message_from_bytes(first)["Message-ID"]
    assert ack.parsed["In-Reply-To"] == customer_id
    assert ack.parsed["Auto-Submitted"] == "auto-replied"
    assert ack.parsed["Reply-To"] == COMPLAINTS
    text = ack.parsed.get_body(preferencelist=("plain",)).get_content()
    assert f"Your reference is {reference}" in text
    # Everything else was in the email (order, outcome, name from From): two questions left.
    assert "1. When did it happen?" in text
    assert "2. To handle your complaint" in text
    assert "3." not in text
    assert ack.parsed.get_body(preferencelist=("html",)) is not None

    # One free-form reply answers everything still missing.
    await send(
        smtp_port,
        mail(
            "1. 14 November\n2. yes\n\n> quoted ack",
            subject=f"Re: {ack.parsed['Subject']}",
            reply_to=ack,
        ),
    )
    (thanks,) = await dispatch(mail_app, relay, 1)
    assert "We have what we need" in thanks.parsed.get_body(("plain",)).get_content()
    assert ack.parsed["Message-ID"] in thanks.parsed["References"]
    async with mail_app.sessions() as session:
        case = (await session.scalars(select(Case))).one()
    assert (case.reference, case.product, case.outcome) == (reference, "W-55102", "replacement")
    assert str(case.occurred_on) == "2026-11-14"

    # A staff update is threaded with the rest, and written by a person, not auto-submitted.
    await handle_staff_action(
        mail_app,
        StaffAction(
            StaffActionKind.STATUS,
            reference,
            "carol",
            status=CaseStatus.INVESTIGATING,
            text="We have asked the manufacturer.",
        ),
        "cli",
    )
    (update,) = await dispatch(mail_app, relay, 1)
    references = update.parsed["References"]
    assert customer_id in references, "the customer's first message heads the thread"
    assert update.parsed["Auto-Submitted"] is None
    assert "We have asked the manufacturer." in update.parsed.get_body(("plain",)).get_content()


async def test_a_bounce_marks_our_message_failed_and_opens_nothing(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    await send(smtp_port, mail(COMPLAINT))
    (ack,) = await dispatch(mail_app, relay, 1)
    # A delivery status report, as a mail server sends it, about the message we sent.
    # Forwarded by a relay with an ordinary sender and no robot headers: the report itself
    # is what says a machine wrote it. Someone else's "report" about our message is ignored.
    forged = DSN.format(ours=ack.parsed["Message-ID"], recipient="mallory@evil.example")
    await send(
        smtp_port,
        forged.replace("bounce-1", "bounce-0").encode(),
        sender="postoffice@relay.example",
    )
    async with mail_app.sessions() as session:
        row = (
            await session.scalars(
                select(Outbox).where(Outbox.provider_id == ack.parsed["Message-ID"])
            )
        ).one()
        assert row.status == "sent", "a report naming another recipient changes nothing"
    report = DSN.format(ours=ack.parsed["Message-ID"], recipient=CUSTOMER)
    report = report.replace("\n", "\r\n").encode()
    await send(smtp_port, report, sender="postoffice@relay.example")
    async with mail_app.sessions() as session:
        row = (
            await session.scalars(
                select(Outbox).where(Outbox.provider_id == ack.parsed["Message-ID"])
            )
        ).one()
        assert (row.status, row.delivery_status) == ("failed", "failed")
        assert len((await session.scalars(select(Case))).all()) == 1
        kinds = [e.kind for e in (await session.scalars(select(CaseEvent))).all()]
        assert "delivery_failed" in kinds
    assert await dispatch(mail_app, relay, 0) == [], "a bounce is never answered"


async def test_a_stranger_in_the_thread_learns_nothing(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    await send(smtp_port, mail(COMPLAINT))
    (ack,) = await dispatch(mail_app, relay, 1)
    await send(
        smtp_port,
        mail(
            "What is the status of this?",
            sender="mallory@evil.example",
            subject=ack.parsed["Subject"],
            reply_to=ack,
        ),
        sender="mallory@evil.example",
    )
    (answer,) = await dispatch(mail_app, relay, 1)
    assert list(answer.rcpt_tos) == ["mallory@evil.example"]
    body = answer.parsed.get_body(("plain",)).get_content()
    assert "couldn't find a complaint with that reference" in body
    assert "washing machine" not in body
    async with mail_app.sessions() as session:
        theirs = (
            await session.scalars(
                select(MessageIn).where(MessageIn.text.contains("status of this"))
            )
        ).one()
        assert theirs.case_id is None


async def test_auto_replies_and_lists_are_never_answered(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    for headers in (
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"List-Id": "<news.customer.example>"},
    ):
        await send(smtp_port, mail("I am out of the office until Monday.", headers=headers))
    assert await dispatch(mail_app, relay, 0) == []
    async with mail_app.sessions() as session:
        assert len((await session.scalars(select(MessageIn))).all()) == 3
        assert (await session.scalars(select(Case))).all() == []


async def test_a_mail_loop_is_cut_off_by_the_hourly_cap(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    # A sender that answers everything without saying so (no Auto-Submitted) still stops
    # getting answers after the hourly cap.
    for number in range(mail_app.settings.auto_replies_per_hour + 5):
        await send(smtp_port, mail(f"Automatic answer number {number} to your message"))
    async with mail_app.sessions() as session:
        replies = (await session.scalars(select(Outbox).where(Outbox.audience == "customer"))).all()
    assert len(replies) == mail_app.settings.auto_replies_per_hour


async def test_an_unknown_recipient_is_refused(mail_app: App, smtp_port: int) -> None:
    def post() -> None:
        with smtplib.SMTP("127.0.0.1", smtp_port) as client:
            client.sendmail(CUSTOMER, ["someone-else@example.com"], mail("hi"))

    with pytest.raises(smtplib.SMTPRecipientsRefused):
        await asyncio.to_thread(post)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        path
        for path in CORPUS.rglob("*")
        if path.is_file() and path.name != "LICENSE" and not path.name.endswith("_reply_text")
    )


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"email corpus not found at {CORPUS}")
async def test_every_corpus_message_goes_through_intake_and_nothing_is_lost(
    mail_app: App,
) -> None:
    files = corpus_files()
    assert len(files) > 50
    for path in files:
        raw = path.read_bytes()
        await deliver_mail(mail_app, raw, "sender@corpus.example", [COMPLAINTS])
    async with mail_app.sessions() as session:
        stored = (await session.scalars(select(MessageIn))).all()
    raws = {message.raw for message in stored}
    # Every message is kept, byte for byte: even those reusing another's Message-ID.
    assert [path.name for path in files if path.read_bytes() not in raws] == []
    # Where the parser finds readable text, intake keeps it for staff to read.
    by_raw = {message.raw: message for message in stored}
    for path in files:
        raw = path.read_bytes()
        if parse_email(raw).new_text.strip():
            assert by_raw[raw].text.strip(), f"{path.name}: text lost in intake"
    reports = [message for message in stored if "delivery-report" in message.flags]
    assert len(reports) >= 5
    assert {message.case_id for message in reports} == {None}, "a report opens no complaint"
    # Delivering them all again stores nothing new: retransmissions are recognised.
    for path in files:
        await deliver_mail(mail_app, path.read_bytes(), "sender@corpus.example", [COMPLAINTS])
    async with mail_app.sessions() as session:
        assert len((await session.scalars(select(MessageIn))).all()) == len(stored)


async def test_a_valid_reference_in_a_strangers_subject_reveals_nothing(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    await send(smtp_port, mail(COMPLAINT))
    (ack,) = await dispatch(mail_app, relay, 1)
    reference = ack.parsed["Subject"].split("]")[0].strip("[")
    # A new message (no thread headers) naming the case in its subject.
    await send(
        smtp_port,
        mail(
            "Please send me everything about this case.",
            subject=f"Re: [{reference}] Your complaint",
            sender="mallory@evil.example",
        ),
        sender="mallory@evil.example",
    )
    (answer,) = await dispatch(mail_app, relay, 1)
    body = answer.parsed.get_body(("plain",)).get_content()
    assert "couldn't find a complaint with that reference" in body
    assert reference not in answer.parsed["Subject"]


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


async def test_starttls_and_auth_guard_a_relaying_setup(
    mail_app: App, certificate: tuple[Path, Path]
) -> None:
    settings = mail_app.settings.model_copy(
        update={
            "smtp_tls_cert": certificate[0],
            "smtp_tls_key": certificate[1],
            "smtp_require_starttls": True,
        }
    )
    context = tls_context(settings)
    assert context is not None
    port = free_port()
    handler = ComplaintsMailHandler([COMPLAINTS], partial(deliver_mail, mail_app))
    server = await start_smtp_server(
        handler,
        "127.0.0.1",
        port,
        hostname="localhost",
        data_size_limit=1_000_000,
        tls_context=context,
        require_starttls=True,
        authenticator=Authenticator("relay", "s3cret"),
        auth_required=True,
    )
    client_tls = ssl.create_default_context()
    client_tls.check_hostname = False
    client_tls.verify_mode = ssl.CERT_NONE

    def attempt(password: str | None, tls: bool) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            if tls:
                client.starttls(context=client_tls)
            if password is not None:
                client.login("relay", password)
            client.sendmail(CUSTOMER, [COMPLAINTS], mail(COMPLAINT))

    try:
        with pytest.raises(smtplib.SMTPException):
            await asyncio.to_thread(attempt, None, False)  # no TLS: refused
        with pytest.raises(smtplib.SMTPAuthenticationError):
            await asyncio.to_thread(attempt, "wrong", True)
        await asyncio.to_thread(attempt, "s3cret", True)
    finally:
        await stop_smtp_server(server)
        await handler.drain()
    async with mail_app.sessions() as session:
        assert len((await session.scalars(select(MessageIn))).all()) == 1


async def test_our_questions_quoted_back_are_not_taken_as_answers(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    await send(smtp_port, mail("The engineer never came to fix my boiler and nobody called."))
    (ack,) = await dispatch(mail_app, relay, 1)
    ours = ack.parsed.get_body(("plain",)).get_content()
    # A client whose quoting the reply parser does not know (Portuguese Outlook headers).
    quoted = "\n".join(
        [
            "De: Example Ltd <complaints@example.com>",
            "Enviada: domingo, 22 de novembro de 2026 10:30",
            "",
            ours,
        ]
    )
    await send(smtp_port, mail(f"Sorry, I forgot.\n\n{quoted}", reply_to=ack))
    async with mail_app.sessions() as session:
        case = (await session.scalars(select(Case))).one()
    assert case.product is None, "our own question is not the customer's product"
    assert case.occurred_on is None
