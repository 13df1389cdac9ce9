"""A pretend Telegram app for trying the Telegram channel locally, with no bot token.

    make run                                   # in one terminal (pretend channels are on)
    .venv/bin/python -m scripts.telegram_chat  # in another: type messages here

It runs the local fake of the Telegram Bot API (fakes/telegram_api.py) on the port and with
the test token `make run` expects, posts what you type to the bot's webhook with the secret
Telegram would send, and prints what the bot sends back. Buttons are shown numbered: type
"#1" to press the first button of the last message that had them. "/photo" sends a small
picture.
"""

from __future__ import annotations

import argparse
import html
import sys
import threading
import time

import httpx

from bot.settings import Settings
from fakes.telegram_api import FakeTelegram, SentMessage


def main() -> int:
    """Run the pretend app until end of input (Ctrl-D)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chat", type=int, default=424242, help="this user's Telegram id")
    parser.add_argument("--name", default="Sam", help="this user's first name")
    args = parser.parse_args()
    settings = Settings(pretend_channels=True)
    token, secret = settings.telegram_bot_token, settings.telegram_webhook_secret
    if not settings.telegram_pretend or token is None or secret is None:
        print("A Telegram bot token is set (in .env or the environment): this pretend app only")
        print("talks to a bot using the pretend one. Unset COMPLAINTBOT_TELEGRAM_* to try it.")
        return 2
    url = settings.public_url(settings.telegram_webhook_path)
    port = settings.pretend_telegram_port
    with FakeTelegram(token.get_secret_value(), port=port) as telegram:
        print(f"Telegram (pretend) is up. Messages go to {url}.")
        print('Type a message (Ctrl-D to stop); "#1" presses the first button shown.\n')
        last: list[SentMessage] = []
        stop = threading.Event()
        threading.Thread(
            target=_show_replies, args=(telegram, args.chat, stop, last), daemon=True
        ).start()
        for line in sys.stdin:
            typed = line.rstrip("\n")
            if typed.startswith("#") and typed[1:].isdigit():
                buttons = last[0].buttons() if last else []
                index = int(typed[1:]) - 1
                if not 0 <= index < len(buttons):
                    print("(no such button)")
                    continue
                update = telegram.press(args.chat, last[0], buttons[index][1])
            elif typed == "/photo":
                file_id = telegram.add_file(b"\xff\xd8\xff\xe0pretend-photo", "photos/pretend.jpg")
                update = telegram.message(
                    args.chat,
                    "a photo",
                    first_name=args.name,
                    photo=[{"file_id": file_id, "file_unique_id": "p", "width": 1, "height": 1}],
                )
            else:
                update = telegram.message(args.chat, typed, first_name=args.name)
            try:
                response = httpx.post(
                    url,
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": secret.get_secret_value()},
                    timeout=30,
                )
            except httpx.HTTPError as error:
                print(f"(could not reach the bot at {url}: {error}; is `make run` running?)")
                continue
            if response.status_code != 200:
                print(f"(the bot answered {response.status_code}: {response.text})")
        stop.set()
    return 0


def _show_replies(
    telegram: FakeTelegram, chat: int, stop: threading.Event, last: list[SentMessage]
) -> None:
    shown = 0
    while not stop.is_set():
        sent = telegram.sent_to(chat)
        for message in sent[shown:]:
            # Sent in HTML parse mode, escaped: shown as Telegram would show it.
            print(f"\n[bot] {html.unescape(message.text)}")
            for number, (label, _data) in enumerate(message.buttons(), 1):
                print(f"  #{number} [{label}]")
            if message.buttons():
                last[:] = [message]
            print()
        shown = len(sent)
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
