"""Respond from a Slack card: the response and remedy reach the customer, who decides."""

from __future__ import annotations

import json

from tests.bot.slack.conftest import ALICE, Workspace, eventually, new_case


async def test_respond_from_the_card_sends_the_remedy_and_asks_the_customer(
    workspace: Workspace,
) -> None:
    reference = await new_case(workspace)
    await workspace.press(reference, "case_respond", user=ALICE)

    async def opened() -> bool:
        return bool(workspace.slack.views_opened)

    await eventually(opened)
    [modal] = workspace.slack.views_opened
    assert modal["callback_id"] == "respond"
    remedies = next(b for b in modal["blocks"] if b.get("block_id") == "remedy")
    values = [option["value"] for option in remedies["element"]["options"]]
    assert values == ["refund", "replacement", "repair", "explanation", "apology", "other"]

    metadata = modal["private_metadata"]
    text = {"text": {"text": "The courier lost it; we refund the order in full."}}
    missing = await workspace.submit("respond", metadata, text)
    assert "remedy" in missing.json()["errors"]
    chosen = {"type": "static_select", "selected_option": {"value": "refund"}}
    amount = {"amount": {"amount": {"type": "plain_text_input", "value": "£42.50"}}}
    answer = await workspace.submit(
        "respond", metadata, {**text, "remedy": {"remedy": chosen}, **amount}
    )
    assert answer.json() == {"response_action": "clear"}

    async def proposed() -> bool:
        return (await workspace.case(reference)).status == "response_proposed"

    await eventually(proposed)
    case = await workspace.case(reference)
    assert (case.remedy, case.remedy_amount) == ("refund", "£42.50")
    await workspace.deliver()
    [sent] = [m for m in workspace.customer.sent if "we refund the order" in m.text]
    assert "a refund (£42.50)" in sent.text
    assert "Reply 1 to accept" in sent.text
    card = await workspace.card(reference)
    assert "Response proposed" in json.dumps(card.blocks)
