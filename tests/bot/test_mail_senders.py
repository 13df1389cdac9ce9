"""Email as the MX, through the real SMTP server: a forged From cannot act on a complaint."""

from __future__ import annotations

import asyncio
import itertools
import os
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.mail import SENDER_CHECK_THREADS, SENDER_UNVERIFIED, deliver_mail
from bot.services.app import App
from bot.storage.models import Case, CaseEvent, Identity, MessageIn, Outbox
from channels.email.server import SmtpPeer
from fakes import FakeClock
from fakes.mail_auth import FakeDns, publish_domain, signed
from fakes.smtp_sink import SmtpSink
from tests.bot.conftest import mail_settings, smtp_for
from tests.bot.mailing import CUSTOMER, dispatch, mail, send
from tests.support.apps import migrated_app
from workflows.lifecycle import CaseStatus

FIRST = "My washing machine, order 5521, leaks since Monday. I would like a repair."


@pytest.fixture
async def mx_app(
    tmp_path: Path, database_url: str, clock: FakeClock, relay: SmtpSink
) -> AsyncIterator[App]:
    settings = mail_settings(
        tmp_path,
        database_url,
        relay,
        email_sender_checks="mx",
        email_trusted_networks="",  # every sender is checked, even on this machine
    )
    async with migrated_app(settings, clock) as application:
        dns = FakeDns()
        # The customer's domain signs its mail, and lists the one server it sends from (this
        # machine, where the test's mail client runs); its DMARC policy is reject.
        publish_domain(dns, "customer.example", spf="v=spf1 ip4:127.0.0.1 -all")
        application.resolver = dns
        yield application


@pytest.fixture
async def mx_port(mx_app: App) -> AsyncIterator[int]:
    async with smtp_for(mx_app) as port:
        yield port


async def case_of(app: App) -> Case:
    async with app.sessions() as session:
        return (await session.scalars(select(Case))).one()


async def test_a_forged_reply_cannot_withdraw_a_complaint_and_gets_no_answer(
    mx_app: App, mx_port: int, relay: SmtpSink
) -> None:
    await send(mx_port, signed(mail(FIRST, subject="Leaking machine"), "customer.example"))
    [ack] = await dispatch(mx_app, relay, 1)
    reference = (await case_of(mx_app)).reference
    assert reference in ack.parsed["Subject"]

    # Someone who knows the address writes in the thread, from their own server, unsigned.
    forged = mail(
        "withdraw\n\nI no longer need this.", subject=f"Re: {ack.parsed['Subject']}", reply_to=ack
    )
    await send(mx_port, forged, sender="attacker@evil.example")

    case = await case_of(mx_app)
    assert case.status is not CaseStatus.WITHDRAWN
    async with mx_app.sessions() as session:
        to_customer = select(Outbox).where(Outbox.audience == "customer")
        assert len((await session.scalars(to_customer)).all()) == 1  # the acknowledgement

        stored = (await session.scalars(select(MessageIn).order_by(MessageIn.id))).all()
        kinds = (await session.scalars(select(CaseEvent.kind))).all()
    assert stored[0].sender_auth is not None
    assert stored[0].sender_auth["authenticated"] is True
    assert stored[0].sender_auth["aligned"] == "dkim:customer.example"
    forged_row = stored[1]
    assert forged_row.case_id == case.id  # kept on the case, for staff to read
    assert SENDER_UNVERIFIED in forged_row.flags
    assert forged_row.sender_auth is not None
    assert forged_row.sender_auth["dmarc"] == "fail"
    assert "unverified_message" in kinds

    # The customer herself can still withdraw it: asked to confirm, by her own signed mail.
    real = mail("withdraw", subject=f"Re: {ack.parsed['Subject']}", reply_to=ack)
    await send(mx_port, signed(real, "customer.example"))
    [asked] = await dispatch(mx_app, relay, 1)
    assert list(asked.rcpt_tos) == [CUSTOMER]
    assert "withdraw" in str(asked.parsed.get_body(preferencelist=("plain",)).get_content())


async def test_a_new_complaint_from_an_unproven_sender_is_registered_and_marked(
    mx_app: App, mx_port: int, relay: SmtpSink
) -> None:
    # small.example publishes neither SPF, DKIM nor DMARC: nothing proves or disproves it.
    raw = mail(FIRST, sender="ann@small.example")
    await send(mx_port, raw, sender="ann@small.example")
    [ack] = await dispatch(mx_app, relay, 1)
    case = await case_of(mx_app)
    assert case.reference in ack.parsed["Subject"]
    async with mx_app.sessions() as session:
        kinds = (await session.scalars(select(CaseEvent.kind))).all()
    assert "sender_unverified" in kinds


async def test_a_forged_new_complaint_the_domain_rejects_waits_unanswered_in_the_inbox(
    mx_app: App, mx_port: int, relay: SmtpSink
) -> None:
    await send(mx_port, mail(FIRST), sender="attacker@evil.example")
    async with mx_app.sessions() as session:
        assert (await session.scalars(select(Outbox))).all() == []  # not even to staff
        assert (await session.scalars(select(Case))).all() == []
        [stored] = (await session.scalars(select(MessageIn))).all()
    assert stored.case_id is None  # `cases inbox` lists it
    assert SENDER_UNVERIFIED in stored.flags


PASSING_VERDICT = (
    "mx.example.com; spf=pass smtp.mailfrom=ana@customer.example;"
    " dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example"
)


@pytest.mark.parametrize(("trusted", "verified"), [("127.0.0.0/8", True), ("", False)])
async def test_behind_a_mail_server_its_verdict_counts_only_on_mail_it_handed_over(
    tmp_path: Path,
    database_url: str,
    clock: FakeClock,
    relay: SmtpSink,
    trusted: str,
    verified: bool,
) -> None:
    settings = mail_settings(
        tmp_path,
        database_url,
        relay,
        email_sender_checks="forwarded",
        email_authserv_id="mx.example.com",
        email_trusted_networks=trusted,
    )
    # The server checked the customer's signature (still on the message) and wrote its verdict.
    signed_mail = signed(mail(FIRST), "customer.example")
    raw = f"Authentication-Results: {PASSING_VERDICT}\r\n".encode() + signed_mail
    async with migrated_app(settings, clock) as app:
        async with smtp_for(app) as port:
            await send(port, raw)
        async with app.sessions() as session:
            [stored] = (await session.scalars(select(MessageIn))).all()
    assert stored.sender_auth is not None
    # From anywhere else the header could have been written by anyone: it proves nothing.
    assert stored.sender_auth["authenticated"] is verified
    assert (SENDER_UNVERIFIED in stored.flags) is not verified


async def test_a_from_the_parser_and_the_checks_read_differently_proves_nothing(
    mx_app: App, mx_port: int, relay: SmtpSink
) -> None:
    # The checks see evil.example (which could sign), the identity falls back to ana's envelope.
    raw = signed(mail(FIRST, sender='"x y"@customer.example'), "customer.example")
    raw = raw.replace(b'"x y"@customer.example', b'"x y"@evil.example')
    await send(mx_port, raw, sender=CUSTOMER)
    async with mx_app.sessions() as session:
        [stored] = (await session.scalars(select(MessageIn))).all()
    assert SENDER_UNVERIFIED in stored.flags


class StalledDns(FakeDns):
    """A sender's DNS that answers only when let go (as slow as a hostile one can be)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, stalled_enough: int) -> None:
        super().__init__()
        self.let_go = threading.Event()
        self.stalled = asyncio.Event()
        self._loop = loop
        self._count = itertools.count(1)
        self._enough = stalled_enough

    def lookup(self, name: str, qtype: str) -> list[str]:
        if next(self._count) == self._enough:
            self._loop.call_soon_threadsafe(self.stalled.set)
        self.let_go.wait(timeout=30)
        return super().lookup(name, qtype)


async def test_senders_with_stalled_dns_do_not_hold_up_other_mail(mx_app: App) -> None:
    shared_threads = min(32, (os.cpu_count() or 1) + 4)  # asyncio's, for all blocking work
    dns = StalledDns(asyncio.get_running_loop(), min(shared_threads, SENDER_CHECK_THREADS))
    mx_app.resolver = dns
    stranger = SmtpPeer("198.51.100.7", "mail.evil.example")
    senders = [f"x{n}@evil.example" for n in range(shared_threads + 2)]
    stalled = [
        asyncio.create_task(deliver_mail(mx_app, mail(FIRST, sender=s), s, [], stranger))
        for s in senders
    ]
    try:
        await asyncio.wait_for(dns.stalled.wait(), 10)
        # Mail from the operator's own logged-in relay still goes straight through.
        relay_peer = SmtpPeer("192.0.2.1", "relay.shop.example", logged_in=True)
        await asyncio.wait_for(deliver_mail(mx_app, mail(FIRST), CUSTOMER, [], relay_peer), 20)
        async with mx_app.sessions() as session:
            assert len((await session.scalars(select(Case))).all()) == 1
    finally:
        dns.let_go.set()
        await asyncio.gather(*stalled)


async def test_checks_that_run_out_of_time_prove_nothing(
    mx_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.mail.SENDER_CHECK_SECONDS", 0.2)
    dns = StalledDns(asyncio.get_running_loop(), 1)
    mx_app.resolver = dns
    stranger = SmtpPeer("198.51.100.7", "mail.customer.example")
    try:
        raw = signed(mail(FIRST), "customer.example")
        await asyncio.wait_for(deliver_mail(mx_app, raw, CUSTOMER, [], stranger), 10)
    finally:
        dns.let_go.set()
    async with mx_app.sessions() as session:
        [stored] = (await session.scalars(select(MessageIn))).all()
    assert stored.sender_auth is not None
    assert (stored.sender_auth["spf"], stored.sender_auth["dkim"]) == ("temperror", "temperror")
    assert stored.sender_auth["authenticated"] is False
    assert SENDER_UNVERIFIED in stored.flags


async def test_a_copy_of_the_customers_own_signed_mail_re_sent_changes_nothing(
    mx_app: App, mx_port: int, relay: SmtpSink
) -> None:
    genuine = signed(mail(FIRST), "customer.example")
    await send(mx_port, genuine)
    await dispatch(mx_app, relay, 1)
    # Someone who got a copy re-sends it from their own server, one header added on top.
    await send(mx_port, b"Received: from x by y; Fri, 20 Mar 2026 10:00:00 +0000\r\n" + genuine)
    async with mx_app.sessions() as session:
        first, copy = (await session.scalars(select(MessageIn).order_by(MessageIn.id))).all()
        assert len((await session.scalars(select(Case))).all()) == 1
        to_customer = select(Outbox).where(Outbox.audience == "customer")
        assert len((await session.scalars(to_customer)).all()) == 1  # the acknowledgement only
    assert first.sender_auth is not None
    assert first.sender_auth["authenticated"] is True
    assert copy.sender_auth is not None
    assert copy.sender_auth["dkim"] == "policy"
    assert SENDER_UNVERIFIED in copy.flags


async def test_forged_mail_gets_one_answer_a_day_and_leaves_the_customers_replies_alone(
    mx_app: App, mx_port: int, relay: SmtpSink
) -> None:
    assert mx_app.resolver is not None
    # A domain that asks for nothing to be refused (p=none): unproven senders are answered.
    publish_domain(
        mx_app.resolver, "open.example", spf="v=spf1 ip4:127.0.0.1 -all", dmarc="v=DMARC1; p=none"
    )  # type: ignore[arg-type]
    customer = "ann@open.example"
    await send(mx_port, signed(mail(FIRST, sender=customer), "open.example"), sender=customer)
    [ack] = await dispatch(mx_app, relay, 1)
    for number in range(12):
        forged = mail(f"status {number}", sender=customer, subject=f"Re: {ack.parsed['Subject']}")
        await send(mx_port, forged, sender="attacker@evil.example")
    answers = await dispatch(mx_app, relay, 1)  # one answer to all twelve
    assert len(answers) == 1
    own = signed(mail("status", sender=customer, reply_to=ack), "open.example")
    await send(mx_port, own, sender=customer)
    [status] = await dispatch(mx_app, relay, 1)  # the customer's own request is answered
    assert list(status.rcpt_tos) == [customer]


async def test_unproven_mail_does_not_change_the_customers_language_or_name(
    mx_app: App, mx_port: int, relay: SmtpSink
) -> None:
    await send(mx_port, signed(mail(FIRST), "customer.example"))
    await dispatch(mx_app, relay, 1)
    forged = mail("en français s'il vous plaît", subject="Re: ma plainte").replace(
        b"From: Ana Silva", b"From: Mallory Impostor"
    )
    await send(mx_port, forged, sender="attacker@evil.example")
    async with mx_app.sessions() as session:
        [identity] = (await session.scalars(select(Identity))).all()
    assert identity.language == "en"
    assert identity.display_name == "Ana Silva"
