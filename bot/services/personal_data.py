"""Everything held about a person, for a subject access request (erasure.py erases it).

``export_person`` gathers the person's identities, the messages they sent (raw bytes and
attachments included), their cases with each case's history, and what was sent to them.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import phonenumbers
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.app import App
from bot.storage.models import (
    AttachmentRow,
    Case,
    CaseEvent,
    Customer,
    Identity,
    MessageIn,
    Outbox,
)

ERASED = "[erased]"


class PersonNotFound(LookupError):
    """No identity has that address."""


def address_forms(address: str) -> set[str]:
    """The ways an address may be stored: as typed, lower case, a phone number in E.164."""
    typed = address.strip()
    forms = {typed, typed.lower()}
    if typed.startswith("+"):
        try:
            number = phonenumbers.parse(typed, None)
        except phonenumbers.NumberParseException:
            return forms
        forms.add(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    return forms


async def person(session: AsyncSession, address: str) -> tuple[list[Identity], list[Case]]:
    """Every identity of the customer behind ``address``, and all their cases."""
    found = (
        await session.scalars(select(Identity).where(Identity.address.in_(address_forms(address))))
    ).all()
    if not found:
        raise PersonNotFound(address)
    customers = {identity.customer_id for identity in found}
    identities = (
        await session.scalars(
            select(Identity).where(Identity.customer_id.in_(customers)).order_by(Identity.id)
        )
    ).all()
    cases = (
        await session.scalars(select(Case).where(Case.customer_id.in_(customers)).order_by(Case.id))
    ).all()
    return list(identities), list(cases)


async def export_person(app: App, address: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Everything held about the person behind ``address``; and their attachments by name."""
    async with app.sessions() as session:
        identities, cases = await person(session, address)
        ids = [identity.id for identity in identities]
        case_ids = [case.id for case in cases]
        customers = (
            await session.scalars(
                select(Customer).where(Customer.id.in_({i.customer_id for i in identities}))
            )
        ).all()
        messages = (
            await session.scalars(
                select(MessageIn).where(MessageIn.identity_id.in_(ids)).order_by(MessageIn.id)
            )
        ).all()
        attachments = (
            await session.scalars(
                select(AttachmentRow).where(
                    AttachmentRow.message_id.in_([message.id for message in messages])
                )
            )
        ).all()
        outbound = (
            await session.scalars(
                select(Outbox)
                .where(
                    (Outbox.case_id.in_(case_ids) & (Outbox.audience == "customer"))
                    | Outbox.address.in_([identity.address for identity in identities])
                )
                .order_by(Outbox.id)
            )
        ).all()
        events = (
            await session.scalars(
                select(CaseEvent).where(CaseEvent.case_id.in_(case_ids)).order_by(CaseEvent.id)
            )
        ).all()
    files = {f"{row.id}-{_safe(row.filename)}": row.content for row in attachments if row.content}
    held = {
        "exported_at": app.clock().isoformat(),
        "people": [
            _columns(customer, ("id", "name", "contact", "consented_at", "created_at"))
            for customer in customers
        ],
        "identities": [
            _columns(
                identity,
                (
                    "id",
                    "channel",
                    "address",
                    "display_name",
                    "language",
                    "opted_out_at",
                    "created_at",
                ),
            )
            for identity in identities
        ],
        "cases": [
            {
                **_columns(case, _CASE_COLUMNS),
                "history": [
                    _columns(
                        event,
                        (
                            "kind",
                            "from_status",
                            "to_status",
                            "actor",
                            "channel",
                            "data",
                            "created_at",
                        ),
                    )
                    for event in events
                    if event.case_id == case.id
                ],
            }
            for case in cases
        ],
        "messages_from_them": [
            {
                **_columns(message, ("id", "channel", "subject", "text", "flags", "received_at")),
                "case": _reference(cases, message.case_id),
                "raw_base64": base64.b64encode(message.raw).decode("ascii"),
                "attachments": [
                    {
                        **_columns(row, ("filename", "content_type", "size", "url")),
                        "file": f"attachments/{row.id}-{_safe(row.filename)}"
                        if row.content
                        else None,
                    }
                    for row in attachments
                    if row.message_id == message.id
                ],
            }
            for message in messages
        ],
        "messages_to_them": [
            {
                **_columns(
                    row,
                    ("channel", "address", "subject", "text", "status", "created_at", "sent_at"),
                ),
                "case": _reference(cases, row.case_id),
            }
            for row in outbound
        ],
    }
    return held, {name: content for name, content in files.items() if content is not None}


_CASE_COLUMNS = (
    "reference",
    "channel",
    "status",
    "category",
    "severity",
    "description",
    "product",
    "occurred_on",
    "occurred_text",
    "outcome",
    "outcome_detail",
    "customer_name",
    "contact",
    "remedy",
    "remedy_amount",
    "customer_decision",
    "satisfaction",
    "opened_at",
    "resolved_at",
)


def _columns(row: object, names: Sequence[str]) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in names}
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in values.items()}


def _reference(cases: Sequence[Case], case_id: int | None) -> str | None:
    return next((case.reference for case in cases if case.id == case_id), None)


def _safe(filename: str) -> str:
    """A file name that stays inside the export folder."""
    kept = "".join(c if c.isalnum() or c in "._-" else "_" for c in filename).lstrip(".")
    return kept[:100] or "attachment"
