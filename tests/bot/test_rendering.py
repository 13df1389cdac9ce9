"""Every template the code asks for exists, renders with real values, and escapes HTML."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.rendering import Renderer, TemplateMissing
from bot.settings import PROJECT_ROOT
from tests.bot.templates_in_use import REALISTIC, SLACK_ROW, names_in_code

TEMPLATES = PROJECT_ROOT / "templates"
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


@pytest.fixture
def renderer() -> Renderer:
    return Renderer(TEMPLATES, "en", "Example Ltd")


# Whole HTML pages (the management report), rendered by their own tests in tests/bot/reports.
PAGES = {"report/review"}


@pytest.mark.parametrize("name", sorted(names_in_code() - CLI_ONLY - SLACK_ONLY - PAGES))
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


@pytest.mark.parametrize(("reason", "reminded"), [("sms_live", True), ("sms_pretend", False)])
def test_the_banner_reminds_an_operator_with_live_sms_to_ask_twilio_to_retry(
    renderer: Renderer, reason: str, reminded: bool
) -> None:
    channels = [{"name": "sms", "live": True, "reason": reason, "value": ""}]
    context = {"url": "http://127.0.0.1:8080", "database": "sqlite", "channels": channels}
    banner = renderer.render(
        "cli/serve_banner", {**context, "command": "complaintbot", "python": "python"}, "cli"
    ).text
    assert ("#rc=3&rp=ct,rt,5xx" in banner) is reminded


@pytest.mark.parametrize("language", ["en", "fr", "de", "es"])
def test_asked_when_after_naming_several_days_the_customer_is_told_why(language: str) -> None:
    renderer = Renderer(TEMPLATES, language, "Example Ltd")
    plain = {"retry": False, "optional": True, "several_days": False}
    asked = renderer.render("customer/ask_when", plain, "console").text
    which = renderer.render("customer/ask_when", {**plain, "several_days": True}, "console").text
    assert which != asked
    assert which.split("(")[-1] == asked.split("(")[-1], "the same way to skip"
