"""The Respond button on a case card: the response and remedy the customer accepts or rejects."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_bolt.async_app import AsyncApp

from bot.slack.text import submitted
from workflows.staff import StaffActionKind

if TYPE_CHECKING:
    from bot.slack.console import Ack, Console


class Responding:
    """Opens the Respond modal and sends what it holds through the same staff action as the CLI."""

    def __init__(self, console: Console) -> None:
        self.console = console

    def register(self, bolt: AsyncApp) -> None:
        """Attach the listeners."""
        bolt.action("case_respond")(self.console.open_modal("staff/slack_respond_modal"))
        bolt.view("respond")(self._respond)

    async def _respond(self, ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata, values = submitted(view)
        text = str(values.get("text") or "").strip()
        remedy = values.get("remedy")
        errors = {}
        if not text:
            errors["text"] = self.console.say("staff/slack_text_needed")
        if not remedy:
            errors["remedy"] = self.console.say("staff/slack_remedy_needed")
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        amount = str(values.get("amount") or "").strip() or None
        await self.console.act_on_view(
            ack,
            body,
            view,
            metadata,
            StaffActionKind.RESPOND,
            text=text,
            remedy=str(remedy),
            amount=amount,
        )
