"""Every template the code asks for exists, renders with real values, and escapes HTML."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.rendering import Renderer, TemplateMissing
from bot.settings import PROJECT_ROOT
from workflows.lifecycle import CUSTOMER_ANNOUNCED
from workflows.timer_kinds import SLA_KINDS

TEMPLATES = PROJECT_ROOT / "templates"
CODE = [
    *PROJECT_ROOT.joinpath("workflows").glob("*.py"),
    *PROJECT_ROOT.joinpath("bot").rglob("*.py"),
]


def names_in_code() -> set[str]:
    """Template names written as literals in the code, plus the ones built from enums."""
    found: set[str] = set()
    for path in CODE:
        found |= set(re.findall(r'"((?:customer|staff|cli)/[a-z_]+)"', path.read_text()))
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
    "note": "Customer mentioned burns on the phone",
    "actor": "maria",
    "severities": ["normal", "high", "critical"],
    "categories": ["delivery", "billing", "product", "service", "privacy", "general"],
    "retry": True,
    "optional": True,
    "collecting": True,
    "limit": 5000,
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
CLI_ONLY = {"cli/case_list", "cli/case_show", "cli/serve_banner", "cli/inbox"}
# Written for the Slack staff console only (Block Kit, mentions, the case's thread).
SLACK_VIEWS = {
    "staff/slack_reply_modal",
    "staff/slack_reply_preview",
    "staff/slack_note_modal",
    "staff/slack_resolve_modal",
    "staff/slack_respond_modal",
    "staff/slack_home",
    "staff/slack_grade_modal",
}
SLACK_ONLY = {
    "staff/case_card",
    "staff/escalation",
    "staff/case_event",
    "staff/sent_to_customer",
    *(name for name in names_in_code() if name.startswith("staff/slack_")),
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


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(TEMPLATES, "en", "Example Ltd")


@pytest.mark.parametrize("name", sorted(names_in_code() - CLI_ONLY - SLACK_ONLY))
def test_every_template_the_code_names_renders(renderer: Renderer, name: str) -> None:
    rendered = renderer.render(name, REALISTIC, "console")
    assert rendered.text.strip()
    assert "{{" not in rendered.text
    assert "{%" not in rendered.text


def test_no_template_is_left_unused(renderer: Renderer) -> None:
    unused = set(renderer.template_names()) - names_in_code()
    assert not unused, f"templates nothing renders: {sorted(unused)}"


def test_a_summary_shows_dates_and_labels_as_people_read_them(renderer: Renderer) -> None:
    text = renderer.render("customer/summary", REALISTIC, "console").text
    assert "When: 20 November 2026" in text
    assert "What you want: A refund" in text


def test_a_missing_template_or_label_is_a_clear_error(renderer: Renderer) -> None:
    with pytest.raises(TemplateMissing, match="customer/nope"):
        renderer.render("customer/nope", {}, "console")
    with pytest.raises(TemplateMissing, match=r"outcome\.bribe"):
        renderer.label("outcome.bribe")


def test_a_missing_variable_fails_instead_of_printing_nothing(renderer: Renderer) -> None:
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        renderer.render("customer/acknowledgement", {"reference": "CB-1"}, "console")


def test_channel_formats_win_over_plain_text_and_html_is_escaped(tmp_path: Path) -> None:
    (tmp_path / "en" / "customer").mkdir(parents=True)
    (tmp_path / "en" / "labels.toml").write_text("")
    (tmp_path / "en" / "customer" / "hi.text.j2").write_text("plain {{ text }}")
    (tmp_path / "en" / "customer" / "hi.sms.j2").write_text("sms {{ text }}")
    (tmp_path / "en" / "customer" / "hi.email.j2").write_text(
        "{% set subject = 'About ' ~ text %}mail {{ text }}"
    )
    (tmp_path / "en" / "customer" / "hi.email.html.j2").write_text("<p>{{ text }}</p>")
    renderer = Renderer(tmp_path, "en", "Example Ltd")
    hostile = "<script>alert(1)</script>"
    assert renderer.render("customer/hi", {"text": "x"}, "sms").text == "sms x"
    assert renderer.render("customer/hi", {"text": "x"}, "telegram").text == "plain x"
    email = renderer.render("customer/hi", {"text": hostile}, "email")
    assert email.subject == f"About {hostile}"
    assert email.html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


@pytest.mark.parametrize("channel", ["staff-feed", "cli", "console"])
def test_customer_text_cannot_drive_a_staff_terminal(renderer: Renderer, channel: str) -> None:
    hostile = "clear\x1b[2J title\x1b]0;owned\x07 flip\u202egnp.exe"
    context = {**REALISTIC, "text": hostile, "reference": "CB-K7M3-XD9A"}
    text = renderer.render("staff/customer_message", context, channel).text
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "\u202e" not in text
    assert "\\x1b[2J" in text, "shown, not hidden: staff can see something odd was sent"
    # Email and SMS are not terminals: their text is left as written.
    assert "\x1b" in renderer.render("staff/customer_message", context, "sms").text


def test_the_example_reference_customers_are_shown_is_a_valid_one(tmp_path: Path) -> None:
    from workflows.references import ReferenceCheck, parse_reference

    for prefix in ("CB", "ACME"):
        renderer = Renderer(TEMPLATES, "en", "Example Ltd", prefix)
        text = renderer.render("customer/reference_mistyped", {}, "sms").text
        example = re.search(rf"{prefix}-\S+?(?=;)", text)
        assert example, text
        assert parse_reference(example.group(0), prefix).check is ReferenceCheck.VALID


def test_dates_and_times_are_shown_in_the_organisations_timezone() -> None:
    from zoneinfo import ZoneInfo

    renderer = Renderer(TEMPLATES, "en", "Example Ltd", "CB", ZoneInfo("Europe/London"))
    late_evening_utc = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)
    assert renderer.day(late_evening_utc) == "1 July 2026"
    assert renderer.when(late_evening_utc) == "1 July 2026 00:30 BST"
    assert renderer.when(datetime(2026, 12, 2, 9, 5, tzinfo=UTC)) == "2 December 2026 09:05 GMT"


@pytest.mark.parametrize(
    "name", sorted(SLACK_ONLY - SLACK_VIEWS | {"staff/new_case", "staff/customer_message"})
)
def test_every_staff_template_renders_for_slack(renderer: Renderer, name: str) -> None:
    rendered = renderer.render(name, {**REALISTIC, "cases": [SLACK_ROW]}, "slack")
    assert rendered.text.strip()
    assert "{{" not in rendered.text


@pytest.mark.parametrize("name", sorted(SLACK_VIEWS))
@pytest.mark.parametrize("empty", [False, True])
def test_every_slack_view_is_a_view_slack_accepts(
    renderer: Renderer, name: str, empty: bool
) -> None:
    values = {**REALISTIC, "mine": [], "overdue": []} if empty else REALISTIC
    view = renderer.view(name, values)
    assert view["type"] in ("modal", "home")
    assert view["blocks"]
    if view["type"] == "modal":
        assert len(view["title"]["text"]) <= 24  # Slack's limit for a modal title
        assert json.loads(view["private_metadata"])["reference"] == "CB-K7M3-XD9A"


def test_the_case_card_is_block_kit_with_only_the_actions_allowed_now(renderer: Renderer) -> None:
    card = renderer.render("staff/case_card", REALISTIC, "slack")
    assert card.text.startswith("[CRITICAL] CB-K7M3-XD9A")
    actions = [
        element.get("action_id")
        for block in card.blocks
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert actions == [
        "case_assign_me",
        "case_reply",
        "case_note",
        "case_escalate",
        "case_respond",
        "case_resolve",
        "case_status",
        "case_assign_user",
        "case_grade",
    ]
    select = next(
        element
        for block in card.blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "case_status"
    )
    assert [option["value"] for option in select["options"]] == [
        "CB-K7M3-XD9A|awaiting_customer",
        "CB-K7M3-XD9A|escalated",
        "CB-K7M3-XD9A|resolved",
    ]
    shown = str(card.blocks)
    assert "<@U0BEA1234>" in shown  # the assignee, as a Slack mention
    assert "overdue by 3 h" in shown


def test_a_finished_case_card_offers_no_reply_escalate_or_resolve(renderer: Renderer) -> None:
    card_values = {
        **REALISTIC["card"],  # type: ignore[dict-item]
        "status": "closed",
        "open": False,
        "allowed": ["reopened"],
        "can_escalate": False,
        "can_resolve": False,
        "can_respond": False,
    }
    card = renderer.render("staff/case_card", {**REALISTIC, "card": card_values}, "slack")
    shown = str(card.blocks)
    for gone in ("case_reply", "case_escalate", "case_resolve"):
        assert gone not in shown
    assert "case_status" in shown


@pytest.mark.parametrize(
    "attack", ["<!channel>", "<!here>", "<@U0BOSS123>", "<http://evil.example|your bank>", "&lt;"]
)
@pytest.mark.parametrize("name", ["staff/case_card", "staff/customer_message", "staff/new_case"])
def test_customer_text_reaches_slack_as_text_that_pings_and_links_nobody(
    renderer: Renderer, name: str, attack: str
) -> None:
    hostile = f"Look {attack} here"
    card = {**REALISTIC["card"], "summary": hostile, "customer_name": attack}  # type: ignore[dict-item]
    values = {**REALISTIC, "card": card, "text": hostile, "description": hostile, "name": attack}
    rendered = renderer.render(name, values, "slack")
    everything = rendered.text + str(rendered.blocks)
    assert attack not in everything
    escaped = attack.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in everything
