"""Helpers to talk to the service as a customer would, and read what it would send back."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from bot.services.app import App
from bot.services.intake import IntakeResult, handle_inbound
from bot.services.staff import handle_staff_action
from bot.storage.models import Outbox
from channels.base import Attachment, InboundMessage
from workflows.staff import StaffAction, StaffActionKind


def message(
    app: App,
    text: str,
    address: str = "alice",
    channel: str = "console",
    provider_id: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    lasting_address: bool = False,
    display_name: str | None = None,
) -> InboundMessage:
    return InboundMessage(
        channel=channel,
        address=address,
        provider_id=provider_id or str(uuid.uuid4()),
        text=text,
        received_at=app.clock(),
        display_name=display_name or address,
        raw=text.encode("utf-8", errors="surrogatepass"),
        attachments=attachments,
        lasting_address=lasting_address,
    )


async def outbox_rows(app: App, ids: list[int]) -> list[Outbox]:
    async with app.sessions() as session:
        rows = (await session.scalars(select(Outbox).where(Outbox.id.in_(ids)))).all()
        return sorted(rows, key=lambda row: row.id)


async def say(app: App, text: str, address: str = "alice", **kwargs: object) -> list[Outbox]:
    """Send one message; return the outbox rows it produced (customer and staff)."""
    result = await handle_inbound(app, message(app, text, address, **kwargs))  # type: ignore[arg-type]
    return await outbox_rows(app, result.outbox_ids)


async def send(app: App, text: str, address: str = "alice", **kwargs: object) -> IntakeResult:
    return await handle_inbound(app, message(app, text, address, **kwargs))  # type: ignore[arg-type]


def customer_text(rows: list[Outbox]) -> str:
    return "\n".join(row.text for row in rows if row.audience == "customer")


ANSWERS = {
    "customer/ask_product": "A12345",
    "customer/ask_when": "yesterday",
    "customer/ask_outcome": "refund",
    "customer/ask_name": "Alex Doe",
    "customer/ask_consent": "yes",
    "customer/summary": "yes",
}


async def register_complaint(app: App, address: str = "alice") -> str:
    """Walk a customer through a whole complaint, answering what is asked; return its reference."""
    opening = "My parcel never arrived yesterday although the courier says delivered, order #A12345"
    rows = await say(app, opening, address)
    for _ in range(10):
        acknowledgement = [row for row in rows if row.template == "customer/acknowledgement"]
        if acknowledgement:
            assert acknowledgement[0].case_id is not None
            return acknowledgement[0].text.split("Your reference is ")[1].split(".")[0]
        asked = [row.template for row in rows if row.audience == "customer"][-1]
        answer = ANSWERS.get(asked, f"{address}@example.com")
        rows = await say(app, answer, address)
    raise AssertionError("the complaint was never registered")


async def staff_action(app: App, reference: str, kind: StaffActionKind, **fields: object) -> None:
    """Carol, on the command line, acts on a case; the action must be taken."""
    action = StaffAction(kind=kind, reference=reference, actor="carol", **fields)  # type: ignore[arg-type]
    result = await handle_staff_action(app, action, "cli")
    assert result.ok, result.refusals
