"""Text to and from Slack: what people typed, and data that Slack does not display."""

from __future__ import annotations

from markupsafe import Markup


def unescape(text: str) -> str:
    """Slack's message or command text as the person typed it (Slack escapes &, < and >)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def raw(value: str) -> Markup:
    """A value kept as it is when rendered for Slack: an input's text, a button's value or a
    view's metadata are data given back to us, not mrkdwn shown to anyone."""
    return Markup(value)  # noqa: S704


def pieces(text: str, size: int = 400) -> list[str]:
    """Text in pieces of at most ``size`` characters, at line ends where it can be.

    Each piece becomes its own Slack section: escaped and quoted, a piece of 400 characters
    stays under Slack's 3,000 per section however many &, < and > it holds.
    """
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > size:
            if current:
                out.append(current)
                current = ""
            out.append(line[:size])
            line = line[size:]
        joined = f"{current}\n{line}" if current else line
        if len(joined) > size:
            out.append(current)
            current = line
        else:
            current = joined
    out.append(current)
    return [piece for piece in out if piece.strip()] or [""]
