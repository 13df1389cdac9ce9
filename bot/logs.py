"""Logging for the command line: one format, and secrets that never reach a log line."""

from __future__ import annotations

import logging
import re

# A Telegram bot token ("123456789:AA…"): it is part of every Bot API URL, which HTTP clients
# log at INFO ("HTTP Request: POST https://api.telegram.org/bot123:AA…/sendMessage").
# The colon may arrive URL-encoded ("%3A"), as in a file download's URL.
_BOT_TOKEN = re.compile(r"\d{5,}(?::|%3[Aa])[A-Za-z0-9_-]{30,}")
REDACTED = "<telegram-token>"


def redact(text: str) -> str:
    """``text`` with anything shaped like a bot token replaced."""
    return _BOT_TOKEN.sub(REDACTED, text)


class RedactSecrets(logging.Filter):
    """Rewrites each record's message so that no token survives, arguments included."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep the record, with its message redacted."""
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and record.exc_text is None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        # Frozen as it reads now: a library may change an argument after logging it (PTB
        # turns a logged file_path into the full URL, token included).
        record.msg, record.args = cleaned, None
        return True


def configure(verbose: bool) -> None:
    """Log to stderr (INFO with ``verbose``, else WARNING), secrets redacted."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactSecrets) for f in handler.filters):
            handler.addFilter(RedactSecrets())
