"""Delivery reports from providers (SMS status callbacks, email bounces) on outbound messages."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.app import App
from bot.storage.models import CaseEvent, EarlyReport, Outbox

log = logging.getLogger(__name__)
# Provider statuses after which nothing more will happen to a message.
FAILED = frozenset({"undelivered", "failed"})
# Twilio's word for a message it dropped before sending: for staff, a failure.
CANCELLED = frozenset({"canceled", "cancelled"})
# How far along a message is; a report never moves it back.
_ORDER = (
    "accepted",
    "queued",
    "scheduled",
    "sending",
    "sent",
    "delayed",
    "receiving",
    "received",
    "delivered",
    "read",
    "undelivered",
    "failed",
)


def _rank(status: str | None) -> int:
    return _ORDER.index(status) if status in _ORDER else -1


def mark_failed(
    session: AsyncSession, row: Outbox, reason: str, now: datetime, **extra: object
) -> None:
    """Mark an outbound message failed; on a case, staff see it as an event."""
    row.status = "failed"
    row.last_error = reason[:2000]
    if row.case_id is not None:
        session.add(
            CaseEvent(
                case_id=row.case_id,
                kind="delivery_failed",
                actor="system",
                channel=row.channel,
                created_at=now,
                data={
                    "outbox_id": row.id,
                    "template": row.template,
                    "reason": row.last_error,
                    **extra,
                },
            )
        )


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A provider's word on one message we sent, by the id the provider gave it."""

    channel: str
    provider_id: str
    status: str
    error: str | None = None
    # Who the report is about (email bounces): it must be who we sent to.
    recipients: tuple[str, ...] = ()


async def record_delivery(app: App, report: DeliveryReport, *, may_be_early: bool = False) -> bool:
    """Record a report on its outbox row; a failure becomes an event staff see on the case.

    Returns False when no message of ours has that id. With ``may_be_early`` (a provider that
    can report before we have stored its answer to our send), such a report is kept and
    applied when the send is recorded.
    """
    async with app.transaction() as session:
        row = await session.scalar(
            select(Outbox).where(
                Outbox.channel == report.channel, Outbox.provider_id == report.provider_id
            )
        )
        if row is None:
            log.info(
                "delivery report for unknown %s message %s", report.channel, report.provider_id
            )
            if may_be_early:
                session.add(
                    EarlyReport(
                        channel=report.channel,
                        provider_id=report.provider_id[:255],
                        status=report.status[:32],
                        error=report.error,
                        created_at=app.clock(),
                    )
                )
            return False
        return apply_report(session, row, report, app.clock())


def apply_report(session: AsyncSession, row: Outbox, report: DeliveryReport, now: datetime) -> bool:
    """Apply one report to its row: statuses only move forward, and a failure stays."""
    if report.recipients and row.address.lower() not in {
        recipient.lower() for recipient in report.recipients
    }:
        # Anyone who saw one of our Message-IDs could otherwise mark it failed.
        log.warning(
            "a delivery report about %s names other recipients; ignored", report.provider_id
        )
        return False
    status = "failed" if report.status in CANCELLED else report.status
    if _rank(status) < _rank(row.delivery_status) or row.delivery_status in FAILED:
        return True  # reports arrive out of order; a later word stands, a failure stays
    if row.delivery_status == status:
        return True  # the same report again
    row.delivery_status = status
    if status in FAILED:
        mark_failed(session, row, report.error or report.status, now, status=status)
    return True


async def has_early_reports(session: AsyncSession, channel: str, provider_id: str) -> bool:
    """Whether a provider reported on this message before its send was recorded."""
    connection = await session.connection()  # a plain query: asked for every message sent
    found = await connection.scalar(
        select(EarlyReport.id)
        .where(EarlyReport.channel == channel, EarlyReport.provider_id == provider_id)
        .limit(1)
    )
    return found is not None


async def apply_early_reports(session: AsyncSession, row: Outbox, now: datetime) -> None:
    """Apply reports that arrived before the row's provider id was recorded, then drop them."""
    early = (
        await session.scalars(
            select(EarlyReport)
            .where(EarlyReport.channel == row.channel, EarlyReport.provider_id == row.provider_id)
            .order_by(EarlyReport.id)
        )
    ).all()
    for report in early:
        apply_report(
            session,
            row,
            DeliveryReport(report.channel, report.provider_id, report.status, report.error),
            now,
        )
        await session.delete(report)
