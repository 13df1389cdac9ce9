"""The Slack staff console: buttons, modals and thread messages become staff actions.

Every press goes through the same ``handle_staff_action`` as the CLI (one transaction, the
same workflow, the outbox); the card and its thread are then brought up to date through the
outbox like any other staff notice. Slack is answered at once (bolt acks before the work).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.rendering import Renderer, slack_escape
from bot.services.app import App
from bot.services.lookup import CaseNotFound, find_case
from bot.services.queries import card_of
from bot.services.staff import customer_renderer, handle_staff_action
from bot.slack.people import People
from bot.slack.text import digest, pieces, raw, submitted, unescape
from bot.storage.models import Case
from channels.slack.adapter import CHANNEL, message_id
from workflows.aftercare_settings import Remedy
from workflows.classification import SEVERITIES
from workflows.lifecycle import CaseStatus
from workflows.staff import MAX_STAFF_TEXT, StaffAction, StaffActionKind

log = logging.getLogger(__name__)
# Notes typed in a card's thread are recorded from here: the thread already shows them.
THREAD_CHANNEL = "slack-thread"
# The longest text a Slack input takes (plain_text_input max_length).
MAX_INPUT = min(3000, MAX_STAFF_TEXT)
Ack = Callable[..., Awaitable[None]]
K = StaffActionKind
STATUSES = frozenset(status.value for status in CaseStatus)


def web_client(app: App) -> AsyncWebClient:
    """The Slack Web API client for this process's bot token."""
    settings = app.settings
    assert settings.slack_bot_token is not None
    return AsyncWebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_base_url or AsyncWebClient.BASE_URL,
    )


class Console:
    """The bolt app and its listeners, bound to one application context."""

    def __init__(self, app: App, client: AsyncWebClient | None = None) -> None:
        settings = app.settings
        self.app = app
        self.client = client or web_client(app)
        self.people = People(self.client, app.staff)
        http = settings.slack_mode == "http"
        secret = settings.slack_signing_secret
        self.bolt = AsyncApp(
            client=self.client,
            signing_secret=secret.get_secret_value() if secret and http else "",
            request_verification_enabled=http,
            process_before_response=False,
            raise_error_for_unhandled_request=False,
        )
        self.bolt.use(self._only_our_workspace)
        self._register()

    # -- plumbing ---------------------------------------------------------------------------

    async def _only_our_workspace(
        self, context: Any, body: dict[str, Any], next: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        team = context.get("team_id") or body.get("team_id") or (body.get("team") or {}).get("id")
        if team != self.app.settings.slack_team_id:
            log.warning("refused a Slack request from another workspace (%s)", team)
            return BoltResponse(status=403, body="")
        await next()
        return None

    def say(self, template: str, **context: object) -> str:
        """A staff template rendered for Slack."""
        return self.app.renderer.render(template, context, CHANNEL).text

    async def ephemeral(self, channel: str | None, user: str, text: str) -> None:
        """Tell one person something only they see (in the channel, else in a direct message)."""
        if channel:
            try:
                await self.client.chat_postEphemeral(channel=channel, user=user, text=text)
                return
            except SlackApiError as error:
                # Someone not in the channel (a public channel's visitor) cannot be shown an
                # ephemeral message there: they get a direct message instead.
                log.info("ephemeral to %s failed: %s", user, error.response.get("error"))
        try:
            await self.client.chat_postMessage(channel=user, text=text)
        except SlackApiError as error:
            log.warning("could not answer %s: %s", user, error.response.get("error"))

    async def case_for(self, user: str, typed: str) -> Case | str:
        """The case a Slack user means, if they may act on it; else why not, to tell them."""
        async with self.app.sessions() as session:
            try:
                case = await find_case(session, typed, self.app.settings.reference_prefix)
            except CaseNotFound:
                return self.say("staff/slack_no_case", typed=typed)
        if not await self.people.may_act(user, case.queue):
            log.warning(
                "Slack user %s may not act on %s (queue %s)", user, case.reference, case.queue
            )
            return self.say("staff/slack_not_allowed", reference=case.reference, queue=case.queue)
        return case

    async def act(
        self, action: StaffAction, user: str, channel: str | None, event_id: str, source: str
    ) -> bool:
        """Run one staff action for a Slack user, if they may; refusals are told ephemerally."""
        case = await self.case_for(user, action.reference)
        if isinstance(case, str):
            await self.ephemeral(channel, user, case)
            return False
        result = await handle_staff_action(
            self.app, action, source, event_id=f"{CHANNEL}:{event_id}"
        )
        for refusal in result.refusals:
            # Refusals are written for a terminal; names in them must not mention anyone here.
            await self.ephemeral(channel, user, slack_escape(refusal))
        return result.ok

    # -- listeners --------------------------------------------------------------------------

    def _register(self) -> None:
        bolt = self.bolt
        bolt.action("case_assign_me")(self._assign_me)
        bolt.action("case_assign_user")(self._assign_user)
        bolt.action("case_status")(self._status)
        bolt.action("case_escalate")(self._escalate)
        bolt.action("case_reply")(self.open_modal("staff/slack_reply_modal"))
        bolt.action("case_note")(self.open_modal("staff/slack_note_modal"))
        bolt.action("case_resolve")(self.open_modal("staff/slack_resolve_modal"))
        bolt.action("case_grade")(self.open_modal("staff/slack_grade_modal"))
        bolt.action("open_card")(self._just_ack)
        bolt.view("reply_compose")(self._reply_preview)
        bolt.view("reply_confirm")(self._reply_send)
        bolt.view("note_compose")(self._note)
        bolt.view("resolve")(self._resolve)
        bolt.view("grade")(self._grade)
        bolt.event("message")(self._thread_message)
        from bot.slack.commands import Commands
        from bot.slack.responding import Responding

        Commands(self).register(bolt)
        Responding(self).register(bolt)

    async def _just_ack(self, ack: Ack) -> None:
        await ack()

    @staticmethod
    def _where(body: dict[str, Any]) -> tuple[str, str | None, str]:
        """The user, the channel (if any) and the action's timestamp of a button press."""
        action = body["actions"][0]
        channel = (body.get("channel") or {}).get("id")
        return body["user"]["id"], channel, str(action.get("action_ts") or body.get("trigger_id"))

    async def _assign_me(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        await self._act_on_press(body, K.ASSIGN, str(action["value"]), assign_to_actor=True)

    async def _assign_user(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        reference = str(action.get("block_id", "")).partition(":")[2]
        chosen = await self.people.name(str(action["selected_user"]))
        await self._act_on_press(body, K.ASSIGN, reference, assignee=chosen)

    async def _status(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        reference, _, status = str(action["selected_option"]["value"]).partition("|")
        if status in STATUSES:
            await self._act_on_press(body, K.STATUS, reference, status=CaseStatus(status))

    async def _escalate(self, ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        await ack()
        reference = str(action["value"])
        await self._act_on_press(body, K.STATUS, reference, status=CaseStatus.ESCALATED)

    def open_modal(
        self, template: str
    ) -> Callable[[Ack, dict[str, Any], dict[str, Any]], Awaitable[None]]:
        """A listener that opens the modal ``template`` for the case on the pressed button."""

        async def open_modal(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
            # The trigger id lasts three seconds: open first, check who is asking on submit.
            await ack()
            _, channel, _ = self._where(body)
            reference = str(action["value"])
            metadata = raw(json.dumps({"reference": reference, "channel": channel}))
            rules = self.app.intake.rules
            grade = await self._grade_of(reference)
            view = self.app.renderer.view(
                template,
                {
                    "reference": reference,
                    "metadata": metadata,
                    "limit": MAX_INPUT,
                    "causes": list(rules.root_causes),
                    "remedies": [remedy.value for remedy in Remedy],
                    "severities": list(SEVERITIES),
                    "categories": list(rules.categories),
                    "severity": grade[0],
                    "category": grade[1],
                },
            )
            try:
                await self.client.views_open(trigger_id=body["trigger_id"], view=view)
            except SlackApiError as error:
                log.warning("could not open %s: %s", template, error.response.get("error"))

        return open_modal

    async def act_on_view(
        self,
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        metadata: dict[str, Any],
        kind: StaffActionKind,
        **fields: Any,
    ) -> None:
        """Close the modal, then do what it asked as the person who submitted it."""
        await ack(response_action="clear")
        user = body["user"]["id"]
        actor = await self.people.name(user)
        action = StaffAction(kind, str(metadata.get("reference", "")), actor, **fields)
        event = f"view:{view['id']}:{view.get('hash', '')}"
        await self.act(action, user, metadata.get("channel"), event, CHANNEL)

    async def _act_on_press(
        self, body: dict[str, Any], kind: StaffActionKind, reference: str, **fields: Any
    ) -> None:
        """Do what a button or select on a card asked, as the person who pressed it."""
        user, channel, stamp = self._where(body)
        actor = await self.people.name(user)
        if fields.pop("assign_to_actor", False):
            fields["assignee"] = actor
        action = StaffAction(kind, reference, actor, **fields)
        await self.act(action, user, channel, f"{user}:{stamp}", CHANNEL)

    async def _missing_text(self, ack: Ack, text: str) -> bool:
        """Answer an empty text box with Slack's inline error; True when it was empty."""
        if text:
            return False
        await ack(response_action="errors", errors={"text": self.say("staff/slack_text_needed")})
        return True

    async def _grade_of(self, reference: str) -> tuple[str, str]:
        """A case's severity and category now (shown first in the Re-grade modal)."""
        async with self.app.sessions() as session:
            try:
                case = await find_case(session, reference, self.app.settings.reference_prefix)
            except CaseNotFound:
                return SEVERITIES[0], self.app.intake.rules.default_category
            return case.severity, case.category

    async def _reply_preview(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, values = submitted(view)
        text = str(values.get("text") or "").strip()
        awaiting = bool(values.get("await_customer"))
        if await self._missing_text(ack, text):
            return
        await self._show_preview(ack, body["user"]["id"], metadata, text, awaiting)

    async def _show_preview(
        self, ack: Ack, user: str, metadata: dict[str, Any], text: str, awaiting: bool
    ) -> None:
        """Answer with the preview, or with why there is none (no such case, not yours)."""
        case = await self.case_for(user, str(metadata.get("reference", "")))
        if isinstance(case, str):
            await ack(response_action="errors", errors={"text": case})
            return
        customer = await customer_renderer(self.app, case)
        view = self._preview(case, customer, metadata, text, awaiting)
        await ack(response_action="update", view=view)

    def _preview(
        self,
        case: Case,
        customer: Renderer,
        metadata: dict[str, Any],
        text: str,
        awaiting: bool,
    ) -> dict[str, Any]:
        """The confirmation modal: exactly what the customer will receive, on their channel."""
        reference, channel = case.reference, case.channel
        context = {"reference": reference, "text": text, "awaiting": awaiting}
        # In the customer's language: staff see the very message that will be sent.
        rendered = customer.render("customer/staff_reply", context, channel)
        confirmed = {**metadata, "digest": digest(reference, text, awaiting)}
        return self.app.renderer.view(
            "staff/slack_reply_preview",
            {
                "reference": reference,
                "channel": channel,
                "preview_parts": pieces(rendered.text),
                "subject": rendered.subject,
                "text": raw(text),
                "awaiting": awaiting,
                "metadata": raw(json.dumps(confirmed)),
                "limit": MAX_INPUT,
            },
        )

    async def _reply_send(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, values = submitted(view)
        text = str(values.get("text") or "").strip()
        awaiting = bool(values.get("await_customer"))
        reference = str(metadata.get("reference", ""))
        if await self._missing_text(ack, text):
            return
        if digest(reference, text, awaiting) != metadata.get("digest"):
            # Edited after the preview: show the new preview; nothing is sent unseen.
            await self._show_preview(ack, body["user"]["id"], metadata, text, awaiting)
            return
        await self.act_on_view(
            ack, body, view, metadata, K.REPLY, text=text, await_customer=awaiting
        )

    async def _note(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, values = submitted(view)
        text = str(values.get("text") or "").strip()
        if await self._missing_text(ack, text):
            return
        await self.act_on_view(ack, body, view, metadata, K.NOTE, text=text)

    async def _resolve(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, values = submitted(view)
        text = str(values.get("text") or "").strip()
        cause = values.get("root_cause")
        errors = {}
        if not text:
            errors["text"] = self.say("staff/slack_text_needed")
        if not cause:
            errors["root_cause"] = self.say("staff/slack_cause_needed")
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        await self.act_on_view(
            ack,
            body,
            view,
            metadata,
            K.STATUS,
            text=text,
            status=CaseStatus.RESOLVED,
            root_cause=str(cause),
        )

    async def _grade(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, values = submitted(view)
        text = str(values.get("text") or "").strip()
        if await self._missing_text(ack, text):
            return
        await self.act_on_view(
            ack,
            body,
            view,
            metadata,
            K.GRADE,
            text=text,
            severity=str(values.get("severity") or "") or None,
            category=str(values.get("category") or "") or None,
        )

    async def _thread_message(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A message typed in a card's thread is an internal note, never sent to the customer."""
        thread = event.get("thread_ts")
        if not thread or thread == event.get("ts") or event.get("bot_id"):
            return
        if event.get("subtype") not in (None, "file_share", "thread_broadcast"):
            return  # edits, deletions, joins: not something a person said about the case
        channel, user = str(event.get("channel", "")), str(event.get("user", ""))
        case = await card_of(self.app, CHANNEL, message_id(channel, str(thread)))
        if case is None or not user:
            return
        files = [
            f"{item.get('name') or item.get('title') or 'file'} {item.get('permalink') or ''}"
            for item in event.get("files") or []
        ]
        text = "\n".join(part for part in [unescape(str(event.get("text") or "")), *files] if part)
        if not text.strip():
            return
        actor = await self.people.name(user)
        staff_action = StaffAction(K.NOTE, case.reference, actor, text=text[:MAX_STAFF_TEXT])
        event_id = str(body.get("event_id") or f"{channel}:{event.get('ts')}")
        await self.act(staff_action, user, channel, event_id, THREAD_CHANNEL)
