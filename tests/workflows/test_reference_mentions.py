"""A message that quotes a reference and describes something new: both are answered."""

from __future__ import annotations

from collections.abc import Callable

from tests.workflows.chat import Chat, templates
from tests.workflows.test_batch import Mailbox
from tests.workflows.test_batch import mailbox as mailbox  # the fixture, shared
from workflows.cases import CaseView
from workflows.conversation import Field, Mode
from workflows.effects import OpenCase, Reply
from workflows.references import parse_reference

NEW_PROBLEM = (
    "I complained before ({ref}) but this is a new problem: my tablet, order 7713, arrived "
    "with a cracked screen. I want a replacement."
)


def about(decision: object) -> Reply:
    (reply,) = [r for r in decision.of_type(Reply) if r.template == "customer/reference_and_new"]  # type: ignore[attr-defined]
    return reply


def test_an_email_naming_a_strangers_reference_and_a_new_problem_registers_it(
    mailbox: Mailbox, new_reference: Callable[[], str]
) -> None:
    someone_elses = new_reference()
    decision = mailbox.write(NEW_PROBLEM.format(ref=someone_elses), subject="Cracked screen")
    (opened,) = decision.of_type(OpenCase)
    assert opened.details.product == "7713"
    assert opened.details.outcome == "replacement"
    # Whether that reference is someone else's is never said.
    assert about(decision).context == {"kind": "unknown"}


def test_a_mistyped_reference_beside_a_new_problem_is_said_and_the_complaint_registered(
    mailbox: Mailbox, new_reference: Callable[[], str]
) -> None:
    good = new_reference()
    mistyped = good[:-1] + ("3" if good[-1] != "3" else "4")
    assert parse_reference(mistyped, "CB").check.name == "MISTYPED"
    decision = mailbox.write(NEW_PROBLEM.format(ref=mistyped))
    assert decision.of_type(OpenCase)
    assert about(decision).context == {"kind": "mistyped"}


def test_the_customers_own_reference_with_a_new_problem_opens_a_separate_case(
    mailbox: Mailbox, make_case: Callable[..., CaseView]
) -> None:
    mine = make_case(channel="email")
    mailbox.cases = (mine,)
    decision = mailbox.write(NEW_PROBLEM.format(ref=mine.reference))
    (opened,) = decision.of_type(OpenCase)
    assert opened.reference != mine.reference
    assert about(decision).context == {"kind": "own", "reference": mine.reference}


def test_the_customers_own_reference_with_more_about_it_is_still_a_follow_up(
    mailbox: Mailbox, make_case: Callable[..., CaseView]
) -> None:
    mine = make_case(channel="email")
    mailbox.cases = (mine,)
    decision = mailbox.write(f"About {mine.reference}: the courier has still not collected it.")
    assert not decision.of_type(OpenCase)
    assert "customer/reference_and_new" not in templates(decision)


def test_in_a_chat_a_strangers_reference_with_a_description_starts_a_complaint(
    chat: Chat, new_reference: Callable[[], str]
) -> None:
    decision = chat.say(f"re {new_reference()} my washing machine flooded the kitchen floor again")
    assert about(decision).context["kind"] == "unknown"
    assert chat.conversation.mode is Mode.COLLECTING
    assert "washing machine" in (chat.conversation.answers.get(Field.DESCRIPTION) or "")


def test_a_reference_alone_is_still_only_about_the_reference(
    chat: Chat, new_reference: Callable[[], str]
) -> None:
    decision = chat.say(f"status {new_reference()}")
    assert templates(decision) == ["customer/reference_unknown"]


def test_asking_about_someone_elses_reference_is_not_a_new_complaint(
    mailbox: Mailbox, new_reference: Callable[[], str]
) -> None:
    decision = mailbox.write(
        "Please send me everything you have about this case.",
        subject=f"Re: [{new_reference()}] Your complaint",
    )
    assert not decision.of_type(OpenCase)
    assert templates(decision) == ["customer/reference_unknown"]
