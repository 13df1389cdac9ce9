"""Staff handle a case from Slack: the card, its buttons and modals, and notes in its thread."""

from __future__ import annotations

import json

from bot.services.intake import handle_inbound
from bot.services.staff import handle_staff_action
from channels.base import Attachment
from tests.bot.conversation import message, send
from tests.bot.slack.conftest import (
    ALICE,
    BOB,
    ESCALATION_CHANNEL,
    MALLORY,
    ONCALL,
    QUEUE_CHANNEL,
    Workspace,
    eventually,
    new_case,
)
from workflows.lifecycle import CaseStatus
from workflows.staff import StaffAction, StaffActionKind


def actions_on(card_blocks: list[dict[str, object]]) -> list[str]:
    return [
        str(element["action_id"])
        for block in card_blocks
        if block["type"] == "actions"
        for element in block["elements"]  # type: ignore[attr-defined]
    ]


async def test_a_new_case_is_one_card_in_its_queue_channel_with_the_conversation_in_its_thread(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    top_level = [m for m in workspace.slack.messages(QUEUE_CHANNEL) if m.thread_ts is None]
    assert len(top_level) == 1
    card = await workspace.card(reference)
    assert reference in card.text
    shown = json.dumps(card.blocks)
    assert "nobody yet" in shown
    assert "Response due" in shown
    assert "by the terminal chat" in shown
    assert actions_on(card.blocks)[:3] == ["case_assign_me", "case_reply", "case_note"]
    assert "Graded normal / delivery because:" in shown  # why it has its grade (issue 7)
    # What the customer was sent is in the thread, said to be sent to them.
    thread = await workspace.thread_text(reference)
    assert "Sent to the customer by the terminal chat" in thread
    assert reference in thread


async def test_assign_to_me_updates_the_card_in_place_and_says_who_did_it(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    answer = await workspace.press(reference, "case_assign_me", user=ALICE)
    assert answer.status_code == 200

    async def assigned() -> bool:
        return (await workspace.case(reference)).assignee == f"alice (slack:{ALICE})"

    await eventually(assigned)
    await workspace.deliver()
    card = await workspace.card(reference)
    assert len(card.versions) == 1, "updated in place, not posted again"
    assert f"<@{ALICE}>" in json.dumps(card.blocks)
    assert f"<@{ALICE}> assigned the case to <@{ALICE}>" in await workspace.thread_text(reference)
    [event] = [e for e in await workspace.events(reference) if e.kind == "assigned"]
    assert event.actor == f"alice (slack:{ALICE})"
    assert event.channel == "slack"


async def test_the_status_select_offers_only_allowed_moves_and_the_customer_hears(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    card = await workspace.card(reference)
    [select] = [
        element
        for block in card.blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element["action_id"] == "case_status"
    ]
    offered = [option["value"].split("|")[1] for option in select["options"]]
    assert "closed" not in offered
    assert "investigating" in offered
    option = next(o for o in select["options"] if o["value"].endswith("|investigating"))
    await workspace.press(reference, "case_status", user=BOB, selected_option=option)

    async def moved() -> bool:
        return (await workspace.case(reference)).status == "investigating"

    await eventually(moved)
    await workspace.deliver()
    assert [m.text for m in workspace.customer.sent if reference in m.text]
    card = await workspace.card(reference)
    assert "Investigating" in json.dumps(card.blocks)


async def test_reply_shows_exactly_what_the_customer_gets_and_sends_only_that(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    await workspace.press(reference, "case_reply", user=ALICE)
    await eventually(lambda: _true(bool(workspace.slack.views_opened)))
    [modal] = workspace.slack.views_opened
    assert modal["callback_id"] == "reply_compose"
    metadata = modal["private_metadata"]

    text = {"text": {"text": "We have refunded you £20."}}
    answer = await workspace.submit("reply_compose", metadata, text)
    update = answer.json()
    assert update["response_action"] == "update"
    preview = update["view"]
    assert preview["callback_id"] == "reply_confirm"
    assert "We have refunded you £20." in json.dumps(preview["blocks"], ensure_ascii=False)
    assert not workspace.customer.sent

    # Edited on the preview: a new preview, nothing sent unseen.
    edited = {"text": {"text": "We have refunded you £25 & <more> soon."}}
    again = await workspace.submit("reply_confirm", preview["private_metadata"], edited)
    assert again.json()["response_action"] == "update"
    await workspace.deliver()
    assert not workspace.customer.sent

    confirmed = again.json()["view"]
    # The text box holds exactly what was typed; the preview shows it safely escaped.
    [box] = [b for b in confirmed["blocks"] if b.get("block_id") == "text"]
    assert box["element"]["initial_value"] == "We have refunded you £25 & <more> soon."
    assert "£25 &amp; &lt;more&gt; soon." in json.dumps(confirmed["blocks"], ensure_ascii=False)
    done = await workspace.submit("reply_confirm", confirmed["private_metadata"], edited)
    assert done.json() == {"response_action": "clear"}

    async def replied() -> bool:
        return any(e.kind == "staff_reply" for e in await workspace.events(reference))

    await eventually(replied)
    await workspace.deliver()
    [sent] = workspace.customer.sent
    assert "We have refunded you £25 & <more> soon." in sent.text
    assert "£20" not in sent.text


async def test_an_empty_reply_or_note_is_answered_in_the_modal(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    metadata = json.dumps({"reference": reference, "channel": QUEUE_CHANNEL})
    for callback in ("reply_compose", "note_compose"):
        answer = await workspace.submit(callback, metadata, {"text": {"text": "   "}})
        assert answer.json()["response_action"] == "errors"
        assert "text" in answer.json()["errors"]


async def test_whatever_is_typed_in_the_thread_is_a_note_and_never_reaches_the_customer(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    shapes = [
        ("plain", "Called the courier, they will check the van", {}),
        ("reply", "reply Dear customer, we are sorry", {}),
        ("command", "/complaint reply " + reference + " hello", {}),
        ("mention", f"<@{ALICE}> can you take this one?", {}),
        ("customer", "customer: please call me back", {}),
        ("file", "photo of the label", {"files": [{"id": "F1", "name": "label.jpg"}]}),
    ]
    for index, (_, text, extra) in enumerate(shapes):
        answer = await workspace.type_in_thread(reference, text, **extra)
        assert answer.status_code == 200, index

    async def all_noted() -> bool:
        notes = [e for e in await workspace.events(reference) if e.kind == "note"]
        return len(notes) == len(shapes)

    await eventually(all_noted)
    notes = [e for e in await workspace.events(reference) if e.kind == "note"]
    assert {e.actor for e in notes} == {f"bob (slack:{BOB})"}
    assert any("label.jpg" in e.data["text"] for e in notes)
    assert any(e.data["text"].startswith(f"<@{ALICE}>") for e in notes)
    await workspace.deliver()
    assert workspace.customer.sent == [], "nothing typed in a thread reaches the customer"
    # The thread shows the notes once (where they were typed), not echoed back.
    assert "Note by" not in await workspace.thread_text(reference)


async def test_resolve_asks_for_the_response_and_a_root_cause(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    metadata = json.dumps({"reference": reference, "channel": QUEUE_CHANNEL})
    missing = await workspace.submit("resolve", metadata, {"text": {"text": "Refunded"}})
    assert "root_cause" in missing.json()["errors"]
    chosen = {"type": "static_select", "selected_option": {"value": "delivery"}}
    cause = {"root_cause": {"root_cause": chosen}}
    answer = await workspace.submit(
        "resolve", metadata, {"text": {"text": "We refunded the order."}, **cause}
    )
    assert answer.json() == {"response_action": "clear"}

    async def resolved() -> bool:
        return (await workspace.case(reference)).status == "resolved"

    await eventually(resolved)
    events = await workspace.events(reference)
    assert [e.data for e in events if e.kind == "root_cause"] == [{"cause": "delivery"}]
    await workspace.deliver()
    card = await workspace.card(reference)
    assert "Resolved" in json.dumps(card.blocks)
    assert not {"case_reply", "case_resolve", "case_escalate"} & set(actions_on(card.blocks))
    assert any("We refunded the order." in m.text for m in workspace.customer.sent)


async def test_escalate_calls_the_on_call_group_with_a_link_to_the_card(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    await workspace.press(reference, "case_escalate", user=BOB)

    async def escalated() -> bool:
        return (await workspace.case(reference)).status == "escalated"

    await eventually(escalated)
    await workspace.deliver()
    [call] = workspace.slack.messages(ESCALATION_CHANNEL)
    assert f"<!subteam^{ONCALL}>" in call.text
    assert reference in call.text
    card = await workspace.card(reference)
    assert f"/archives/{QUEUE_CHANNEL}/p{card.ts.replace('.', '')}" in call.text


async def test_a_critical_complaint_calls_the_on_call_group_on_arrival(
    workspace: Workspace,
) -> None:
    await send(workspace.app, "The heater caught fire and my son was burnt, he is in A&E")
    for answer in ("Heater H1", "today", "refund", "Ann", "ann@example.com", "yes", "yes"):
        await send(workspace.app, answer)
    await workspace.deliver()
    [call] = workspace.slack.messages(ESCALATION_CHANNEL)
    assert f"<!subteam^{ONCALL}>" in call.text
    assert "CRITICAL" in call.text


async def test_someone_not_on_the_staff_is_refused_and_nothing_changes(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    await workspace.press(reference, "case_assign_me", user=MALLORY)
    await eventually(lambda: _true(bool(workspace.told(MALLORY))))
    [refusal] = workspace.told(MALLORY)
    assert "cannot act on" in refusal
    assert (await workspace.case(reference)).assignee is None


async def test_a_double_click_or_a_retried_request_changes_nothing_twice(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    for _ in range(2):  # Slack retrying the same request
        await workspace.press(reference, "case_escalate", user=ALICE, action_ts="1700000099.000001")
    await workspace.press(reference, "case_escalate", user=ALICE)  # a second click

    async def settled() -> bool:
        return (await workspace.case(reference)).status == "escalated" and bool(
            workspace.told(ALICE)
        )

    await eventually(settled)
    changes = [e for e in await workspace.events(reference) if e.kind == "status_changed"]
    assert [e.to_status for e in changes].count("escalated") == 1
    # The second click is told why nothing happened; the retry is silent.
    [why] = workspace.told(ALICE)
    assert "already" in why


async def test_a_forged_or_stale_request_is_refused_with_401(workspace: Workspace) -> None:
    from fakes.slack_api import signed_headers

    reference = await new_case(workspace)
    card = await workspace.card(reference)
    from fakes.slack_payloads import block_actions_body

    body = block_actions_body(
        team_id="T0TEST",
        user_id=ALICE,
        user_name="alice",
        channel_id=QUEUE_CHANNEL,
        message_ts=card.ts,
        action_id="case_escalate",
        value=reference,
    )
    forged = signed_headers(body, "not-the-secret")
    assert (await workspace.post(body, headers=forged)).status_code == 401
    stale = signed_headers(body, "8f742231b10e8888abcd99yyyzzz85a5", timestamp=1_600_000_000)
    assert (await workspace.post(body, headers=stale)).status_code == 401
    unsigned = {"Content-Type": "application/x-www-form-urlencoded"}
    assert (await workspace.post(body, headers=unsigned)).status_code == 401
    assert (await workspace.case(reference)).status != "escalated"


async def test_another_workspace_is_refused(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    answer = await workspace.press(reference, "case_escalate", team_id="T0OTHER")
    assert answer.status_code == 403
    assert (await workspace.case(reference)).status != "escalated"


async def test_changes_made_elsewhere_update_the_card_too(workspace: Workspace) -> None:
    reference = await new_case(workspace)
    action = StaffAction(
        StaffActionKind.STATUS, reference, "maria", status=CaseStatus.INVESTIGATING
    )
    await handle_staff_action(workspace.app, action, "cli")
    await send(workspace.app, "Any news? The parcel is still not here <!channel>")
    await workspace.deliver()
    card = await workspace.card(reference)
    assert "Investigating" in json.dumps(card.blocks)
    thread = await workspace.thread_text(reference)
    assert "maria moved the case to *Investigating*" in thread
    assert "Any news? The parcel is still not here &lt;!channel&gt;" in thread
    assert "<!channel>" not in thread


async def _true(value: bool) -> bool:
    return value


async def test_a_customer_message_with_a_photo_is_mirrored_with_its_attachment(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    photo = Attachment("screen.jpg", "image/jpeg", 3, b"jpg", url="https://media.example/1")
    await handle_inbound(
        workspace.app, message(workspace.app, "Here is a photo", attachments=(photo,))
    )
    await workspace.deliver()
    thread = await workspace.thread_text(reference)
    assert "Here is a photo" in thread
    assert "screen.jpg https://media.example/1" in thread
