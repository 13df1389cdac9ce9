"""The inbound journal: what the database could not take waits on disk, and nothing is lost."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.services.journal import UNREADABLE, InboundJournal, decode, encode
from channels.base import Attachment, InboundMessage, SenderCheck

WHEN = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def text(body: str, provider_id: str | None = None) -> InboundMessage:
    return InboundMessage(
        channel="sms",
        address="+447700900123",
        provider_id=provider_id or f"SM-{body}",
        text=body,
        received_at=WHEN,
        raw=f"Body={body}".encode(),
        proof="c2lnbmF0dXJl",
    )


def files(folder: Path, pattern: str = "*.jsonl") -> list[Path]:
    return sorted(folder.glob(pattern))


class Taker:
    """Takes journaled messages as intake would; can be told to fail, as a database down."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.taken: list[str] = []
        self.fail_on = fail_on

    async def __call__(self, message: InboundMessage) -> None:
        if message.text == self.fail_on:
            raise ConnectionRefusedError("the database is gone")
        self.taken.append(message.text)


def test_a_message_comes_back_from_the_journal_exactly_as_it_went_in() -> None:
    message = InboundMessage(
        channel="email",
        address="bea@example.net",
        provider_id="<abc@example.net>",
        text="Ma box ne marche plus \u2014 \U0001f621\nligne 2",
        received_at=WHEN,
        display_name="Béa",
        subject="Réclamation",
        thread_ids=("<x@example.com>",),
        attachments=(Attachment("photo.jpg", "image/jpeg", 3, b"\xff\xd8\x00"),),
        raw=b"\x00\xffraw bytes",
        flags=("malformed-mime",),
        batch=True,
        language="fr",
        sender=SenderCheck(
            spf="pass",
            dkim="fail",
            dmarc="pass",
            from_domain="example.net",
            checked_by="mx",
            policy="quarantine",
            aligned="spf:example.net",
        ),
    )
    assert decode(encode(message)) == message
    assert encode(message).count(b"\n") == 1, "one message is one line"


async def test_entries_are_handed_back_in_order_and_the_file_is_emptied(tmp_path: Path) -> None:
    journal = InboundJournal(tmp_path)
    for body in ("one", "two", "three"):
        await journal.append(text(body))
    assert journal.holding
    assert journal.waiting() == 3
    taker = Taker()
    assert await journal.replay(taker) == 3
    assert taker.taken == ["one", "two", "three"]
    assert not journal.holding
    assert journal.waiting() == 0
    journal.close()
    assert files(tmp_path, "*") == [], "an empty journal leaves no file"


async def test_a_failure_keeps_that_entry_and_the_ones_after_it(tmp_path: Path) -> None:
    journal = InboundJournal(tmp_path)
    for body in ("one", "two", "three"):
        await journal.append(text(body))
    failing = Taker(fail_on="two")
    with pytest.raises(ConnectionRefusedError):
        await journal.replay(failing)
    assert failing.taken == ["one"]
    assert journal.waiting() == 2
    taker = Taker()
    assert await journal.replay(taker) == 2
    assert taker.taken == ["two", "three"]
    journal.close()


async def test_a_stopped_process_s_journal_is_replayed_by_the_next(tmp_path: Path) -> None:
    crashed = InboundJournal(tmp_path)
    await crashed.append(text("kept across the crash"))
    crashed.close()  # the process ends (its lock goes) with the entry still waiting
    taker = Taker()
    assert await InboundJournal(tmp_path).replay(taker) == 1
    assert taker.taken == ["kept across the crash"]
    assert files(tmp_path) == []


async def test_a_live_process_s_journal_is_left_to_it(tmp_path: Path) -> None:
    live = InboundJournal(tmp_path)
    await live.append(text("mine"))
    other = Taker()
    assert await InboundJournal(tmp_path).replay(other) == 0
    assert other.taken == []
    taker = Taker()
    assert await live.replay(taker) == 1
    assert taker.taken == ["mine"]
    live.close()


async def test_a_stopped_process_s_failed_replay_keeps_only_what_is_left(tmp_path: Path) -> None:
    crashed = InboundJournal(tmp_path)
    for body in ("one", "two", "three"):
        await crashed.append(text(body))
    crashed.close()
    with pytest.raises(ConnectionRefusedError):
        await InboundJournal(tmp_path).replay(Taker(fail_on="three"))
    taker = Taker()
    assert await InboundJournal(tmp_path).replay(taker) == 1
    assert taker.taken == ["three"]


async def test_a_half_written_last_line_is_ignored_and_a_garbled_one_kept(tmp_path: Path) -> None:
    crashed = InboundJournal(tmp_path)
    await crashed.append(text("whole"))
    crashed.close()
    (path,) = files(tmp_path)
    with path.open("ab") as file:
        file.write(b"not json at all\n")
        # Cut off by the crash: never answered, so Twilio still has it.
        file.write(encode(text("cut"))[:40])
    taker = Taker()
    assert await InboundJournal(tmp_path).replay(taker) == 2
    assert taker.taken == ["whole"]
    assert (tmp_path / UNREADABLE).read_bytes() == b"not json at all\n"


async def test_the_journal_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    journal = InboundJournal(tmp_path / "journal")
    await journal.append(text("personal data"))
    (path,) = files(tmp_path / "journal")
    assert path.stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "journal").stat().st_mode & 0o777 == 0o700
    journal.close()
