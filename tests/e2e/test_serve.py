"""`complaintbot serve` as a real process: health, staff feed, clean shutdown."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pexpect
import pytest

from tests.e2e.conftest import Product, answer, free_port

pytestmark = pytest.mark.e2e


def wait_for(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_serve_answers_health_routes_staff_feed_and_stops_cleanly(product: Product) -> None:
    port = free_port()
    with product.serve(COMPLAINTBOT_HTTP_PORT=str(port)) as server:
        assert "complaintbot is running." in str(server.before)
        banner = str(server.before)
        assert f"http://127.0.0.1:{port}" in banner
        channel_lines = [
            line.strip()
            for line in banner.splitlines()
            if line.strip().split(" ")[0]
            in ("console", "staff-feed", "email", "sms", "telegram", "slack")
        ]
        assert [line.split()[0:2] for line in channel_lines] == [
            ["console", "live:"],
            ["staff-feed", "live:"],
            ["email", "live:"],
            ["sms", "off:"],
            ["slack", "off:"],
            ["telegram", "off:"],
        ], banner
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
        ready = httpx.get(f"{base}/readyz")
        assert ready.status_code == 200
        assert ready.json()["database"] == "sqlite"

        chat = product.chat("alice")
        answer(chat, "The heater caught fire in my living room, order #H-1001, yesterday")
        for line in ("refund", "alice@example.com", "yes", "yes"):
            answer(chat, line)
        chat.sendeof()
        feed = product.folder / "data" / "staff-feed" / "complaints-urgent.log"
        wait_for(feed.exists)
        text = feed.read_text()
        assert "[CRITICAL] New complaint CB-" in text
        assert "caught fire" in text

        server.kill(signal.SIGTERM)
        server.expect_exact("Stopping")
        server.expect(pexpect.EOF)
        server.close()
        assert server.exitstatus == 0


def test_a_port_in_use_is_reported_not_hidden(product: Product) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        product.env["COMPLAINTBOT_HTTP_PORT"] = str(busy.getsockname()[1])
        result = product.run("serve", check=False)
    assert result.returncode == 2
    assert "cannot listen on 127.0.0.1" in result.stderr
    assert "already in use" in result.stderr.lower()
    assert "Traceback" not in result.stderr


def test_bad_configuration_is_a_clear_message(product: Product, tmp_path: Path) -> None:
    product.env["COMPLAINTBOT_ROUTING_FILE"] = str(tmp_path / "missing.toml")
    # Serving reads every file at its start (a staff command reads them when it needs them).
    result = product.run("serve", check=False)
    assert result.returncode == 2
    assert "missing.toml does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_with_the_embedded_defaults_an_emailed_complaint_is_answered_into_the_drop_folder(
    product: Product,
) -> None:
    import smtplib

    with product.serve():
        port = int(product.env["COMPLAINTBOT_SMTP_PORT"])
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            client.sendmail(
                "ana@example.org",
                ["complaints@localhost"],
                b"From: ana@example.org\r\nTo: complaints@localhost\r\n"
                b"Subject: Broken fridge\r\n\r\nMy fridge stopped cooling after two "
                b"days, order F-20931. I would like a replacement.\r\n",
            )
        drop = product.folder / "data" / "mail-out"
        wait_for(lambda: drop.is_dir() and any(drop.glob("*.eml")))
        (reply,) = drop.glob("*.eml")
        text = reply.read_text()
        assert "To: ana@example.org" in text
        assert "Subject: [CB-" in text


def test_the_banners_commands_work_as_printed_in_a_fresh_terminal(product: Product) -> None:
    venv_bin = str(Path(sys.executable).parent)
    # A fresh terminal: the virtual environment is not on its PATH.
    bare = {
        **product.env,
        "PATH": os.pathsep.join(
            part for part in product.env.get("PATH", "").split(os.pathsep) if part != venv_bin
        ),
    }
    product.env["PATH"] = bare["PATH"]
    with product.serve() as server:
        banner = str(server.before)
    [hint] = [line for line in banner.splitlines() if "chat --as alice" in line]
    command = hint.split()[0]
    ran = subprocess.run(
        [command, "cases", "list"], cwd=product.folder, env=bare, capture_output=True, text=True
    )
    assert ran.returncode == 0, (hint, ran.stderr)
