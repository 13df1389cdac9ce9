"""Writing what a decision says about a case's own columns (details, aftercare facts)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.storage.models import Case, Customer
from workflows.effects import AFTERCARE_FACTS

# Case columns a customer's later details may fill.
UPDATABLE = frozenset(
    {
        "description",
        "product",
        "occurred_on",
        "occurred_text",
        "outcome",
        "outcome_detail",
        "customer_name",
        "contact",
    }
)


async def update_details(
    session: AsyncSession, case: Case, details: Mapping[str, object], now: datetime
) -> dict[str, object]:
    """Fill the details a customer gave after registration; return what changed, for the event."""
    changed: dict[str, object] = {}
    for name, value in details.items():
        if name == "consent":
            continue
        if name not in UPDATABLE:
            raise ValueError(f"UpdateCase cannot set {name!r}")
        setattr(case, name, value)
        changed[name] = value.isoformat() if isinstance(value, date) else value
    customer = await session.get_one(Customer, case.customer_id)
    if details.get("consent") is True and customer.consented_at is None:
        customer.consented_at = now
        changed["consent"] = True
    if case.customer_name:
        customer.name = case.customer_name
    case.updated_at = now
    return changed


def mark_case(case: Case, facts: Mapping[str, object], now: datetime) -> None:
    """Set the aftercare facts (remedy, decision, score, new target) a decision gives."""
    for name, value in facts.items():
        if name not in AFTERCARE_FACTS:
            raise ValueError(f"MarkCase cannot set {name!r}")
        setattr(case, name, value)
    case.updated_at = now
