"""Email that must not be trusted or answered: bounces, strangers, loops, unencrypted logins."""

from __future__ import annotations

import asyncio
import shutil
import smtplib
import ssl
import subprocess
from functools import partial
from hashlib import sha256
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.mail import Authenticator, deliver_mail, tls_context
from bot.services.app import App
from bot.storage.models import Case, CaseEvent, MessageIn, Outbox
from channels.email.compose import make_message_id
from channels.email.server import ComplaintsMailHandler, start_smtp_server, stop_smtp_server
from fakes.smtp_sink import SmtpSink
from tests.bot.mailing import (
    COMPLAINT,
    COMPLAINTS,
    CUSTOMER,
    DSN,
    dispatch,
    free_port,
    mail,
    send,
)


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


async def test_a_bounce_naming_a_message_id_worked_out_by_an_outsider_changes_nothing(
    mail_app: App, smtp_port: int, relay: SmtpSink
) -> None:
    await send(smtp_port, mail(COMPLAINT))
    (ack,) = await dispatch(mail_app, relay, 1)
    ours = select(Outbox).where(Outbox.provider_id == ack.parsed["Message-ID"])
    async with mail_app.sessions() as session:
        row = (await session.scalars(ours)).one()
    # All an outsider can know: our domain, the row number (they count), the address and
    # the text (a public template); the id used to be made from exactly these.
    domain = mail_app.settings.mail_domain_name
    seed = "|".join([domain, str(row.id), CUSTOMER, sha256(row.text.encode()).hexdigest()])
    guessed = make_message_id(domain, seed)
    assert guessed != ack.parsed["Message-ID"]
    report = DSN.format(ours=guessed, recipient=CUSTOMER).replace("\n", "\r\n").encode()
    await send(smtp_port, report, sender="postoffice@relay.example")
    async with mail_app.sessions() as session:
        row = (await session.scalars(ours)).one()
        assert (row.status, row.delivery_status) == ("sent", None)


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
