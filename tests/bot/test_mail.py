"""Email through intake: SMTP in, the workflow, replies threaded out through a real relay."""

from __future__ import annotations

import asyncio
import email
import smtplib
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.mail import deliver_mail
from bot.services.app import App
from bot.services.staff import handle_staff_action
from bot.storage.models import Case, MessageIn
from channels.email.parse import parse_email
from fakes.smtp_sink import SmtpSink
from tests.bot.mailing import (
    COMPLAINT,
    COMPLAINTS,
    CORPUS,
    CUSTOMER,
    dispatch,
    mail,
    send,
)
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind


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
