"""Files an outbox row names: read from the data folder when sent, and only from there."""

from __future__ import annotations

from pathlib import Path

from bot.outbox_files import file_entry, read_files


async def test_a_named_file_is_read_with_its_type_and_title(tmp_path: Path) -> None:
    chart = tmp_path / "reports" / "week" / "timing.png"
    chart.parent.mkdir(parents=True)
    chart.write_bytes(b"\x89PNG...")
    entry = file_entry(tmp_path, chart, "How quickly (hours)")
    assert entry["path"] == "reports/week/timing.png"
    [read] = await read_files(tmp_path, [entry])
    assert (read.filename, read.content_type, read.title) == (
        "timing.png",
        "image/png",
        "How quickly (hours)",
    )
    assert read.content == b"\x89PNG..."
    assert read.size == 7


async def test_a_file_gone_or_outside_the_data_folder_is_left_out(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (tmp_path / "secret.txt").write_text("not for Slack")
    (data / "kept.html").write_text("<p>page</p>")
    entries = [
        {"path": "../secret.txt", "filename": "secret.txt", "content_type": "text/plain"},
        {"path": "reports/deleted.png", "filename": "deleted.png", "content_type": "image/png"},
        file_entry(data, data / "kept.html"),
    ]
    assert [f.filename for f in await read_files(data, entries)] == ["kept.html"]
