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

import httpx

from fakes.slack_api import FakeSlackApi, Posted
from fakes.slack_staff import SlackStaff, selected

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
    """You, as staff in the fake Slack: each command becomes what Slack would send the bot."""

    def __init__(self, slack: FakeSlackApi, server: str) -> None:
        self.slack = slack
        self.you = SlackStaff(slack, server, SECRET, CHANNEL, YOU, "you")

    def card(self, reference: str) -> Posted | None:
        """The case's card, or None (and say so)."""
        card = self.you.card(reference)
        if card is None:
            print(f"(no card for {reference} in #complaints yet)")
        return card

    def run(self, line: str) -> bool:
        """Do one command; False to stop."""
        if line.startswith("/complaint"):
            answer = self.you.command("/complaint", line[len("/complaint") :].strip())
            if answer.content:
                print(answer.json().get("text", answer.text))
            else:  # answered at once; the answer follows at the response URL
                before = len(self.slack.responses)
                self.slack.wait_for(lambda s: len(s.responses) > before, timeout=10)
                print(self.slack.responses[-1].get("text", ""))
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
            return True
        card = self.card(rest[0]) if rest else None
        if card is None:
            if not rest:
                print(HELP)
            return True
        reference = rest[0].upper()
        if verb == "assign":
            self.you.press(card, "case_assign_me", value=reference)
        elif verb == "escalate":
            self.you.press(card, "case_escalate", value=reference)
        elif verb == "status" and len(rest) == 2:
            option = {"text": {"type": "plain_text", "text": rest[1]}}
            self.you.press(
                card, "case_status", selected_option=option | {"value": f"{reference}|{rest[1]}"}
            )
        elif verb == "note" and len(rest) >= 2:
            self.you.type_in_thread(card, " ".join(rest[1:]))
        elif verb == "reply" and len(rest) >= 2:
            self.reply(card, reference, " ".join(rest[1:]))
        elif verb == "resolve" and len(rest) >= 3:
            metadata = self.you.open_modal(card, "case_resolve", reference, timeout=5)
            values = {
                "text": {"text": " ".join(rest[2:])},
                "root_cause": {"root_cause": selected(rest[1])},
            }
            errors = self.you.submit("resolve", metadata, values).get("errors")
            print(f"(not resolved: {errors})" if errors else "(resolved)")
        else:
            print(HELP)
        return True

    def reply(self, card: Posted, reference: str, text: str) -> None:
        """Reply to the customer: the modal, the preview, then send if you say so."""
        metadata = self.you.open_modal(card, "case_reply", reference, timeout=5)
        values = {"text": {"text": text}}
        answer = self.you.submit("reply_compose", metadata, values)
        preview = answer.get("view")
        if not preview:
            print(f"(the bot refused the reply: {answer.get('errors')})")
            return
        shown = [b["text"]["text"] for b in preview["blocks"] if b.get("type") == "section"]
        print("\n".join(shown))
        print("Send it? [y/N] ", end="", flush=True)
        if sys.stdin.readline().strip().lower().startswith("y"):
            self.you.submit("reply_confirm", preview["private_metadata"], values)
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
                except (httpx.HTTPError, json.JSONDecodeError, TimeoutError) as error:
                    print(f"(could not reach the bot at {args.server}: {error})")
        finally:
            stop.set()
    return 0


if __name__ == "__main__":
    sys.exit(main())
