"""What every `complaintbot` command shares: how it speaks, and the day it reads."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.services.app import App


def say(app: App, template: str, **context: object) -> None:
    """Print a staff template, in the organisation's default language."""
    from bot.rendering import STAFF_CHANNEL

    print(app.renderer.render(template, context, STAFF_CHANNEL).text, flush=True)


def day(value: str) -> date:
    """An argument that is a day, YYYY-MM-DD (a clear message when it is not)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r}: give a day as YYYY-MM-DD") from None
