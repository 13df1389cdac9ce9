"""Every template the code asks for exists, renders with real values, and escapes HTML."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.rendering import Renderer, TemplateMissing
from bot.settings import PROJECT_ROOT
from workflows.lifecycle import CUSTOMER_ANNOUNCED
from workflows.timers import TIMER_KINDS

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
    found |= {f"staff/{kind}" for kind in TIMER_KINDS}
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
    "items": [
        {"number": 1, "field": "description", "value": "It broke", "label": None},
        {"number": 2, "field": "when", "value": date(2026, 11, 20).isoformat(), "label": None},
        {"number": 3, "field": "outcome", "value": None, "label": "outcome.refund"},
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
CLI_ONLY = {"cli/case_list", "cli/case_show", "cli/serve_banner", "cli/inbox"}


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(TEMPLATES, "en", "Example Ltd")


@pytest.mark.parametrize("name", sorted(names_in_code() - CLI_ONLY))
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
