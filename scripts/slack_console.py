"""A pretend Slack workspace for trying the staff console locally, with no Slack account.

    .venv/bin/python -m scripts.slack_console      # prints the settings for serve, then waits
    # in another terminal, start serve with those settings; complain with complaintbot chat

It runs the local fake of Slack's Web API (where the bot posts its cards, thread lines and
escalations, printed here as they arrive) and lets you press the card's buttons, fill in its
modals and type in a card's thread, sent to the bot exactly as Slack sends them (signed).
Type "help" for the commands.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx

from fakes.slack_api import FakeSlackApi, Posted, signed_headers
from fakes.slack_payloads import (
    block_actions_body,
    event_callback_body,
    message_event,
    slash_command_body,
    view_submission_body,
)

TEAM, CHANNEL, ESCALATIONS, STAFF = "T0TRYIT01", "C0COMPLNT", "C0ESCALAT", "S0STAFF01"
YOU = "U0YOU0001"
SECRET = "try-it-locally-signing-secret"  # noqa: S105 (the fake workspace's, printed)
HELP = """Commands (REF is a case reference, e.g. CB-K7M3-XD9A):
  cards                         the cards in #complaints, as they are now
  assign REF                    press "Assign to me"
  status REF STATUS             choose in "Move to…" (e.g. investigating, awaiting_customer)
  reply REF TEXT                "Reply to customer": see the preview, then send
  note REF TEXT                 type TEXT in the card's thread (an internal note)
  escalate REF                  press "Escalate"
  resolve REF CAUSE TEXT        "Resolve" with a root cause (e.g. delivery, product_fault)
  /complaint ARGS               the slash command (try: /complaint help)
  quit"""


class Workspace:
    """The fake Slack, and what you do in it, sent to the bot as Slack would."""

    def __init__(self, slack: FakeSlackApi, server: str) -> None:
        self.slack = slack
        self.server = server.rstrip("/")

    def post(self, path: str, body: bytes) -> httpx.Response:
        """Send a request to the bot as Slack would, signed."""
        url = f"{self.server}/webhooks/slack/{path}"
        return httpx.post(url, content=body, headers=signed_headers(body, SECRET), timeout=10)

    def card(self, reference: str) -> Posted | None:
        """The case's card in #complaints, if the bot posted one."""
        for message in self.slack.messages(CHANNEL):
            if message.thread_ts is None and reference.upper() in message.text:
                return message
        return None

    def press(self, reference: str, action_id: str, **kw: Any) -> httpx.Response | None:
        """Press a button (or choose in a select) on the case's card."""
        card = self.card(reference)
        if card is None:
            print(f"(no card for {reference} in #complaints yet)")
            return None
        body = block_actions_body(
            team_id=TEAM,
            user_id=YOU,
            user_name="you",
            channel_id=CHANNEL,
            message_ts=card.ts,
            action_id=action_id,
            **kw,
        )
        return self.post("interactivity", body)

    def submit(self, callback_id: str, metadata: str, values: dict[str, Any]) -> dict[str, Any]:
        """Submit a modal; the bot's answer (an update, errors, or clear)."""
        body = view_submission_body(
            team_id=TEAM,
            user_id=YOU,
            user_name="you",
            callback_id=callback_id,
            private_metadata=metadata,
            values=values,
        )
        answer = self.post("interactivity", body)
        return dict(answer.json()) if answer.content else {}

    def modal(self, reference: str, action_id: str) -> str | None:
        """Press a button that opens a modal; the modal's metadata once Slack has it."""
        opened = len(self.slack.views_opened)
        if self.press(reference, action_id, value=reference.upper()) is None:
            return None
        try:
            self.slack.wait_for(lambda s: len(s.views_opened) > opened, timeout=5)
        except TimeoutError:
            print("(the bot did not open the modal)")
            return None
        return str(self.slack.views_opened[-1]["private_metadata"])

    def run(self, line: str) -> bool:
        """Do one command; False to stop."""
        if line.startswith("/complaint"):
            body = slash_command_body(
                team_id=TEAM,
                user_id=YOU,
                user_name="you",
                channel_id=CHANNEL,
                command="/complaint",
                text=line[len("/complaint") :].strip(),
                response_url=self.slack.response_url(),
            )
            answer = self.post("commands", body)
            print(answer.json().get("text", answer.text) if answer.content else "(no answer)")
            return True
        words = shlex.split(line)
        if not words:
            return True
        verb, rest = words[0].lower(), words[1:]
        if verb in ("quit", "exit"):
            return False
        if verb == "cards":
            for message in self.slack.messages(CHANNEL):
                if message.thread_ts is None:
                    print(show_card(message))
        elif verb == "assign" and rest:
            self.press(rest[0], "case_assign_me", value=rest[0].upper())
        elif verb == "escalate" and rest:
            self.press(rest[0], "case_escalate", value=rest[0].upper())
        elif verb == "status" and len(rest) == 2:
            value = f"{rest[0].upper()}|{rest[1]}"
            option = {"text": {"type": "plain_text", "text": rest[1]}, "value": value}
            self.press(rest[0], "case_status", selected_option=option)
        elif verb == "note" and len(rest) >= 2:
            card = self.card(rest[0])
            if card is not None:
                event = message_event(
                    channel=CHANNEL,
                    user=YOU,
                    text=" ".join(rest[1:]),
                    ts=f"{time.time():.6f}",
                    thread_ts=card.ts,
                )
                self.post("events", event_callback_body(team_id=TEAM, event=event))
        elif verb == "reply" and len(rest) >= 2:
            self.reply(rest[0], " ".join(rest[1:]))
        elif verb == "resolve" and len(rest) >= 3:
            metadata = self.modal(rest[0], "case_resolve")
            if metadata is not None:
                chosen = {"type": "static_select", "selected_option": {"value": rest[1]}}
                values = {
                    "text": {"text": " ".join(rest[2:])},
                    "root_cause": {"root_cause": chosen},
                }
                errors = self.submit("resolve", metadata, values).get("errors")
                print(f"(not resolved: {errors})" if errors else "(resolved)")
        else:
            print(HELP)
        return True

    def reply(self, reference: str, text: str) -> None:
        """Reply to the customer: the modal, the preview, then send if you say so."""
        metadata = self.modal(reference, "case_reply")
        if metadata is None:
            return
        values = {"text": {"text": text}}
        preview = self.submit("reply_compose", metadata, values).get("view")
        if not preview:
            print("(the bot refused the reply)")
            return
        shown = [b["text"]["text"] for b in preview["blocks"] if b.get("type") == "section"]
        print("\n".join(shown))
        print("Send it? [y/N] ", end="", flush=True)
        if sys.stdin.readline().strip().lower().startswith("y"):
            self.submit("reply_confirm", preview["private_metadata"], values)
            print("(sent)")


def show_card(message: Posted) -> str:
    """A card as text: its sections, fields and buttons."""
    lines = [f"┌─ card {message.ts} ({len(message.versions)} updates)"]
    for block in message.blocks:
        if block["type"] == "section":
            for field in block.get("fields", []):
                lines.append("│ " + field["text"].replace("\n", ": ", 1))
            if "text" in block:
                lines.append("│ " + block["text"]["text"].replace("\n", "\n│ "))
        elif block["type"] == "actions":
            names = [
                e.get("text", {}).get("text") or e.get("placeholder", {}).get("text", "")
                for e in block["elements"]
            ]
            lines.append("│ [" + "] [".join(names) + "]")
    return "\n".join(lines) + "\n└─"


def watch(slack: FakeSlackApi, stop: threading.Event) -> None:
    """Print what the bot posts: new cards, card updates, thread lines, escalations."""
    seen: dict[tuple[str, str], int] = {}
    while not stop.is_set():
        for message in slack.messages():
            key = (message.channel, message.ts)
            if seen.get(key) == len(message.versions):
                continue
            where = "#escalations" if message.channel == ESCALATIONS else "#complaints"
            if message.thread_ts is not None:
                print(f"\n[{where}, in the thread of {message.thread_ts}]\n{message.text}\n")
            else:
                updated = "updated" if key in seen else "new"
                shown = show_card(message) if message.blocks else message.text
                print(f"\n[{where}, {updated}]\n{shown}\n")
            seen[key] = len(message.versions)
        time.sleep(0.3)


def main() -> int:
    """Run the workspace until end of input (Ctrl-D) or "quit"."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:8080", help="the bot's base URL")
    parser.add_argument("--data", default="data", help="where to write the staff file")
    args = parser.parse_args()
    staff = Path(args.data) / "slack-console-staff.toml"
    staff.parent.mkdir(parents=True, exist_ok=True)
    staff.write_text(
        f'[queues.complaints]\nslack = "{CHANNEL}"\n'
        f'[queues.complaints-urgent]\nslack = "{CHANNEL}"\n'
        f'[escalation]\nslack = "{ESCALATIONS}"\n[slack]\nstaff_group = "{STAFF}"\n'
    )
    with FakeSlackApi(team_id=TEAM) as slack:
        slack.add_user(YOU, "you", "You Yourself")
        slack.add_channel(CHANNEL, "complaints", members=[YOU])
        slack.add_channel(ESCALATIONS, "escalations", members=[YOU])
        slack.add_usergroup(STAFF, "complaints-staff", [YOU])
        print("Start the bot in another terminal with these settings (or put them in .env):\n")
        print(f"  export COMPLAINTBOT_PUBLIC_BASE_URL={args.server}")
        print(f"  export COMPLAINTBOT_SLACK_BOT_TOKEN={slack.bot_token}")
        print(f"  export COMPLAINTBOT_SLACK_SIGNING_SECRET={SECRET}")
        print(f"  export COMPLAINTBOT_SLACK_TEAM_ID={TEAM}")
        print(f"  export COMPLAINTBOT_SLACK_API_BASE_URL={slack.url}")
        print(f"  export COMPLAINTBOT_STAFF_FILE={staff.resolve()}")
        print("  complaintbot serve\n")
        print("Then complain in a third terminal (complaintbot chat --as alice) and watch the card")
        print("appear here. Type help for what you can do as staff (Ctrl-D to stop).")
        workspace = Workspace(slack, args.server)
        stop = threading.Event()
        threading.Thread(target=watch, args=(slack, stop), daemon=True).start()
        try:
            for line in sys.stdin:
                try:
                    if not workspace.run(line.strip()):
                        break
                except (httpx.HTTPError, json.JSONDecodeError) as error:
                    print(f"(could not reach the bot at {args.server}: {error})")
        finally:
            stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
