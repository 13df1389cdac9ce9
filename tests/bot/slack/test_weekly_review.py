"""The weekly review on Slack: the summary with its charts as images and the page as a file."""

from __future__ import annotations

from bot.services.weekly_review import send_weekly_review
from fakes import FakeClock
from tests.bot.slack.conftest import QUEUE_CHANNEL, Workspace, new_case

PNG = b"\x89PNG\r\n\x1a\n"


async def monday_review(workspace: Workspace, clock: FakeClock) -> None:
    await new_case(workspace)
    clock.advance(days=7 - clock().date().weekday(), hours=1)
    assert await send_weekly_review(workspace.app, clock()) is not None
    await workspace.deliver()


async def test_staff_see_the_charts_in_the_channel_and_can_open_the_page(
    workspace: Workspace, clock: FakeClock
) -> None:
    await monday_review(workspace, clock)
    [summary] = [m for m in workspace.slack.messages(QUEUE_CHANNEL) if "review" in m.text]
    assert "1 received (0 the week before)" in summary.text
    assert "/reports/complaints-review-" in summary.text  # where the page is kept, too
    shared = [f for f in workspace.slack.files if f.shared_in == (QUEUE_CHANNEL, summary.ts)]
    titles = {f.title: f for f in shared}
    by_category = titles["Complaints received, by category"]
    assert by_category.content is not None
    assert by_category.content.startswith(PNG)
    assert "How quickly" in titles
    assert "Open now, by stage and age" in titles
    [page] = [f for f in shared if f.filename.endswith(".html")]
    assert page.content is not None
    assert b"Complaints received" in page.content


async def test_a_workspace_without_the_files_scope_still_gets_the_summary(
    workspace: Workspace, clock: FakeClock
) -> None:
    workspace.slack.fail_next("files.getUploadURLExternal", "missing_scope")
    await monday_review(workspace, clock)
    [summary] = [m for m in workspace.slack.messages(QUEUE_CHANNEL) if "review" in m.text]
    assert "1 received (0 the week before)" in summary.text
    assert "The full review, with charts: " in summary.text
    assert workspace.slack.files == []
