"""The local staff feed: one file per queue, appended, names made safe."""

from __future__ import annotations

from pathlib import Path

from channels.base import OutboundMessage
from channels.staff_feed import StaffFeedAdapter


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


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
    assert names(tmp_path) == ["feed"]
    assert [n for n in names(tmp_path / "feed") if n.endswith(".log")] == [
        feed.path_for("../../etc/passwd").name
    ]


async def test_a_notice_sent_again_after_a_crash_is_written_once(tmp_path: Path) -> None:
    notice = OutboundMessage("staff-feed", "complaints", "[URGENT] New complaint", 7)
    await StaffFeedAdapter(tmp_path / "feed").send(notice)
    # The process died before marking row 7 sent; the next one sends it again.
    restarted = StaffFeedAdapter(tmp_path / "feed")
    await restarted.send(notice)
    await restarted.send(OutboundMessage("staff-feed", "complaints", "next", 8))
    text = (tmp_path / "feed" / "complaints.log").read_text()
    assert text == "[URGENT] New complaint\n\nnext\n\n"
