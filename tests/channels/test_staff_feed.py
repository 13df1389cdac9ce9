"""The local staff feed: one file per queue, appended, names made safe."""

from __future__ import annotations

from pathlib import Path

from channels.base import OutboundMessage
from channels.staff_feed import StaffFeedAdapter


async def test_messages_are_appended_per_queue(tmp_path: Path) -> None:
    feed = StaffFeedAdapter(tmp_path / "feed")
    await feed.send(OutboundMessage("staff-feed", "complaints", "first", 1))
    await feed.send(OutboundMessage("staff-feed", "complaints", "second", 2))
    await feed.send(OutboundMessage("staff-feed", "billing", "money", 3))
    assert (tmp_path / "feed" / "complaints.log").read_text() == "first\n\nsecond\n\n"
    assert (tmp_path / "feed" / "billing.log").read_text() == "money\n\n"


async def test_a_queue_name_cannot_escape_the_folder(tmp_path: Path) -> None:
    feed = StaffFeedAdapter(tmp_path / "feed")
    await feed.send(OutboundMessage("staff-feed", "../../etc/passwd", "x", 1))
    assert feed.path_for("../../etc/passwd").parent == tmp_path / "feed"
    assert list((tmp_path / "feed").iterdir()) == [feed.path_for("../../etc/passwd")]
