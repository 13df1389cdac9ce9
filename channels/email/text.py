"""Text work on message bodies: HTML to readable text, and the new part of a reply."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any, cast

import inscriptis  # type: ignore[import-untyped]
from mailparser_reply.parser import EmailMessage as ReplyText  # type: ignore[import-untyped]

MAX_HTML_CHARS = 2_000_000
# Reply detection reads only the top of a long text, line by line; the library's patterns
# backtrack badly on very long lines, so those never reach it.
MAX_REPLY_SCAN_CHARS = 20_000
MAX_REPLY_SCAN_LINE = 300
# Every language mail-parser-reply knows attribution lines and header blocks for.
REPLY_LANGUAGES = ("en", "de", "cs", "da", "es", "fr", "it", "ja", "ko", "nl", "pl", "sv", "zh")

_QUOTED = re.compile(r"^[ \t]*>")
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|tr|rv|enc|vs|vl|doorst)\s*:", re.IGNORECASE)
_FORWARD_MARKER = re.compile(
    r"^[ \t>]*(?:-+\s*(?:forwarded message|weitergeleitete nachricht|message transf[ée]r[ée]"
    r"|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht)\s*-+"
    r"|begin forwarded message:|anfang der weitergeleiteten nachricht:)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_BLANK_RUN = re.compile(r"\n{3,}")
_SKIPPED_TAGS = frozenset({"script", "style", "head", "title", "template", "noscript"})
_BLOCK_TAGS = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "hr"}
)


class _TextOnly(HTMLParser):
    """The fallback converter: text nodes only, script and style dropped, blocks on new lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def _fallback_html_to_text(html: str) -> str:
    parser = _TextOnly()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: S110  # what was read so far is the best there is
        pass
    return "".join(parser.parts)


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip("\n")


def html_to_text(html: str, flags: list[str]) -> str:
    """Readable text of an HTML body: no tags, no script or style content."""
    if len(html) > MAX_HTML_CHARS:
        flags.append("text-truncated")
        html = html[:MAX_HTML_CHARS]
    try:
        text = cast(str, inscriptis.get_text(html))
    except Exception:
        text = ""
    if not text.strip():
        # inscriptis (lxml) gives up on some broken or very deep documents.
        text = _fallback_html_to_text(html)
    return _tidy(text)


def _scan_copy(text: str) -> list[str]:
    """The lines the reply library may see: stripped, long ones blanked, blank runs collapsed."""
    lines: list[str] = []
    size = 0
    for line in text.split("\n"):
        line = line.strip()
        if len(line) > MAX_REPLY_SCAN_LINE:
            line = "\u2026"
        if not line and lines and not lines[-1]:
            continue
        lines.append(line)
        size += len(line) + 1
        if size > MAX_REPLY_SCAN_CHARS:
            break
    return lines


def _library_cut(text: str) -> int | None:
    """Line index in ``text`` where mail-parser-reply sees earlier history begin, or None."""
    scanned = _scan_copy(text)
    try:
        parsed: Any = ReplyText(text="\n".join(scanned), languages=list(REPLY_LANGUAGES)).read()
        replies = list(parsed.replies)
    except Exception:
        return None
    if len(replies) < 2 or not str(replies[0].content).strip():
        return None
    header = str(replies[1].headers).strip()
    if not header:
        return None
    first = header.split("\n", 1)[0].strip()
    # Which occurrence of that line the library cut at: map it back onto the original lines.
    joined = "\n".join(scanned)
    position = joined.find(header)
    before = joined[:position].split("\n") if position > 0 else []
    occurrence = sum(1 for line in before if line == first)
    for index, line in enumerate(text.split("\n")):
        if line.strip() == first:
            if occurrence == 0:
                return index
            occurrence -= 1
    return None


def _is_attribution(lines: list[str], index: int) -> bool:
    line = lines[index].strip()
    return line.endswith(":") and not _QUOTED.match(lines[index]) and len(line) < 200


def _attribution_start(lines: list[str], end: int) -> int:
    """Where the "On … wrote:" lines right above line ``end`` begin (``end`` if there are none)."""
    index = end - 1
    while index >= 0 and not lines[index].strip():
        index -= 1
    if index < 0 or not _is_attribution(lines, index):
        return end
    start = index
    line = lines[index].strip()
    above = lines[index - 1].strip() if index > 0 else ""
    # A client wrapped the attribution: "… Name <" / "name@example.com> wrote:", or "wrote:" alone.
    if above and (
        line.count(">") > line.count("<") or above.endswith("<") or len(line.split()) <= 2
    ):
        start = index - 1
    return start


def _strip_quotes(text: str) -> str:
    lines = text.split("\n")
    quoted = [bool(_QUOTED.match(line)) for line in lines]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    if not filled or not any(quoted):
        return text
    last = filled[-1]
    if quoted[last]:
        # Top-posted: the reply, then the quoted history to the end.
        start = last
        while start > 0 and (quoted[start - 1] or not lines[start - 1].strip()):
            start -= 1
        return "\n".join(lines[: _attribution_start(lines, start)])
    first_quoted = next(i for i in filled if quoted[i])
    end = first_quoted
    while end < len(lines) and (quoted[end] or not lines[end].strip()):
        end += 1
    only_attribution_above = _attribution_start(lines, first_quoted) <= filled[0]
    if only_attribution_above and not any(quoted[i] for i in filled if i >= end):
        # Bottom-posted: an attribution and the quoted history, then the reply below it.
        return "\n".join(lines[end:])
    # Answers between quotes belong to their questions; keep all of it.
    return text


def is_forward(subject: str, text: str) -> bool:
    """Whether the sender forwarded a message: then the "history" is what they want us to read."""
    return bool(_FORWARD_SUBJECT.match(subject) or _FORWARD_MARKER.search(text))


def strip_reply(text: str) -> str:
    """The new part of a reply: quoted history cut off; the whole text when nothing is left."""
    new = text
    cut = _library_cut(text)
    if cut is not None:
        new = "\n".join(text.split("\n")[:cut])
    new = _strip_quotes(new).strip("\n")
    return new if new.strip() else text


def cut_at_quote_of(text: str, ours: Sequence[str]) -> str:
    """The text up to where it starts repeating one of our messages (a quote of it).

    For replies whose quoting the reply parser did not recognise (an unknown language's
    header block): whatever follows the first line that is one of our own long lines is our
    message, not the customer's answer. The line introducing the quote ("On ... wrote:") goes
    too.
    """
    our_lines = {
        _quoted_line(line)
        for message in ours
        for line in message.splitlines()
        if len(_quoted_line(line)) >= 20
    }
    if not our_lines:
        return text
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if _quoted_line(line) in our_lines:
            kept = lines[:index]
            while kept and (not kept[-1].strip() or kept[-1].rstrip().endswith(":")):
                kept.pop()
            return "\n".join(kept)
    return text


def _quoted_line(line: str) -> str:
    return " ".join(line.lstrip("> \t").split())
