"""Telegram under `complaintbot serve`: webhook requests a second, and Bot API calls per complaint.

    .venv/bin/python -m benchmarks.telegram_webhook [--updates 400] [--connections 16]

Runs the real `serve` (SQLite, in a temporary folder) in webhook mode, the Bot API played by
the local fake. First a whole complaint by one customer (typing, two button presses, the
summary) counts the Bot API calls it costs; then ``--updates`` first messages from as many
chats are posted at once over ``--connections`` connections, timed from the first request to
the last answer. Prints numbers; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from benchmarks.slack_console import free_port, serving
from fakes.telegram_api import FakeTelegram, SentMessage

SECRET = "benchmark-telegram-secret-0123"  # noqa: S105 (the fake bot's)


def post(base: str, update: dict[str, Any]) -> None:
    """Deliver one update as Telegram would."""
    answer = httpx.post(
        f"{base}/webhooks/telegram",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        timeout=30,
    )
    answer.raise_for_status()


def converse(
    base: str, telegram: FakeTelegram, chat: int, update: dict[str, Any]
) -> list[SentMessage]:
    """Post an update; what the bot sent back once it has all arrived."""
    before = len(telegram.sent_to(chat))
    post(base, update)
    telegram.wait_for(chat, before + 1, timeout=30)
    time.sleep(1.5)  # one message a second per chat: a second reply may follow
    return telegram.sent_to(chat)[before:]


def one_complaint(base: str, telegram: FakeTelegram) -> Counter[str]:
    """A whole complaint from /start to its reference; the Bot API calls it made."""
    chat = 1
    before = telegram.calls
    for text in ("/start", "The charger melted and scorched the desk", "order 4411", "yesterday"):
        replies = converse(base, telegram, chat, telegram.message(chat, text))
    for _ in range(2):  # the outcome, then consent: pressed
        asking = next(m for m in replies if m.buttons())
        replies = converse(
            base, telegram, chat, telegram.press(chat, asking, asking.buttons()[0][1])
        )
    done = converse(base, telegram, chat, telegram.message(chat, "yes"))
    assert any("reference" in m.text for m in done), [m.text for m in done]
    return telegram.calls - before


async def burst(base: str, telegram: FakeTelegram, count: int, connections: int) -> list[float]:
    """``count`` first messages from as many chats; each request's time in seconds."""
    updates = [telegram.message(1000 + n, "hello, my parcel is late") for n in range(count)]
    limits = httpx.Limits(max_connections=connections)
    took: list[float] = []
    gate = asyncio.Semaphore(connections)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def send(update: dict[str, Any]) -> None:
            async with gate:
                start = time.perf_counter()
                answer = await client.post(
                    f"{base}/webhooks/telegram",
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
                )
                took.append(time.perf_counter() - start)
                answer.raise_for_status()

        await asyncio.gather(*(send(update) for update in updates))
    return took


def main() -> int:
    """Run the benchmark and print its numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=400)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, FakeTelegram() as telegram:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTBOT_")}
        env |= {
            "COMPLAINTBOT_DATA_DIR": str(Path(folder) / "data"),
            "COMPLAINTBOT_HTTP_PORT": str(port),
            "COMPLAINTBOT_SMTP_PORT": str(free_port()),
            "COMPLAINTBOT_POLL_INTERVAL_SECONDS": "0.2",
            "COMPLAINTBOT_TELEGRAM_BOT_TOKEN": telegram.token,
            "COMPLAINTBOT_TELEGRAM_WEBHOOK_SECRET": SECRET,
            "COMPLAINTBOT_TELEGRAM_API_BASE_URL": telegram.url,
        }
        with serving(Path(folder), env):
            calls = one_complaint(base, telegram)
            print(f"Bot API calls for one whole complaint (7 updates): {sum(calls.values())}")
            for method, count in sorted(calls.items()):
                print(f"  {method:<24} {count}")
            started = time.perf_counter()
            took = asyncio.run(burst(base, telegram, args.updates, args.connections))
            elapsed = time.perf_counter() - started
        took.sort()
        median, p99 = statistics.median(took) * 1000, took[int(len(took) * 0.99) - 1] * 1000
        print(
            f"Webhook, {args.updates} first messages over {args.connections} connections "
            f"(SQLite): {args.updates / elapsed:.0f} requests/s; per request median "
            f"{median:.0f} ms, p99 {p99:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
