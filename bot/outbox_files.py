"""Files an outbox row carries: named on the row by their place under the data folder, read
when the message is sent (the row stays small, and the file is written once)."""

from __future__ import annotations

import asyncio
import logging
import mimetypes
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from channels.base import Attachment

log = logging.getLogger(__name__)


def file_entry(data_dir: Path, path: Path, title: str | None = None) -> dict[str, str | None]:
    """How an outbox row names a file under the data folder, to send it with the message."""
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return {
        "path": path.resolve().relative_to(data_dir.resolve()).as_posix(),
        "filename": path.name,
        "content_type": content_type,
        "title": title,
    }


async def read_files(
    data_dir: Path, entries: Iterable[Mapping[str, Any]]
) -> tuple[Attachment, ...]:
    """The files an outbox row names, with their content; one gone is left out (and logged):
    the message still says what it has to say."""
    listed = list(entries)
    if not listed:  # nearly every message: no thread hop
        return ()
    return await asyncio.to_thread(_read_all, data_dir, listed)


def _read_all(data_dir: Path, entries: list[Mapping[str, Any]]) -> tuple[Attachment, ...]:
    root = data_dir.resolve()
    found: list[Attachment] = []
    for entry in entries:
        path = (root / str(entry["path"])).resolve()
        if not path.is_relative_to(root):  # only ever our own files
            log.warning("not attaching %s: outside the data folder", entry["path"])
            continue
        try:
            content = path.read_bytes()
        except OSError as error:
            log.warning("not attaching %s: %s", entry["path"], error.strerror or error)
            continue
        found.append(
            Attachment(
                filename=str(entry["filename"]),
                content_type=str(entry["content_type"]),
                size=len(content),
                content=content,
                title=entry.get("title"),
            )
        )
    return tuple(found)
