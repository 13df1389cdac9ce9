"""A pretend phone for trying the SMS channel locally, with no Twilio account.

    make run                              # in one terminal (pretend channels are on)
    .venv/bin/python -m scripts.sms_phone # in another: type texts here

It runs the local fake of Twilio's REST API (fakes/twilio_api.py) on the port and with the
local test credentials `make run` expects (bot/settings.py, pretend_channels), which is where
the bot's replies arrive and are printed, and posts what you type to the bot's SMS webhook,
signed exactly as Twilio signs it.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from urllib.parse import urlencode

import httpx

from bot.settings import Settings
from fakes.twilio_api import FakeTwilioApi, new_sid, sign


def main() -> int:
    """Run the phone until end of input (Ctrl-D)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", default="+447700900123", help="this phone's number")
    args = parser.parse_args()
    settings = Settings(pretend_channels=True)
    if not settings.sms_pretend or settings.twilio_auth_token is None:
        print("Twilio settings are set (in .env or the environment): this pretend phone only")
        print("talks to a bot using the pretend ones. Unset COMPLAINTBOT_TWILIO_* to try it.")
        return 2
    token = settings.twilio_auth_token.get_secret_value()
    with FakeTwilioApi(
        settings.twilio_account_sid, token, port=settings.pretend_sms_port
    ) as twilio:
        url = settings.public_url("/webhooks/twilio/sms")
        print(f"A pretend phone ({args.number}) is on. Texts go to {url}.")
        print("Type a text (Ctrl-D to stop); the bot's replies are printed here.\n")
        stop = threading.Event()
        threading.Thread(target=_show_replies, args=(twilio, stop), daemon=True).start()
        for line in sys.stdin:
            params = {
                "MessageSid": new_sid("SM"),
                "From": args.number,
                "To": settings.twilio_from_number or "",
                "Body": line.rstrip("\n"),
                "NumMedia": "0",
            }
            headers = {
                "X-Twilio-Signature": sign(url, params, twilio.auth_token),
                "Content-Type": "application/x-www-form-urlencoded",
            }
            try:
                response = httpx.post(url, content=urlencode(params), headers=headers)
            except httpx.HTTPError as error:
                print(f"(could not reach the bot at {url}: {error}; is `make run` running?)")
                continue
            if response.status_code != 200:
                print(f"(the bot answered {response.status_code}: {response.text})")
        stop.set()
    return 0


def _show_replies(twilio: FakeTwilioApi, stop: threading.Event) -> None:
    shown = 0
    while not stop.is_set():
        sent = twilio.sent
        for message in sent[shown:]:
            print(f"\n[text to {message.to}]\n{message.body}\n")
        shown = len(sent)
        time.sleep(0.2)


if __name__ == "__main__":
    sys.exit(main())
