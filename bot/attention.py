"""Which messages on no case need a person's eye (the staff inbox), for both ways of reading it."""

from __future__ import annotations

from collections.abc import Sequence

# Flags that make a message on no case worth a person's eye even from a known customer.
ATTENTION_FLAGS = (
    "processing-failed",
    "auto",
    "unparseable",
    "mime-",
    "binary-body",
    "no-text",
    "too-many-",
    "attachment-too-large",
    "group",
    "from-bot",
    "channel-post",
    "contact-not-own",
    "bad-press",
    "unverified",
    "media-over-limit",
    "sender-unverified",
)


def needs_attention(flags: Sequence[object] | None, *, known_customer: bool) -> bool:
    """A stranger's message, or a flagged one: not a customer's routine words on no case."""
    flagged = any(str(flag).startswith(ATTENTION_FLAGS) for flag in flags or [])
    return flagged or not known_customer


# Routine words are most of what is on no case: the inbox looks this many times further back.
LOOK_BACK = 20
