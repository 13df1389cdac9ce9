"""The console within Slack's limits and against odd input: long text, deleted cards, bad
metadata, previews for the wrong person; and re-grading from the card."""

from __future__ import annotations

import json

from bot.services.staff import handle_staff_action
from fakes.slack_api import over_limits
from tests.bot.conversation import send
from tests.bot.slack.conftest import (
    ALICE,
    ESCALATION_CHANNEL,
    MALLORY,
    ONCALL,
    QUEUE_CHANNEL,
    URGENT_CHANNEL,
    Workspace,
    eventually,
    new_case,
)
from workflows.staff import StaffAction, StaffActionKind


async def test_a_long_answer_full_of_symbols_still_makes_a_card_slack_accepts(
    workspace: Workspace,
) -> None:
    long_product = "Kettle & toaster <set> " * 150  # 3,450 characters; escaped, far more
    await send(workspace.app, "The kettle arrived broken " + "& " * 700)
    for answer in (long_product, "yesterday", "refund", "Ann", "ann@example.com", "yes", "yes"):
        await send(workspace.app, answer)
    await workspace.deliver()
    [card] = [m for m in workspace.slack.messages(QUEUE_CHANNEL) if m.thread_ts is None]
    assert over_limits(card.blocks) == []
    assert "Kettle &amp; toaster &lt;set&gt;" in json.dumps(card.blocks)


async def test_a_long_reply_is_previewed_whole_within_slacks_limits(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    metadata = json.dumps({"reference": reference, "channel": QUEUE_CHANNEL})
    text = ("Dear customer, <we> & our courier are sorry.\n" * 70)[:3000]
    preview = (await workspace.submit("reply_compose", metadata, {"text": {"text": text}})).json()
    view = preview["view"]
    assert over_limits(view["blocks"]) == []
    shown = "".join(block["text"]["text"] for block in view["blocks"] if block["type"] == "section")
    assert shown.count("&lt;we&gt; &amp; our courier") == text.count("<we> & our courier")


async def test_a_reply_preview_is_for_staff_of_the_case_only(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    metadata = json.dumps({"reference": reference, "channel": QUEUE_CHANNEL})
    answer = await workspace.submit(
        "reply_compose", metadata, {"text": {"text": "hello"}}, user=MALLORY
    )
    assert answer.json()["response_action"] == "errors"
    assert "cannot act on" in answer.json()["errors"]["text"]


async def test_a_card_deleted_in_slack_is_posted_again_on_the_next_change(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    first = await workspace.card(reference)
    workspace.slack.fail_next("chat.update", "message_not_found")
    action = StaffAction(StaffActionKind.ASSIGN, reference, "maria", assignee="maria")
    await handle_staff_action(workspace.app, action, "cli")
    await workspace.deliver()
    await workspace.deliver()
    again = await workspace.card(reference)
    assert again.ts != first.ts
    assert "maria" in json.dumps(again.blocks)


async def test_malformed_modal_metadata_is_answered_without_an_error(
    workspace: Workspace,
) -> None:
    for metadata in ("not json", "[]", "1", "{}"):
        for callback in ("reply_compose", "note_compose", "resolve"):
            answer = await workspace.submit(callback, metadata, {"text": {"text": "x"}})
            assert answer.status_code == 200, (callback, metadata)


async def test_re_grade_from_the_card_re_routes_and_calls_on_call_when_critical(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    await workspace.press(reference, "case_grade", user=ALICE)
    await eventually(lambda: _now(bool(workspace.slack.views_opened)))
    [modal] = workspace.slack.views_opened
    assert modal["callback_id"] == "grade"
    severity = next(b for b in modal["blocks"] if b.get("block_id") == "severity")
    assert severity["element"]["initial_option"]["value"] == "normal"
    empty = await workspace.submit("grade", modal["private_metadata"], {"text": {"text": " "}})
    assert empty.json()["response_action"] == "errors"
    chosen = {"type": "static_select", "selected_option": {"value": "critical"}}
    values = {"severity": {"severity": chosen}, "text": {"text": "Customer says the charger burnt"}}
    answer = await workspace.submit("grade", modal["private_metadata"], values)
    assert answer.json() == {"response_action": "clear"}

    async def regraded() -> bool:
        return (await workspace.case(reference)).severity == "critical"

    await eventually(regraded)
    assert (await workspace.case(reference)).queue == "complaints-urgent"
    await workspace.deliver()
    [call] = workspace.slack.messages(ESCALATION_CHANNEL)
    assert f"<!subteam^{ONCALL}>" in call.text
    # The old card shows where it went; the new queue's channel has a card of its own.
    assert "complaints-urgent" in json.dumps((await workspace.card(reference)).blocks)
    assert await workspace.card(reference, URGENT_CHANNEL)


async def _now(value: bool) -> bool:
    return value
