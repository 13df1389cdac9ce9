"""Text for Telegram's HTML parse mode: everything escaped, split to fit one message."""

from __future__ import annotations

import html

_BREAKS = ("\n\n", "\n", " ")


def escaped(text: str) -> str:
    """``text`` shown literally in HTML parse mode (no tag, entity or link survives)."""
    return html.escape(text, quote=False)


def split_message(text: str, limit: int) -> list[str]:
    """``text`` escaped and cut into parts of at most ``limit`` characters each.

    Cuts fall on a paragraph break where one fits, else a line break, else a space, so a
    long message reads as paragraphs; an escape (``&amp;``) is never cut in two.
    """
    parts: list[str] = []
    rest = text.strip()
    while rest:
        if len(escaped(rest)) <= limit:
            parts.append(escaped(rest))
            break
        cut = _fitting(rest, limit)
        parts.append(escaped(rest[:cut].rstrip()))
        rest = rest[cut:].lstrip()
    return parts or [""]


def _fitting(text: str, limit: int) -> int:
    """Where to cut ``text`` so its first part, escaped, fits in ``limit`` characters."""
    # The longest raw prefix whose escaped form fits.
    size, end = 0, 0
    for end, char in enumerate(text):  # noqa: B007 (end is used after the loop)
        size += len(escaped(char))
        if size > limit:
            break
    else:
        return len(text)
    for mark in _BREAKS:
        found = text.rfind(mark, 0, end)
        if found > 0:
            return found + len(mark)
    return end
