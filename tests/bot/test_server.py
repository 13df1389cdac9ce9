"""`serve` in-process: a channel whose provider is stuck holds up no other channel."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import socket
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from bot.server import serve
from bot.services import audit
from bot.settings import Settings
from fakes import FakeClock
from fakes.twilio_api import FakeTwilioApi, new_sid, sign
from tests.bot.conversation import register_complaint
from tests.support.apps import migrated_app
from tests.support.read_only import database_files, read_only


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def stuck_relay() -> AsyncIterator[int]:
    """A mail relay that takes the connection and never says a word."""
    held: list[asyncio.StreamWriter] = []

    async def hold(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        for writer in held:
            writer.close()
        server.close()
        await server.wait_closed()


def send_mail(port: int) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.sendmail(
            "ana@example.org",
            ["complaints@localhost"],
            b"From: Ana <ana@example.org>\r\nTo: complaints@localhost\r\nSubject: Fridge\r\n"
            b"Message-ID: <f1@example.org>\r\n\r\nMy fridge stopped cooling, order F-20931.\r\n",
        )


async def test_a_stuck_mail_relay_does_not_hold_up_sms_replies(
    tmp_path: Path, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The stuck send gives up after this; the text's reply must not wait for that.
    monkeypatch.setattr("bot.outbox.SEND_TIMEOUT", timedelta(seconds=8))
    http, smtp = free_port(), free_port()
    public = f"http://127.0.0.1:{http}"
    with FakeTwilioApi() as twilio:
        async with stuck_relay() as relay:
            settings = Settings(
                _env_file=None,  # type: ignore[call-arg]
                data_dir=tmp_path / "data",
                database_url=f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
                http_port=http,
                smtp_port=smtp,
                public_base_url=public,
                relay_host="127.0.0.1",
                relay_port=relay,
                relay_starttls=False,
                twilio_account_sid=twilio.account_sid,
                twilio_auth_token=twilio.auth_token,
                twilio_from_number="+447700900000",
                twilio_api_base_url=twilio.url,
                poll_interval_seconds=0.1,
            )
            stop = asyncio.Event()
            async with migrated_app(settings, clock) as app:
                running = asyncio.create_task(serve(app, lambda _: None, stop))
                try:
                    await _until_listening(http)
                    # The email's acknowledgement goes to the stuck relay first...
                    await asyncio.to_thread(send_mail, smtp)
                    await asyncio.sleep(0.5)
                    # ...and a text's reply still goes out at once.
                    params = {
                        "MessageSid": new_sid("SM"),
                        "From": "+447700900123",
                        "To": "+447700900000",
                        "Body": "my order 4471 never came",
                        "NumMedia": "0",
                    }
                    path = "/webhooks/twilio/sms"
                    signature = sign(public + path, params, twilio.auth_token)
                    async with httpx.AsyncClient(base_url=public) as client:
                        answer = await client.post(
                            path,
                            content=urlencode(params),
                            headers={
                                "X-Twilio-Signature": signature,
                                "Content-Type": "application/x-www-form-urlencoded",
                            },
                        )
                    assert answer.status_code == 200
                    sent = await asyncio.to_thread(twilio.wait_for_sent, 1, 4.0)
                    assert sent[0].to == "+447700900123"
                finally:
                    stop.set()
                    await running


async def _until_listening(port: int) -> None:
    for _ in range(200):
        with contextlib.suppress(OSError):
            _, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.close()
            return
        await asyncio.sleep(0.05)
    raise AssertionError("serve did not listen")


async def test_serve_on_a_read_only_database_says_so_and_keeps_running(
    tmp_path: Path, clock: FakeClock
) -> None:
    database = tmp_path / "serve.db"
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{database}",
        http_port=free_port(),
        smtp_port=free_port(),
    )
    said: list[str] = []
    stop = asyncio.Event()
    async with migrated_app(settings, clock) as app:
        await app.engine.dispose()
        with read_only(*database_files(database)):
            running = asyncio.create_task(serve(app, said.append, stop))
            await _until_listening(settings.http_port)
            async with httpx.AsyncClient() as client:
                health = await client.get(f"http://127.0.0.1:{settings.http_port}/healthz")
            stop.set()
            await running
    assert health.status_code == 200
    assert any("cannot be written" in line and "readonly" in line for line in said), said


async def test_serve_anchors_the_audit_trail_at_its_start(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=tmp_path / "data",
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'serve.db'}",
        http_port=free_port(),
        smtp_port=free_port(),
    )
    caplog.set_level(logging.INFO, logger="bot.services.audit")
    stop = asyncio.Event()
    async with migrated_app(settings, clock) as app:
        await register_complaint(app)
        clock.advance(minutes=10)  # settled: the anchor takes them
        running = asyncio.create_task(serve(app, lambda _: None, stop))
        await _until_listening(settings.http_port)
        for _ in range(100):
            if "audit anchor" in caplog.text:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await running
        checked = await audit.verify(app)
    assert "audit anchor 2:" in caplog.text  # the first marks where the chain began
    assert checked.intact
    assert checked.unanchored == 0
