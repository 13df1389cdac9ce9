"""The Slack console under `complaintbot serve`: Slack API calls per case, and how long a
customer's message takes to appear in its case's thread.

    .venv/bin/python -m benchmarks.slack_console [--cases 20] [--poll 1.0]

Runs the real `serve` (SQLite, in a temporary folder) with SMS and the Slack console on,
Twilio and Slack played by the local fakes. Each case: a complaint by SMS to registration,
a follow-up text (timed from the webhook's answer to the line in the card's thread), then
staff work it from Slack: assign to me, investigating, a reply through the preview, a note
typed in the thread, resolve. Prints numbers; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx

from fakes.slack_api import FakeSlackApi
from fakes.slack_staff import SlackStaff, selected
from fakes.twilio_api import FakeTwilioApi, new_sid, sign

SECRET = "benchmark-signing-secret"  # noqa: S105 (the fake workspace's)
TEAM, CHANNEL, ALICE = "T0BENCH01", "C0COMPLNT", "U0ALICE01"


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(folder: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """`complaintbot serve` running until the block ends."""
    command = shutil.which("complaintbot", path=str(Path(sys.executable).parent))
    assert command, "complaintbot is not installed here (make setup)"
    process = subprocess.Popen(  # noqa: S603
        [command, "serve"], cwd=folder, env=env, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    for line in process.stdout:
        if "Stop with Ctrl-C." in line:
            break
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


class Run:
    """One customer and one member of staff, against the running product."""

    def __init__(self, base: str, twilio: FakeTwilioApi, slack: FakeSlackApi, poll: float) -> None:
        self.base, self.twilio, self.slack, self.poll = base, twilio, slack, poll
        self.alice = SlackStaff(slack, base, SECRET, CHANNEL, ALICE, "alice")

    def text(self, number: str, body: str) -> None:
        """Text the bot from ``number``, signed as Twilio would."""
        url = f"{self.base}/webhooks/twilio/sms"
        params = {"MessageSid": new_sid("SM"), "From": number, "To": "+447700900000"}
        params |= {"Body": body, "NumMedia": "0"}
        headers = {
            "X-Twilio-Signature": sign(url, params, self.twilio.auth_token),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        answer = httpx.post(url, content=urlencode(params), headers=headers, timeout=30)
        answer.raise_for_status()

    def converse(self, number: str, body: str) -> str:
        """Text the bot; all it texts back (once nothing more comes for a poll interval)."""
        before = len(self.twilio.sent)
        self.text(number, body)
        self.twilio.wait_for_sent(before + 1, timeout=30)
        seen = -1
        while seen != len(self.twilio.sent):
            seen = len(self.twilio.sent)
            time.sleep(self.poll + 0.3)
        return "\n".join(
            message.body for message in self.twilio.sent[before:] if message.to == number
        )

    def case(self, index: int) -> tuple[float, Counter[str]]:
        """One case from first text to resolution: (mirror seconds, Slack calls by method)."""
        number = f"+4477009{index:05d}"
        self.converse(
            number, f"My phone {index} cracked on day one, order {8000 + index}, yesterday"
        )
        for answer in ("2", "Sam Lee", "yes"):
            self.converse(number, answer)
        registered = self.converse(number, "YES")
        found = re.search(r"reference (CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
        assert found, registered
        reference = found.group(1)
        calls_before = len(self.slack.calls)
        alice = self.alice
        card = alice.wait_for_card(reference)
        marker = f"The courier came back and took phone {index} away again, why?"
        started = time.perf_counter()
        self.text(number, marker)
        self.slack.wait_for(
            lambda s: any(marker in m.text for m in s.thread(CHANNEL, card.ts)), timeout=30
        )
        mirrored = time.perf_counter() - started
        alice.press(card, "case_assign_me", value=reference)
        option = {
            "text": {"type": "plain_text", "text": "x"},
            "value": f"{reference}|investigating",
        }
        alice.press(card, "case_status", selected_option=option)
        reply = {"text": {"text": "Please send a photo of the screen."}}
        preview = alice.submit(
            "reply_compose", alice.open_modal(card, "case_reply", reference), reply
        )
        alice.submit("reply_confirm", preview["view"]["private_metadata"], reply)
        alice.type_in_thread(card, "Courier ticket 5531")
        values = {
            "text": {"text": "We replaced it."},
            "root_cause": {"root_cause": selected("product_fault")},
        }
        alice.submit("resolve", alice.open_modal(card, "case_resolve", reference), values)
        self.slack.wait_for(
            lambda _: "Resolved" in str(alice.wait_for_card(reference).blocks), timeout=30
        )
        time.sleep(3 * self.poll + 0.5)  # the last thread lines of the resolution
        return mirrored, Counter(call.method for call in self.slack.calls[calls_before:])


def main() -> int:
    """Run the cases and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20)
    parser.add_argument(
        "--poll", type=float, default=1.0, help="COMPLAINTBOT_POLL_INTERVAL_SECONDS"
    )
    args = parser.parse_args()
    with (
        tempfile.TemporaryDirectory() as folder,
        FakeTwilioApi() as twilio,
        FakeSlackApi(team_id=TEAM) as slack,
    ):
        slack.add_user(ALICE, "alice", "Alice Adams")
        slack.add_channel(CHANNEL, "complaints", members=[ALICE])
        staff = Path(folder) / "staff.toml"
        staff.write_text(f'[queues.complaints]\nslack = "{CHANNEL}"\n')
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("COMPLAINTBOT_")}
        env |= {
            "COMPLAINTBOT_DATA_DIR": str(Path(folder) / "data"),
            "COMPLAINTBOT_HTTP_PORT": str(port),
            "COMPLAINTBOT_SMTP_PORT": str(free_port()),
            "COMPLAINTBOT_POLL_INTERVAL_SECONDS": str(args.poll),
            "COMPLAINTBOT_PUBLIC_BASE_URL": base,
            "COMPLAINTBOT_TWILIO_ACCOUNT_SID": twilio.account_sid,
            "COMPLAINTBOT_TWILIO_AUTH_TOKEN": twilio.auth_token,
            "COMPLAINTBOT_TWILIO_FROM_NUMBER": "+447700900000",
            "COMPLAINTBOT_TWILIO_API_BASE_URL": twilio.url,
            "COMPLAINTBOT_SLACK_BOT_TOKEN": slack.bot_token,
            "COMPLAINTBOT_SLACK_SIGNING_SECRET": SECRET,
            "COMPLAINTBOT_SLACK_TEAM_ID": TEAM,
            "COMPLAINTBOT_SLACK_API_BASE_URL": slack.url,
            "COMPLAINTBOT_STAFF_FILE": str(staff),
        }
        with serving(Path(folder), env):
            run = Run(base, twilio, slack, args.poll)
            results = [run.case(index) for index in range(args.cases)]
    mirrors = sorted(seconds * 1000 for seconds, _ in results)
    totals = [sum(calls.values()) for _, calls in results]
    methods: Counter[str] = Counter()
    for _, calls in results:
        methods.update(calls)
    print(f"{args.cases} cases, poll interval {args.poll} s, SQLite, one serve process")
    print(
        "customer text -> line in the card's thread: "
        f"median {statistics.median(mirrors):.0f} ms, "
        f"p90 {mirrors[int(0.9 * (len(mirrors) - 1))]:.0f} ms, max {mirrors[-1]:.0f} ms"
    )
    print(
        "Slack API calls per case (card posted to resolved, incl. the follow-up): "
        f"median {statistics.median(totals):.0f}, min {min(totals)}, max {max(totals)}"
    )
    for method, count in methods.most_common():
        print(f"  {method:<24} {count / args.cases:6.1f} per case")
    return 0


if __name__ == "__main__":
    sys.exit(main())
