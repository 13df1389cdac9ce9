"""The slash command (``/complaint``) and the App Home tab."""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError

from bot.services.lookup import CaseNotFound, find_case
from bot.services.queries import card_links, cases_for_staff, unfiled_messages
from bot.services.staff import customer_renderer
from bot.slack.text import pieces, raw, unescape
from bot.storage.models import Case
from channels.slack.adapter import CHANNEL, split_message_id
from workflows.staff import StaffAction, StaffActionKind

if TYPE_CHECKING:
    from bot.slack.console import Ack, Console

log = logging.getLogger(__name__)
# A button's value holds at most 2000 characters: longer replies go through the Reply modal.
MAX_BUTTON_VALUE = 2000
MAX_COMMAND_REPLY = 1800
LIST_LIMIT = 20


class Commands:
    """``/complaint REF | mine | open [queue] | overdue | reply REF text | help``, and Home."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.app = console.app
        self._url: str | None = None

    def register(self, bolt: AsyncApp) -> None:
        """Attach the listeners."""
        bolt.command(self.app.settings.slack_command)(self._command)
        bolt.action("command_reply_send")(self._reply_send)
        bolt.action("command_reply_cancel")(self._reply_cancel)
        bolt.event("app_home_opened")(self._home)

    def _render(self, template: str, **context: object) -> dict[str, Any]:
        rendered = self.app.renderer.render(template, context, CHANNEL)
        answer: dict[str, Any] = {"text": rendered.text, "response_type": "ephemeral"}
        if rendered.blocks:
            answer["blocks"] = [dict(block) for block in rendered.blocks]
        return answer

    async def _command(self, ack: Ack, command: dict[str, Any], respond: Any) -> None:
        user = str(command["user_id"])
        words = unescape(str(command.get("text") or "")).split(maxsplit=2)
        verb = words[0].lower() if words else "help"
        name = self.app.settings.slack_command
        if verb == "help" or (len(words) > 1 and verb not in ("open", "reply")):
            unknown = None if verb == "help" else verb
            await ack(**self._render("staff/slack_help", command=name, unknown=unknown))
            return
        # Answered at once; the answer (which may need Slack's membership lists) follows.
        await ack()
        if verb == "inbox":
            await respond(**await self._inbox(user))
        elif verb in ("mine", "open", "overdue"):
            queue = words[1] if verb == "open" and len(words) > 1 else None
            await respond(**await self._list(user, verb, queue))
        elif verb == "reply":
            await respond(**await self._confirm_reply(user, words[1:]))
        else:
            await respond(**await self._show(user, words[0]))

    async def _inbox(self, user: str) -> dict[str, Any]:
        """Messages on no case (strangers, automated mail, failed processing): staff group only."""
        if not await self.console.people.in_staff_group(user):
            log.warning("Slack user %s may not see the inbox", user)
            return self._render("staff/slack_inbox", allowed=False, unfiled=[])
        found = await unfiled_messages(self.app, limit=LIST_LIMIT)
        messages = [
            {
                "received_at": message.received_at,
                "channel": identity.channel,
                "address": identity.address,
                "flags": list(message.flags),
                "subject": message.subject,
                "text": message.text[:200],
            }
            for message, identity in found
        ]
        return self._render("staff/slack_inbox", allowed=True, unfiled=messages)

    async def _visible_queues(self, user: str, only: str | None = None) -> list[str]:
        known = sorted(set(self.app.staff.queues) | {self.app.intake.rules.default_queue})
        if only is not None:
            known = [queue for queue in known if queue == only]
        return await self.console.people.queues_for(user, known)

    async def _list(self, user: str, verb: str, queue: str | None) -> dict[str, Any]:
        queues = await self._visible_queues(user, queue)
        cases = await cases_for_staff(
            self.app,
            queues=queues,
            assignee_id=user if verb == "mine" else None,
            overdue_at=self.app.clock() if verb == "overdue" else None,
            limit=LIST_LIMIT,
        )
        return self._render(
            "staff/slack_case_list",
            which=verb,
            queue=queue,
            visible=bool(queues),
            cases=await self._rows(cases),
            limit=LIST_LIMIT,
        )

    async def _rows(self, cases: list[Case]) -> list[dict[str, object]]:
        links = await card_links(self.app, [case.id for case in cases], CHANNEL)
        base = await self._workspace_url()
        rows: list[dict[str, object]] = []
        for case in cases:
            link = None
            if case.id in links and base:
                channel, ts = split_message_id(links[case.id])
                link = f"{base}archives/{channel}/p{ts.replace('.', '')}"
            rows.append(
                {
                    "reference": case.reference,
                    "status": case.status,
                    "severity": case.severity,
                    "queue": case.queue,
                    "assignee": case.assignee,
                    "due_at": case.due_at,
                    "overdue": case.due_at is not None and case.due_at < self.app.clock(),
                    "link": link,
                }
            )
        return rows

    async def _workspace_url(self) -> str:
        """The workspace's address, for links to cards (asked of Slack once)."""
        if self._url is None:
            try:
                answer = await self.console.client.auth_test()
            except SlackApiError:
                return ""
            self._url = str(answer.get("url") or "")
        return self._url

    async def _case_for(self, user: str, typed: str) -> Case | None:
        async with self.app.sessions() as session:
            try:
                case = await find_case(session, typed, self.app.settings.reference_prefix)
            except CaseNotFound:
                return None
        if not await self.console.people.may_act(user, case.queue):
            log.warning("Slack user %s may not see %s (queue %s)", user, case.reference, case.queue)
            return None
        return case

    async def _show(self, user: str, typed: str) -> dict[str, Any]:
        case = await self._case_for(user, typed)
        if case is None:
            # The same answer for "no such case" and "not yours": a reference alone opens nothing.
            return self._render("staff/slack_no_case", typed=typed)
        [row] = await self._rows([case])
        return self._render(
            "staff/slack_case_summary",
            case=row,
            summary=case.description[:600],
            channel=case.channel,
        )

    async def _confirm_reply(self, user: str, words: list[str]) -> dict[str, Any]:
        name = self.app.settings.slack_command
        if len(words) < 2 or not words[1].strip():
            return self._render("staff/slack_help", command=name, unknown="reply")
        case = await self._case_for(user, words[0])
        if case is None:
            return self._render("staff/slack_no_case", typed=words[0])
        text = words[1].strip()
        # The button carries the text as typed: a value is data, not something Slack shows.
        value = json.dumps({"reference": case.reference, "text": text}, ensure_ascii=False)
        if len(value) > MAX_BUTTON_VALUE:
            return self._render("staff/slack_reply_too_long", limit=MAX_COMMAND_REPLY)
        preview = (await customer_renderer(self.app, case)).render(
            "customer/staff_reply",
            {"reference": case.reference, "text": text, "awaiting": False},
            case.channel,
        )
        return self._render(
            "staff/slack_reply_confirm",
            reference=case.reference,
            channel=case.channel,
            preview_parts=pieces(preview.text),
            value=raw(value),
        )

    async def _reply_send(
        self, ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Any
    ) -> None:
        await ack()
        user = body["user"]["id"]
        try:
            chosen = json.loads(str(action["value"]))
            reference, text = str(chosen["reference"]), str(chosen["text"])
        except (ValueError, KeyError, TypeError):
            return
        actor = await self.console.people.name(user)
        staff_action = StaffAction(StaffActionKind.REPLY, reference, actor, text=text)
        channel = (body.get("channel") or {}).get("id")
        # Keyed on the confirmation itself: a second click on the same Send sends nothing.
        confirmation = (body.get("container") or {}).get("message_ts") or action.get("action_ts")
        stamp = f"reply:{user}:{confirmation}"
        sent = await self.console.act(staff_action, user, channel, stamp, CHANNEL)
        template = "staff/slack_reply_sent" if sent else "staff/slack_reply_not_sent"
        await respond(replace_original=True, **self._render(template, reference=reference))

    async def _reply_cancel(self, ack: Ack, respond: Any) -> None:
        await ack()
        await respond(delete_original=True)

    async def _home(self, event: dict[str, Any]) -> None:
        user = str(event.get("user", ""))
        if event.get("tab", "home") != "home" or not user:
            return
        queues = await self._visible_queues(user)
        mine = await cases_for_staff(self.app, queues=queues, assignee_id=user)
        overdue = await cases_for_staff(self.app, queues=queues, overdue_at=self.app.clock())
        view = self.app.renderer.view(
            "staff/slack_home",
            {
                "mine": await self._rows(mine),
                "overdue": await self._rows(overdue),
                "visible": bool(queues),
                "command": self.app.settings.slack_command,
            },
        )
        try:
            await self.console.client.views_publish(user_id=user, view=view)
        except SlackApiError as error:
            log.warning("could not publish the home tab: %s", error.response.get("error"))
