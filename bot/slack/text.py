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
