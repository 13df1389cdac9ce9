"""Template names the code uses, and a realistic context that renders every template."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from bot.reports.figures import Durations, Figures
from bot.reports.review import Review
from bot.services.audit import Finding, Verification
from bot.services.erasure import Erasure
from bot.services.improvement import ActionProgress
from bot.settings import PROJECT_ROOT
from bot.storage.models import AuditAnchor, ImprovementAction
from workflows.lifecycle import CUSTOMER_ANNOUNCED
from workflows.timer_kinds import SLA_KINDS

CODE = [
    *PROJECT_ROOT.joinpath("workflows").glob("*.py"),
    *PROJECT_ROOT.joinpath("bot").rglob("*.py"),
]


def names_in_code() -> set[str]:
    """Template names written as literals in the code, plus the ones built from enums."""
    found: set[str] = set()
    for path in CODE:
        found |= set(re.findall(r'"((?:customer|staff|cli|report)/[a-z_]+)"', path.read_text()))
    found |= {f"customer/status_{status.value}" for status in CUSTOMER_ANNOUNCED}
    found |= {f"staff/{kind}" for kind in SLA_KINDS}
    found |= {
        f"customer/ask_{field}"
        for field in ("description", "product", "when", "outcome", "name", "contact", "consent")
    }
    return found


REALISTIC = {
    "reference": "CB-K7M3-XD9A",
    "due_at": datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
    "opened_at": datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
    "category": "delivery",
    "severity": "normal",
    "channel": "console",
    "customer_name": "Alice",
    "name": "Alice",
    "description": "My parcel never arrived",
    "product": "order A12345",
    "outcome": "refund",
    "reasons": [
        {"kind": "severity", "rule": "injury", "level": "critical", "words": "burnt"},
        {
            "kind": "severity",
            "rule": "injury",
            "level": "critical",
            "words": "injurd",
            "note": "read as 'injured'",
        },
        {
            "kind": "ignored",
            "rule": "legal action",
            "level": "high",
            "words": "lawyer",
            "note": "negated",
        },
        {"kind": "category", "rule": "delivery", "level": "delivery", "words": "parcel"},
    ],
    "queue": "complaints-urgent",
    "from_queue": "complaints",
    "from_severity": "normal",
    "from_category": "delivery",
    "respond_hours": 24,
    "lexicon": "en",
    "language": "fr",
    "chosen": False,
    "offered": ["en", "fr", "de", "es"],
    "note": "Customer mentioned burns on the phone",
    "actor": "maria",
    "severities": ["normal", "high", "critical"],
    "categories": ["delivery", "billing", "product", "service", "privacy", "general"],
    "retry": True,
    "optional": True,
    "several_days": True,
    "collecting": True,
    "drafting": True,
    "limit": 5000,
    "longest": 60,
    "length": 100000,
    "text": "Please send a photo",
    "awaiting": True,
    "status": "investigating",
    "message": "We asked the courier",
    "assignee": "bob",
    "truncated": False,
    "current": "acknowledged",
    "target": "closed",
    "allowed": ["assessed", "investigating"],
    "action": "reply",
    "messages": 1,
    "mistyped": True,
    "command": "/foo",
    "kind": "OperationalError",
    "detail": "database is locked",
    "fields": ["product", "when"],
    "questions": [
        {"number": 1, "field": "product", "choices": []},
        {"number": 2, "field": "outcome", "choices": ["outcome.refund", "outcome.repair"]},
    ],
    "host": "127.0.0.1",
    "port": 8080,
    "reason": "Address already in use",
    "problem": "attempt to write a readonly database",
    "first": "A",
    "last": "C",
    "about": "My parcel never arrived and the courier says it was delivered",
    "items": [
        {"letter": "A", "field": "description", "value": "It broke", "label": None},
        {"letter": "B", "field": "when", "value": date(2026, 11, 20).isoformat(), "label": None},
        {"letter": "C", "field": "outcome", "value": None, "label": "outcome.refund"},
    ],
    "cases": [
        {
            "reference": "CB-K7M3-XD9A",
            "status": "acknowledged",
            "opened_at": datetime(2026, 11, 22, tzinfo=UTC),
            "due_at": datetime(2026, 12, 2, tzinfo=UTC),
        }
    ],
}
REALISTIC |= {
    "remedy": "refund",
    "remedies": ["refund", "replacement", "repair", "explanation", "apology", "other"],
    "amount": "£20.00",
    "decision": "rejected",
    "asked_why": True,
    "score": 4,
    "cause": "gremlins",
    "causes": ["delivery", "product_fault"],
    "body": "OVERDUE: CB-K7M3-XD9A passed its response target",
    "oncall": "S0ONCALL1",
    "data": {"to": "Bea (slack:U0BEA1234)", "note": "chased the courier"},
    "to_status": "investigating",
    "card": {
        "reference": "CB-K7M3-XD9A",
        "status": "investigating",
        "severity": "critical",
        "category": "product",
        "queue": "complaints-urgent",
        "channel": "sms",
        "assignee": "Bea (slack:U0BEA1234)",
        "due_at": datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
        "hours_left": -3,
        "customer_name": "Alice",
        "product": "Kettle K200",
        "outcome": "refund",
        "outcome_detail": "compensation for the day off work",
        "summary": "The kettle base sparked\nand tripped the fuses",
        "truncated": True,
        "open": True,
        "allowed": ["awaiting_customer", "escalated", "resolved"],
        "can_escalate": True,
        "can_resolve": True,
        "can_respond": True,
        "as_of": datetime(2026, 12, 2, 12, 30, tzinfo=UTC),
        "reasons": [
            {
                "kind": "severity",
                "rule": "electrical hazard",
                "level": "critical",
                "words": "sparked",
            },
            {"kind": "category", "rule": "product", "level": "product", "words": "kettle"},
        ],
    },
}
SLACK_ROW = {
    "reference": "CB-K7M3-XD9A",
    "status": "investigating",
    "severity": "high",
    "queue": "complaints",
    "assignee": "Bea (slack:U0BEA1234)",
    "due_at": datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
    "overdue": True,
    "link": "https://example.slack.com/archives/C0QUEUE01/p1700000000000100",
}
REALISTIC |= {
    "by": "Bea (slack:U0BEA1234)",
    "which": "overdue",
    "visible": True,
    "unknown": "frobnicate",
    "typed": "CB-K7M3-XD9B",
    "summary": "The kettle base sparked",
    "preview_parts": ["About your complaint CB-K7M3-XD9A:\nWe have refunded you."],
    "value": '{"reference": "CB-K7M3-XD9A", "text": "We have refunded you."}',
    "subject": "Your complaint CB-K7M3-XD9A",
    "metadata": '{"reference": "CB-K7M3-XD9A", "channel": "C0QUEUE01"}',
    "mine": [SLACK_ROW],
    "overdue": [SLACK_ROW],
    "case": SLACK_ROW,
    "unfiled": [
        {
            "received_at": datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
            "channel": "email",
            "address": "noreply@example.com",
            "flags": ["automated"],
            "subject": "Out of office",
            "text": "I am away <!channel>",
        }
    ],
}
# `complaintbot audit`: a trail with one of each problem, an anchor, an export.
REALISTIC |= {
    "result": Verification(
        cases=2,
        events=11,
        anchors=1,
        findings=[
            Finding("changed", "CB-K7M3-XD9A", 4, 17, "note"),
            Finding("removed", "CB-K7M3-XD9A", 2, 15, "status", count=1),
            Finding("inserted", "CB-K7M3-XD9A", 5, 21, "note"),
            Finding("seal", "CB-K7M3-XD9A", 6, 22, "note"),
            Finding("unsealed", "CB-K7M3-XD9A", 7, 23, "note"),
            Finding("orphaned", None, None, 31, "received", count=4),
            Finding("anchor_missing", event_id=40, count=3),
            Finding("legacy_reset", event_id=12),
            Finding(
                "anchor",
                event_id=20,
                count=20,
                now=19,
                first_event_id=1,
                anchored_at=datetime(2026, 11, 22, 9, 30, tzinfo=UTC),
            ),
        ],
    ),
    "anchor": AuditAnchor(id=2, up_to_event_id=20, events=20, digest="9f" * 32),
    "settle_minutes": 5,
    "events": 11,
    "intact": False,
    "path": "CB-K7M3-XD9A.json",
}
# `complaintbot customer`: an export written, an erasure done, an address nobody wrote from.
REALISTIC |= {
    "erased": Erasure(identities=2, cases=1, messages=4, attachments=1, outbound=6, events=5),
    "folder": "export-20261201-101500",
    "case_count": 1,
    "message_count": 4,
    "attachment_count": 1,
    "address": "ana@example.org",
}
# `complaintbot improve`: an action done, with its effect; an unknown root cause.
_ACTION = ImprovementAction(
    id=3,
    root_cause="delivery",
    what="Move to a courier who photographs each delivery",
    owner="Dee",
    due_on=date(2026, 12, 15),
    status="done",
)
REALISTIC |= {
    "improvement": _ACTION,
    "actions": [ActionProgress(_ACTION, False, before=12, after=4, days=30)],
    "cause": "gremlins",
    "causes": ["product_fault", "delivery"],
    "number": 99,
}
# The weekly review's notice to staff.
_WEEK = Figures(
    start=datetime(2026, 11, 23, tzinfo=UTC),
    end=datetime(2026, 11, 30, tzinfo=UTC),
    received=42,
    resolved=30,
    resolution=Durations(30, 151200.0, 604800.0),
    satisfaction={4: 10, 5: 6},
)
REALISTIC |= {
    "review": Review(
        "Example Ltd",
        None,
        datetime(2026, 11, 30, 8, 0, tzinfo=UTC),
        date(2026, 11, 23),
        date(2026, 11, 29),
        _WEEK,
        Figures(start=datetime(2026, 11, 16, tzinfo=UTC), end=datetime(2026, 11, 23, tzinfo=UTC)),
        {"investigating": {"0-2 days": 3}},
        [],
    ),
    "this_week": _WEEK,
    "week_before": Figures(
        start=datetime(2026, 11, 16, tzinfo=UTC), end=datetime(2026, 11, 23, tzinfo=UTC)
    ),
    "open_count": 3,
}
