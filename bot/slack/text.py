"""Text to and from Slack: what people typed and submitted, and data Slack does not display."""

from __future__ import annotations

import hashlib
import json
from typing import Any

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


def digest(*parts: object) -> str:
    """A short fingerprint of what a preview showed, to know it is what is being sent."""
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()[:32]


def submitted(view: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The view's metadata and its inputs by action id (value, selected option, checkboxes)."""
    values: dict[str, Any] = {}
    for block in (view.get("state") or {}).get("values", {}).values():
        for action_id, state in block.items():
            if "selected_option" in state:
                selected = state["selected_option"]
                values[action_id] = selected["value"] if selected else None
            elif "selected_options" in state:
                values[action_id] = [option["value"] for option in state["selected_options"]]
            else:
                values[action_id] = state.get("value")
    try:
        metadata = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        metadata = {}
    return metadata if isinstance(metadata, dict) else {}, values
