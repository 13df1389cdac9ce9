"""A whole complaint through the real commands: a customer in `chat`, staff in `cases`."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3

import pexpect
import pytest

from bot.settings import PROJECT_ROOT
from tests.e2e.conftest import Product, answer

pytestmark = pytest.mark.e2e


def test_a_complaint_from_first_message_to_resolution(product: Product) -> None:
    chat = product.chat("alice")
    assert "What happened?" in answer(chat, "hello")
    reply = answer(chat, "The kettle I bought switched itself off and smoked, order #K-2231")
    assert "When did it happen?" in reply
    assert "couldn't read that as a date" in answer(chat, "the 45th of Smarch")
    assert "What would you like us to do" in answer(chat, "14 November")
    assert "How can we reach you" in answer(chat, "2")
    assert "Do you agree?" in answer(chat, "alice@example.com")
    summary = answer(chat, "yes")
    assert "When: 14 November 2026" in summary or "When: 14 November" in summary
    assert "What you want: A replacement" in summary
    # Correct an answer from the summary, then register.
    assert "What would you like us to do" in answer(chat, "D")
    assert "What you want: A refund" in answer(chat, "refund")
    registered = answer(chat, "yes")
    match = re.search(r"Your reference is (CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
    assert match, registered
    reference = match.group(1)
    chat.sendeof()
    chat.expect(pexpect.EOF)

    listing = product.run("cases", "list").stdout
    assert reference in listing
    assert "critical" in listing, "a kettle that smoked is a fire hazard"
    assert "complaints-urgent" in listing
    why = product.run("cases", "show", reference).stdout
    assert 'CRITICAL: fire, smoke or overheating ("smoked")' in why

    product.run("cases", "assign", reference, "bob", "--as", "carol")
    product.run(
        "cases",
        "status",
        reference,
        "investigating",
        "--message",
        "We have asked the manufacturer to examine it.",
        "--as",
        "bob",
    )
    refused = product.run("cases", "status", reference, "closed", check=False)
    assert refused.returncode == 1
    assert "cannot go from investigating to closed" in refused.stderr
    product.run("cases", "note", reference, "Manufacturer ticket 7781", "--as", "bob")
    product.run(
        "cases",
        "reply",
        reference,
        "Is the kettle still plugged in?",
        "--await-customer",
        "--as",
        "bob",
    )

    # The customer comes back: the staff messages were waiting for them.
    chat = product.chat("alice")
    waiting = str(chat.before)
    assert "now investigating your complaint " + reference in waiting
    assert "asked the manufacturer" in waiting
    assert "Is the kettle still plugged in?" in waiting
    assert f"added that to your complaint {reference}" in answer(chat, "No, I unplugged it")
    assert f"{reference}: being investigated" in answer(chat, "status")
    chat.sendeof()
    chat.expect(pexpect.EOF)

    product.run(
        "cases", "status", reference, "resolved", "--message", "A replacement is on its way."
    )
    shown = product.run("cases", "show", reference).stdout
    assert "Manufacturer ticket 7781" in shown, "internal notes are in the history"
    assert "awaiting_customer -> investigating: the customer replied" in shown
    assert "investigating -> resolved" in shown
    assert "Assigned to:  bob" in shown

    # A manager re-grades the case after the fact; the history says who, how and why.
    product.run(
        "cases",
        "grade",
        reference,
        "--severity",
        "high",
        "--reason",
        "It smoked once from spilt water; no fire risk",
        "--as",
        "dana",
    )
    shown = product.run("cases", "show", reference).stdout
    assert "[high / product -> complaints]" in shown
    assert (
        "dana (cli): regraded: critical / product -> high / product, queue complaints "
        "(It smoked once from spilt water; no fire risk)"
    ) in shown


def test_an_operator_checks_what_a_text_would_get(product: Product) -> None:
    shown = product.run("triage", "the heater sparked and my dad got a shock off it").stdout
    assert "Severity: critical" in shown
    assert "Queue:    complaints-urgent" in shown
    assert 'CRITICAL: electrical hazard ("sparked", "shock off")' in shown
    calm = product.run("triage", "nobody was hurt, the box was just dented").stdout
    assert "Severity: normal" in calm
    assert 'not counted, ruled out by the customer: injury ("hurt")' in calm


def test_an_operator_sees_a_complaint_read_in_its_own_language(product: Product) -> None:
    # As the bot reads a French customer: with the French lexicon, not the default's.
    fire = "Ma bouilloire a pris feu hier soir et ma fille s'est brûlée la main."
    shown = product.run("triage", fire).stdout
    assert "Read as:  French" in shown
    assert "Severity: critical" in shown
    assert 'product: "a pris feu", "brûlée", "bouilloire"' in shown
    chosen = product.run("triage", "--language", "de", "the heater sparked").stdout
    assert "Read as:  German (as asked)" in chosen
    unknown = product.run("triage", "--language", "xx", "hello", check=False)
    assert unknown.returncode == 2
    assert 'No customers are answered in "xx" here. Languages offered: en, fr, de, es' in (
        unknown.stdout
    )


def test_another_customer_cannot_read_a_case_by_its_reference(product: Product) -> None:
    chat = product.chat("alice")
    answer(chat, "My order #5512 arrived damaged and the box was soaked through")
    for line in ("yesterday", "refund", "a@example.com", "yes"):
        answer(chat, line)
    registered = answer(chat, "yes")
    reference = re.search(r"(CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered).group(1)  # type: ignore[union-attr]
    chat.sendeof()

    mallory = product.chat("mallory")
    reply = answer(mallory, f"status {reference}")
    assert "couldn't find a complaint with that reference" in reply
    assert "damaged" not in reply
    assert "looks mistyped" in answer(
        mallory, f"status {reference[:-1]}{'3' if reference[-1] != '3' else '4'}"
    )
    mallory.sendeof()
    mallory.expect(pexpect.EOF)
    # What mallory sent is on no case, and staff can still see it.
    inbox = product.run("cases", "inbox").stdout
    assert "console mallory" in inbox
    assert f"status {reference}" in inbox


def test_staff_commands_explain_mistakes(product: Product) -> None:
    product.run("db", "upgrade")
    mistyped = product.run("cases", "show", "CB-3333-3334", check=False)
    assert mistyped.returncode == 1
    assert "not a valid reference" in mistyped.stdout
    # Valid check character (every 3 is worth 0), but no such case.
    missing = product.run("cases", "show", "cb 3333 3333", check=False)
    assert missing.returncode == 1
    assert "There is no case CB-3333-3333." in missing.stdout
    usage = product.run("cases", "status", "CB-3333-3333", "finished", check=False)
    assert usage.returncode == 2
    assert "invalid choice" in usage.stderr
    assert "No cases." in product.run("cases", "list").stdout
    # Complaints are personal data: only the operator can read the folder holding them.
    assert (product.folder / "data").stat().st_mode & 0o777 == 0o700


def test_a_long_pasted_message_reaches_the_bot_whole(product: Product) -> None:
    # A terminal in its usual line mode cuts a line at 4,095 characters without a word.
    chat = product.chat("paula")
    reply = answer(chat, "My kettle broke. " + "x" * 5983)
    assert "6000 characters" in reply
    assert "the limit is 5000" in reply
    # Typing mistakes can still be rubbed out.
    reply = answer(chat, "helo\x7f\x7flo")
    assert "What happened?" in reply
    chat.sendeof()
    chat.expect(pexpect.EOF)


def test_a_german_customer_is_answered_in_german_and_staff_see_why(product: Product) -> None:
    chat = product.chat("jonas")
    first = answer(
        chat, "Der Wasserkocher hat gestern Funken gesprüht und gequalmt, Bestellung 88123"
    )
    assert "Welche Lösung wünschen Sie sich" in first, first
    assert "Wie können wir Sie" in answer(chat, "ich möchte mein Geld zurück")
    assert "einverstanden" in answer(chat, "jonas@example.de").lower()
    summary = answer(chat, "ja, passt")
    assert "Bestellung" in summary or "88123" in summary, summary
    registered = answer(chat, "1")
    match = re.search(r"(CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
    assert match, registered
    chat.sendeof()
    chat.expect(pexpect.EOF)
    assert "Auf Wiedersehen" in str(chat.before)  # the chat's own words in German too
    shown = product.run("cases", "show", match.group(1)).stdout
    assert "writes in German" in shown
    assert "[critical / product -> complaints-urgent]" in shown


def test_a_staff_command_that_finds_no_database_says_so_and_creates_nothing(
    product: Product,
) -> None:
    result = product.run("cases", "list", check=False)
    assert result.returncode == 2
    assert "no database at" in result.stderr
    assert not (product.folder / "data").exists()


def test_staff_commands_do_not_wait_on_the_customer_languages_but_chat_checks_them(
    product: Product,
) -> None:
    templates = product.folder / "templates"
    shutil.copytree(PROJECT_ROOT / "templates", templates)
    (templates / "fr" / "vocabulary.toml").write_text("[yes\n", encoding="utf-8")
    product.env["COMPLAINTBOT_TEMPLATES_DIR"] = str(templates)
    product.run("db", "upgrade")
    # Listing cases never reads a customer's words: a broken French file does not stop staff.
    assert "No cases." in product.run("cases", "list").stdout
    # The chat reads them all at its start, and says which file is wrong, not a traceback.
    chat = product.run("chat", "--as", "Ana", check=False)
    assert chat.returncode == 2
    assert "configuration problem" in chat.stderr
    assert "fr/vocabulary.toml" in chat.stderr
    assert "Traceback" not in chat.stderr


def registered_by_chat(product: Product) -> str:
    """A complaint registered through `chat`; its reference."""
    chat = product.chat("dana")
    answer(chat, "My blender arrived with a cracked jug, order 55120")
    for line in ("yesterday", "replacement", "dana@example.com", "yes"):
        answer(chat, line)
    registered = answer(chat, "yes")
    match = re.search(r"(CB-[0-9A-Z]{4}-[0-9A-Z]{4})", registered)
    assert match, registered
    chat.sendeof()
    chat.expect(pexpect.EOF)
    return match.group(1)


def test_an_auditor_finds_the_history_intact_then_sees_an_edit_made_behind_its_back(
    product: Product,
) -> None:
    reference = registered_by_chat(product)
    product.run("cases", "note", reference, "Sent a new jug", "--as", "bob")
    intact = product.run("audit", "verify")
    assert "The audit trail is intact" in intact.stdout
    exported = product.run("audit", "export", reference, "--output", "case.json")
    assert "its chain intact" in exported.stdout
    history = json.loads((product.folder / "case.json").read_text())
    assert history["events"][-1]["data"]["text"] == "Sent a new jug"
    assert (product.folder / "case.json").stat().st_mode & 0o777 == 0o600

    # Someone with the database file rewrites the note.
    with sqlite3.connect(product.folder / "data" / "complaintbot.db") as database:
        database.execute(
            "UPDATE case_events SET data = ? WHERE kind = 'note'", ('{"text": "Nothing sent"}',)
        )
    altered = product.run("audit", "verify", check=False)
    assert altered.returncode == 1
    assert "has been altered outside the product" in altered.stdout
    assert f"{reference}, event" in altered.stdout
    assert "(note): changed since it was written" in altered.stdout


def test_a_person_gets_their_data_then_has_it_erased_and_the_trail_still_proves_itself(
    product: Product,
) -> None:
    reference = registered_by_chat(product)
    exported = product.run("customer", "export", "dana", "--output", "sar")
    assert "1 case" in exported.stdout
    held = json.loads((product.folder / "sar" / "personal-data.json").read_text())
    assert "cracked jug" in held["cases"][0]["description"]
    assert (product.folder / "sar").stat().st_mode & 0o777 == 0o700

    erased = product.run("customer", "erase", "dana", "--reason", "Asked by email", "--as", "dpo")
    assert "Erased the personal data of 1 address" in erased.stdout
    shown = product.run("cases", "show", reference).stdout
    assert "cracked jug" not in shown
    assert "dana@example.com" not in shown
    assert "Asked by email" in shown  # who, when and why stay on the case
    assert "The audit trail is intact" in product.run("audit", "verify").stdout
    gone = product.run("customer", "export", "dana", check=False)
    assert gone.returncode == 1
    assert "No customer has written from dana" in gone.stdout


def test_a_manager_gets_the_review_as_a_page_and_as_numbers(product: Product) -> None:
    registered_by_chat(product)
    written = product.run("report")
    assert "Wrote the complaints review" in written.stdout
    [page] = product.folder.glob("complaints-review-*.html")
    assert "Complaints received" in page.read_text(encoding="utf-8")
    numbers = json.loads(product.run("report", "--format", "json").stdout)
    assert numbers["current"]["received"] == 1
    wrong = product.run("report", "--from", "2026-12-31", "--to", "2026-01-01", check=False)
    assert wrong.returncode == 2
    assert "ends before it starts" in wrong.stdout


def test_staff_record_an_improvement_action_and_see_it_in_the_list(product: Product) -> None:
    product.run("db", "upgrade")
    unknown = product.run(
        "improve", "add", "gremlins", "Exorcise", "--owner", "x", "--due", "2026-12-24", check=False
    )
    assert unknown.returncode == 1
    assert "product_fault" in unknown.stdout  # the root causes it does record
    added = product.run(
        "improve",
        "add",
        "delivery",
        "Use a courier who photographs deliveries",
        "--owner",
        "Dee",
        "--due",
        "2026-12-24",
        "--as",
        "carol",
    )
    assert "Action 1 recorded" in added.stdout
    assert "Action 1 (Use a courier" in product.run("improve", "done", "1").stdout
    listing = product.run("improve", "list").stdout
    assert "1. [done]" in listing
    assert "recorded 0 times in the 0 days before" in listing
