"""EmailAdapter against a real SMTP sink and a drop folder: what arrives, and how failures read."""

from __future__ import annotations

import asyncio
import smtplib
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from channels.base import ChannelAdapter, DeliveryError, OutboundMessage
from channels.email.authentication import verify_as_mx
from channels.email.dkim_signing import DkimSigner
from channels.email.outbound import HUMAN_HEADER, EmailAdapter, SmtpRelay
from channels.email.parse import parse_email
from fakes.mail_auth import FakeDns, private_key_pem, publish_domain
from fakes.smtp_sink import SmtpSink

NOW = datetime(2026, 11, 22, 9, 30, 15, 123456, tzinfo=UTC)


def outbound(**changes: Any) -> OutboundMessage:
    fields: dict[str, Any] = {
        "channel": "email",
        "address": "alice@example.com",
        "text": "Your reference is CB-9RFK-R3DY.",
        "outbox_id": 7,
        "subject": "Your complaint CB-9RFK-R3DY",
        "thread_ids": ("<customer-1@example.com>",),
    }
    fields.update(changes)
    return OutboundMessage(**fields)


def adapter(**target: Any) -> EmailAdapter:
    return EmailAdapter(
        from_address="complaints@shop.example",
        from_name="Example Ltd Complaints",
        reply_to="complaints@shop.example",
        domain="shop.example",
        clock=lambda: NOW,
        **target,
    )


def relay_to(port: int, timeout: float = 5.0) -> EmailAdapter:
    return adapter(relay=SmtpRelay(host="127.0.0.1", port=port, starttls=False, timeout=timeout))


@pytest.fixture
async def sink() -> AsyncIterator[SmtpSink]:
    async with SmtpSink() as running:
        yield running


def test_the_adapter_is_a_channel_adapter_named_email(tmp_path: Path) -> None:
    email_adapter = adapter(drop_folder=tmp_path)
    assert isinstance(email_adapter, ChannelAdapter)
    assert email_adapter.name == "email"


async def test_a_message_reaches_the_relay_with_its_headers(sink: SmtpSink) -> None:
    result = await relay_to(sink.port).send(outbound())
    [sunk] = sink.messages
    assert sunk.mail_from == "complaints@shop.example"
    assert sunk.rcpt_tos == ("alice@example.com",)
    mail = sunk.parsed
    assert result.provider_id == mail["Message-ID"]
    assert str(result.provider_id).endswith("@shop.example>")
    assert mail["Subject"] == "Your complaint CB-9RFK-R3DY"
    assert mail["In-Reply-To"] == "<customer-1@example.com>"
    assert mail["Auto-Submitted"] == "auto-replied"
    assert mail["Date"].datetime == NOW.replace(microsecond=0)


async def test_a_message_marked_human_goes_out_without_auto_headers(sink: SmtpSink) -> None:
    await relay_to(sink.port).send(outbound(headers=(HUMAN_HEADER,)))
    mail = sink.messages[0].parsed
    assert mail["Auto-Submitted"] is None
    assert mail["X-Auto-Response-Suppress"] is None


async def test_a_non_ascii_address_is_sent_with_smtputf8(sink: SmtpSink) -> None:
    await relay_to(sink.port).send(outbound(address="jösé@exämple.com"))
    [sunk] = sink.messages
    assert sunk.rcpt_tos == ("jösé@exämple.com",)
    assert parse_email(sunk.raw).to == ("jösé@exämple.com",)


@pytest.mark.parametrize(("code", "stage"), [(451, "RCPT"), (421, "MAIL"), (451, "DATA")])
async def test_a_4xx_reply_is_a_transient_failure(sink: SmtpSink, code: int, stage: Any) -> None:
    sink.respond_next(code, stage=stage)
    with pytest.raises(DeliveryError) as failure:
        await relay_to(sink.port).send(outbound())
    assert failure.value.permanent is False
    assert str(code) in failure.value.reason
    assert sink.messages == []
    await relay_to(sink.port).send(outbound())
    assert len(sink.messages) == 1


@pytest.mark.parametrize(("code", "stage"), [(550, "RCPT"), (553, "RCPT"), (554, "DATA")])
async def test_a_5xx_refusal_is_a_permanent_failure(sink: SmtpSink, code: int, stage: Any) -> None:
    sink.respond_next(code, stage=stage)
    with pytest.raises(DeliveryError) as failure:
        await relay_to(sink.port).send(outbound())
    assert failure.value.permanent is True
    assert str(code) in failure.value.reason


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_closed_port_is_a_transient_failure() -> None:
    with pytest.raises(DeliveryError) as failure:
        await relay_to(_closed_port()).send(outbound())
    assert failure.value.permanent is False


async def test_a_relay_that_never_answers_times_out_transiently() -> None:
    hung: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hung.append(writer)

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        with pytest.raises(DeliveryError) as failure:
            await relay_to(port, timeout=0.3).send(outbound())
        assert failure.value.permanent is False
    finally:
        for writer in hung:
            writer.close()
        server.close()
        await server.wait_closed()


async def test_a_message_that_cannot_be_composed_fails_permanently(tmp_path: Path) -> None:
    with pytest.raises(DeliveryError) as failure:
        await adapter(drop_folder=tmp_path).send(outbound(subject=None))
    assert failure.value.permanent is True


async def test_the_drop_folder_gets_one_parseable_eml_file(tmp_path: Path) -> None:
    folder = tmp_path / "outgoing"
    result = await adapter(drop_folder=folder).send(outbound())
    [written] = list(folder.iterdir())
    assert written.name == "20261122T093015123456Z-7.eml"
    parsed = parse_email(written.read_bytes())
    assert parsed.message_id == result.provider_id
    assert parsed.subject == "Your complaint CB-9RFK-R3DY"
    assert parsed.to == ("alice@example.com",)
    assert parsed.text == "Your reference is CB-9RFK-R3DY."


async def test_a_row_dropped_again_after_a_crash_is_not_a_second_email(tmp_path: Path) -> None:
    folder = tmp_path / "outgoing"
    first = await adapter(drop_folder=folder).send(outbound())
    later = EmailAdapter(
        from_address="complaints@shop.example",
        from_name="Example Ltd Complaints",
        reply_to="complaints@shop.example",
        domain="shop.example",
        clock=lambda: NOW + timedelta(seconds=20),
        drop_folder=folder,
    )
    again = await later.send(outbound())
    assert again.provider_id == first.provider_id
    assert len(list(folder.glob("*.eml"))) == 1


async def test_a_drop_folder_that_cannot_be_written_is_a_transient_failure(tmp_path: Path) -> None:
    in_the_way = tmp_path / "file"
    in_the_way.write_text("not a folder")
    with pytest.raises(DeliveryError) as failure:
        await adapter(drop_folder=in_the_way / "outgoing").send(outbound())
    assert failure.value.permanent is False


def test_exactly_one_way_to_send_is_required(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="either"):
        adapter()
    with pytest.raises(ValueError, match="either"):
        adapter(relay=SmtpRelay(host="smtp.example"), drop_folder=tmp_path)


def test_the_relay_password_never_shows_in_a_repr() -> None:
    relay = SmtpRelay(host="smtp.example", username="bot", password="hunter2-secret")
    assert "hunter2-secret" not in repr(relay)
    assert "hunter2-secret" not in repr(adapter(relay=relay).__dict__)


def test_the_sink_serves_synchronous_callers_from_a_thread() -> None:
    sink = SmtpSink().start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: hi\r\n\r\nhello\r\n")
        [sunk] = sink.wait_for(1)
        assert sunk.rcpt_tos == ("b@example.com",)
        assert sunk.parsed["Subject"] == "hi"
        sink.respond_next(550)
        with (
            smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client,
            pytest.raises(smtplib.SMTPRecipientsRefused),
        ):
            client.sendmail("a@example.com", ["b@example.com"], b"Subject: no\r\n\r\nno\r\n")
    finally:
        sink.stop()


async def test_a_retried_message_keeps_its_message_id(tmp_path: Path) -> None:
    adapter = EmailAdapter(
        from_address="complaints@shop.example",
        from_name="Shop",
        reply_to="complaints@shop.example",
        domain="shop.example",
        drop_folder=tmp_path,
    )
    message = OutboundMessage("email", "ana@customer.example", "Hello", 7, subject="Hi")
    first = await adapter.send(message)
    again = await adapter.send(message)
    other = await adapter.send(
        OutboundMessage("email", "ana@customer.example", "Hello", 8, subject="Hi")
    )
    assert first.provider_id == again.provider_id
    assert first.provider_id != other.provider_id


async def test_signed_mail_passes_dkim_and_dmarc_where_it_arrives(sink: SmtpSink) -> None:
    signer = DkimSigner(domain="shop.example", selector="s1", private_key=private_key_pem())
    relay = SmtpRelay(host="127.0.0.1", port=sink.port, starttls=False)
    await adapter(relay=relay, signer=signer).send(outbound(text="Bonjour, réponse à venir"))
    [sunk] = sink.messages
    dns = FakeDns()
    publish_domain(dns, "shop.example", spf=None)
    # Checked as a receiving server would: no SPF to help, the signature alone must hold.
    result = verify_as_mx(
        sunk.raw, ip="198.51.100.7", helo="relay.example", mail_from="", resolver=dns
    )
    assert result.dkim == "pass"
    assert result.dmarc == "pass"
    assert result.aligned == "dkim:shop.example"


async def test_an_unsigned_adapter_adds_no_signature(sink: SmtpSink) -> None:
    await relay_to(sink.port).send(outbound())
    [sunk] = sink.messages
    assert b"DKIM-Signature" not in sunk.raw
