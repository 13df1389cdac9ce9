"""A pretend phone for trying the SMS channel locally, with no Twilio account.

    .venv/bin/python -m scripts.sms_phone            # prints the settings for serve, then waits
    # in another terminal, start serve with those settings, then type texts here

It runs the local fake of Twilio's REST API (fakes/twilio_api.py), which is where the
bot's replies arrive and are printed, and posts what you type to the bot's SMS webhook,
signed exactly as Twilio signs it.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from urllib.parse import urlencode

import httpx

from fakes.twilio_api import FakeTwilioApi, new_sid, sign


def main() -> int:
    """Run the phone until end of input (Ctrl-D)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8080", help="the bot's base URL")
    parser.add_argument("--number", default="+447700900123", help="this phone's number")
    args = parser.parse_args()
    with FakeTwilioApi() as twilio:
        print("Start the bot in another terminal with these settings (or put them in .env):\n")
        print(f"  export COMPLAINTBOT_PUBLIC_BASE_URL={args.server}")
        print(f"  export COMPLAINTBOT_TWILIO_ACCOUNT_SID={twilio.account_sid}")
        print(f"  export COMPLAINTBOT_TWILIO_AUTH_TOKEN={twilio.auth_token}")
        print("  export COMPLAINTBOT_TWILIO_FROM_NUMBER=+447700900000")
        print(f"  export COMPLAINTBOT_TWILIO_API_BASE_URL={twilio.url}")
        print("  complaintbot serve\n")
        print(f"Then type texts from {args.number} here (Ctrl-D to stop).")
        stop = threading.Event()
        threading.Thread(target=_show_replies, args=(twilio, stop), daemon=True).start()
        url = f"{args.server.rstrip('/')}/webhooks/twilio/sms"
        for line in sys.stdin:
            params = {
                "MessageSid": new_sid("SM"),
                "From": args.number,
                "To": "+447700900000",
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
                print(f"(could not reach the bot at {url}: {error})")
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
