"""Every reply the intake gives in real conversations renders, in the customer's language.

The workflow names a template and its facts; a fact a template needs and the workflow does not
give fails only when rendered, and the customer then gets "could not be handled" instead (a
consent refusal once did, in every language). This holds the labelled conversations, and the
commands customers send mid-way, through the real renderer.
"""

from __future__ import annotations

import pytest

from bot.rendering import Renderer
from bot.settings import PROJECT_ROOT
from tests.workflows.chat import Chat
from tests.workflows.conftest import (
    LANGUAGES_SHIPPED,
    NOW,
    PREFIX,
    shipped_rules,
    shipped_vocabulary,
)
from tests.workflows.test_conversation_accuracy import load
from workflows.context import IntakeSettings
from workflows.effects import Reply

# Every seventh conversation: all four languages, both channels, refusals and hesitations.
SAMPLE = 7
# What customers also send mid-conversation, in the words of each language's vocabulary.
COMMANDS = ("status", "help", "person", "cancel")


@pytest.mark.parametrize("code", LANGUAGES_SHIPPED)
def test_every_reply_of_the_labelled_conversations_renders(code: str) -> None:
    vocab = shipped_vocabulary(code)
    settings = IntakeSettings(vocab=vocab, rules=shipped_rules(), reference_prefix=PREFIX)
    renderer = Renderer(PROJECT_ROOT / "templates", code, "Example Ltd", fallback="en")
    conversations = [item for item in load()[::SAMPLE] if item.language == code]
    assert conversations
    rendered = 0
    for item in conversations:
        chat = Chat(
            settings=settings,
            now=NOW,
            new_reference="CB-AAAA-AAAA",
            channel=item.channel,
            lasting_address=item.channel != "console",
        )
        answers = [item.answers.get(field) or "skip" for field in item.answers]
        said = (item.first, *answers, "1", *COMMANDS)
        if item.id == conversations[0].id:
            # And one that refuses consent, twice, before anything is registered.
            no = sorted(vocab.no)[0]
            said = (item.first, *answers[:-1], no, no)
        for text in said:
            for reply in chat.say(text).of_type(Reply):
                assert renderer.render(reply.template, reply.context, item.channel).text.strip()
                rendered += 1
    assert rendered > len(conversations)


@pytest.mark.parametrize("code", LANGUAGES_SHIPPED)
def test_a_status_asked_halfway_through_says_the_complaint_is_not_registered_yet(
    code: str,
) -> None:
    renderer = Renderer(PROJECT_ROOT / "templates", code, "Example Ltd", fallback="en")

    def status(cases: list[dict[str, object]], drafting: bool) -> str:
        facts = {"cases": cases, "drafting": drafting}
        return renderer.render("customer/status_list", facts, "console").text

    none, drafting = status([], drafting=False), status([], drafting=True)
    # Not "you have no complaints, tell me what went wrong" to someone telling us just that.
    assert none not in drafting
    case = {
        "reference": "CB-AAAA-AAAA",
        "status": "investigating",
        "opened_at": NOW,
        "due_at": None,
    }
    listed = status([case], drafting=True)
    assert "CB-AAAA-AAAA" in listed
    assert listed.endswith(drafting)
    if code == "en":
        assert drafting.startswith("The complaint you're telling me about now isn't registered")
