"""A case's full history for an auditor: the case, every event with its seal, its messages."""

from __future__ import annotations

from typing import Any

from bot.services.app import App
from bot.services.audit import verify_case
from bot.services.queries import case_file


async def export_case(app: App, reference: str) -> dict[str, Any]:
    """The case, every event with its place, digest and chain, messages in and out."""
    found = await case_file(app, reference)
    checked = await verify_case(app, found.case.id)
    case = found.case
    return {
        "reference": case.reference,
        "channel": case.channel,
        "status": case.status,
        "severity": case.severity,
        "category": case.category,
        "queue": case.queue,
        "opened_at": case.opened_at.isoformat(),
        "chain_intact": not checked,
        "findings": [
            {"problem": f.problem, "place": f.position, "event_id": f.event_id, "kind": f.kind}
            for f in checked
        ],
        "events": [
            {
                "id": event.id,
                "place": event.seq,
                "kind": event.kind,
                "from_status": event.from_status,
                "to_status": event.to_status,
                "actor": event.actor,
                "channel": event.channel,
                "data": event.data,
                "at": event.created_at.isoformat(),
                "digest": event.digest,
                "chain": event.chain,
            }
            for event in found.events
        ],
        "messages_in": [
            {
                "id": message.id,
                "channel": message.channel,
                "received_at": message.received_at.isoformat(),
                "subject": message.subject,
                "text": message.text,
                "flags": message.flags,
            }
            for message in found.messages
        ],
        "messages_out": [
            {
                "id": row.id,
                "audience": row.audience,
                "channel": row.channel,
                "template": row.template,
                "text": row.text,
                "status": row.status,
                "created_at": row.created_at.isoformat(),
            }
            for row in found.outbox
        ],
    }
