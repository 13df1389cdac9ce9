"""The MIME tree of a parsed message: its readable text and its attachments, bounded."""

from __future__ import annotations

import codecs
import io
import mimetypes
import os.path
import re
import unicodedata
from dataclasses import dataclass, field
from email.generator import BytesGenerator
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import collapse_rfc2231_value
from typing import Any, cast

from channels.base import Attachment
from channels.email.headers import (
    CHARSET_FALLBACK,
    POLICY,
    clean_text,
    decode_words,
    first_value,
    one_line,
)
from channels.email.text import html_to_text

# Bounds that keep one hostile message from costing more than a normal one.
MAX_PARTS = 1000
MAX_TEXT_CHARS = 1_000_000
MAX_FILENAME_CHARS = 120

REPORT_TYPES = frozenset({"message/delivery-status", "message/global-delivery-status"})
ORIGINAL_TYPES = frozenset({"message/rfc822", "message/global"})
ORIGINAL_HEADER_TYPES = frozenset({"text/rfc822-headers", "message/global-headers"})
# Parts the parser opens as messages but that we keep whole, as attachments.
ENCLOSING_TYPES = REPORT_TYPES | ORIGINAL_TYPES
BODY_TYPES = frozenset({"text/plain", "text/html"})
# Codecs that are no charset a mail client would use, and some are slow or surprising.
UNSAFE_CODECS = frozenset(
    {"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs", "oem"}
)

_EXTENSIONS = {
    "message/rfc822": ".eml",
    "message/global": ".eml",
    "message/delivery-status": ".txt",
    "message/global-delivery-status": ".txt",
    "text/rfc822-headers": ".txt",
    "message/global-headers": ".txt",
}
# Control characters other than tab and newline, and the replacement character.
_NOISE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
_CONTENT_TYPE = re.compile(r"[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+")
_UNSAFE_FILENAME_CHARS = re.compile(r'[\\/:*?"<>|]')
_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


@dataclass
class Body:
    """What a message's parts hold: text, attachments, and the parts a delivery report needs."""

    text: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    reports: list[Message] = field(default_factory=list)
    originals: list[Message] = field(default_factory=list)


def content_type(part: Message) -> str:
    """The part's content type, lower-cased; ``text/plain`` when it cannot be read."""
    try:
        value = part.get_content_type()
    except Exception:
        value = ""
    value = str(value).lower()
    return value if _CONTENT_TYPE.fullmatch(value) else "text/plain"


def _legacy_param(part: Message, name: str, header: str) -> str | None:
    """A parameter read by the legacy parser from the raw header: it keeps unquoted names whole."""
    raw = first_value(part, header, [])
    if not raw:
        return None
    legacy = Message(policy=compat32)
    try:
        legacy[header] = raw
        value = legacy.get_param(name, header=header)
        if isinstance(value, tuple):
            value = collapse_rfc2231_value(value, errors="replace")
    except Exception:
        return None
    return str(value) if value else None


def disposition(part: Message) -> str:
    """``attachment``, ``inline`` or ``""``."""
    try:
        value = part.get_content_disposition()
    except Exception:
        value = None
    return str(value or "").lower()


def raw_filename(part: Message) -> str | None:
    """The file name a sender gave, decoded as well as the headers allow."""
    try:
        modern = part.get_filename()
    except Exception:
        modern = None
    legacy = _legacy_param(part, "filename", "content-disposition") or _legacy_param(
        part, "name", "content-type"
    )
    candidates = [str(name) for name in (modern, legacy) if name]
    if not candidates:
        try:
            location = part.get("content-location")
        except Exception:
            location = None
        return str(location) if location else None
    # An unquoted name with spaces, or an encoded word where none belongs, parses short in the
    # modern parser; the legacy one keeps all of it.
    best = re.sub(r"^=+(?==\?)", "", max(candidates, key=len))
    if _ENCODED_WORD.search(best):
        best = decode_words("subject", best)
    return best


def safe_filename(name: str | None, index: int, content_type_: str) -> str:
    """A file name safe to show and store: no path, no control characters, bounded length."""
    cleaned = ""
    if name:
        cleaned = re.sub(r"[\t\r\n]+", " ", name)
        cleaned = "".join(c for c in cleaned if unicodedata.category(c)[0] != "C")
        cleaned = unicodedata.normalize("NFC", one_line(cleaned))
        cleaned = re.split(r"[\\/]", cleaned)[-1]
        cleaned = _UNSAFE_FILENAME_CHARS.sub("_", cleaned).strip(" .")
    if not cleaned:
        extension = _EXTENSIONS.get(content_type_) or mimetypes.guess_extension(
            content_type_, strict=False
        )
        if not extension:
            extension = ".txt" if content_type_.startswith("text/") else ".bin"
        return f"attachment-{index}{extension}"
    if len(cleaned) > MAX_FILENAME_CHARS:
        stem, extension = os.path.splitext(cleaned)
        extension = extension[:16]
        cleaned = stem[: MAX_FILENAME_CHARS - len(extension)] + extension
    return cleaned


def _codec(charset: str | None) -> str | None:
    if not charset:
        return None
    name = charset.strip().strip("\"'").lower()
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in UNSAFE_CODECS:
        return None
    return info.name


def decode_bytes(data: bytes, charset: str | None, flags: list[str]) -> str:
    """Bytes of a text part as text: its own charset, else UTF-8, else cp1252 (flagged)."""
    codec = _codec(charset)
    if codec is not None:
        try:
            return data.decode(codec)
        except Exception:  # noqa: S110  # a wrong label: fall through to the guesses below
            pass
    if charset or not data.isascii():
        flags.append(CHARSET_FALLBACK)
    for guess in ("utf-8", "cp1252"):
        try:
            return data.decode(guess)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def payload_bytes(part: Message) -> bytes:
    """The part's content, transfer-decoded; raw when the encoding is unknown or broken."""
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if isinstance(data, bytes):
        return data
    try:
        text = part.get_payload()
    except Exception:
        return b""
    if isinstance(text, str):
        return text.encode("utf-8", "surrogateescape")
    return b""


def flatten(message: Message) -> bytes:
    """A (sub)message as bytes, its headers as received."""
    buffer = io.BytesIO()
    try:
        policy = POLICY.clone(refold_source="none", linesep="\r\n")
        BytesGenerator(buffer, mangle_from_=False, policy=policy).flatten(cast(Any, message))
    except Exception:
        try:
            return message.as_string().encode("utf-8", "surrogateescape")
        except Exception:
            return b""
    return buffer.getvalue()


def _normalise_text(text: str, flags: list[str]) -> str:
    if len(text) > MAX_TEXT_CHARS:
        flags.append("text-truncated")
        text = text[:MAX_TEXT_CHARS]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > 20:
        noise = sum(1 for _ in _NOISE.finditer(text))
        if noise / len(text) > 0.3:
            flags.append("binary-body")
            return ""
    return clean_text(text)


def part_text(part: Message, ctype: str, flags: list[str]) -> str:
    """A text/plain or text/html part as readable text."""
    try:
        charset = part.get_content_charset()
    except Exception:
        charset = None
    text = _normalise_text(decode_bytes(payload_bytes(part), charset, flags), flags)
    if ctype == "text/html":
        text = html_to_text(text, flags)
    return text


def _children(part: Message) -> list[Message] | None:
    try:
        if not part.is_multipart():
            return None
        payload = part.get_payload()
    except Exception:
        return None
    if isinstance(payload, list):
        return [child for child in payload if isinstance(child, Message)]
    return None


@dataclass
class _Node:
    """One part, read once: header parsing is the costly step, and the walks revisit parts."""

    part: Message
    ctype: str
    children: list[_Node] | None
    body: bool = False
    # Body types (text/plain, text/html) somewhere in this part, for choosing alternatives.
    contains: set[str] = field(default_factory=set)


def _tree(root: Message, flags: list[str]) -> _Node:
    """The parts as nodes, depth first, at most MAX_PARTS of them."""
    nodes: list[_Node] = []
    top = _Node(root, content_type(root), None)
    stack = [top]
    while stack:
        node = stack.pop()
        nodes.append(node)
        children = _children(node.part) if node.ctype not in ENCLOSING_TYPES else None
        if children is None:
            node.body = _is_body(node.part, node.ctype, node.part is root)
            continue
        room = max(0, MAX_PARTS - len(nodes) - len(stack))
        if len(children) > room:
            flags.append("too-many-parts")
            children = _kept(children, room)
        node.children = [_Node(child, content_type(child), None) for child in children]
        stack.extend(reversed(node.children))
    # Children come after their parent in ``nodes``: backwards, each is done before its parent.
    for node in reversed(nodes):
        if node.body:
            node.contains.add(node.ctype)
        for child in node.children or ():
            node.contains |= child.contains
    return top


def _kept(children: list[Message], room: int) -> list[Message]:
    """``room`` of the children, in order, those that may hold the text first (it may be last)."""
    textual = [
        index
        for index, child in enumerate(children)
        if content_type(child).startswith("multipart/")
        or (content_type(child) in BODY_TYPES and disposition(child) != "attachment")
    ]
    keep = set(textual[:room])
    for index in range(len(children)):
        if len(keep) >= room:
            break
        keep.add(index)
    return [child for index, child in enumerate(children) if index in keep]


def _is_body(part: Message, ctype: str, is_root: bool) -> bool:
    if ctype not in BODY_TYPES or disposition(part) == "attachment":
        return False
    return is_root or raw_filename(part) is None


def _preferred(children: list[_Node], prefer: str) -> int:
    """Which alternative to read: the first with ``prefer`` text, else the last with any text."""
    other = "text/html" if prefer == "text/plain" else "text/plain"
    order = range(len(children)) if prefer == "text/plain" else range(len(children) - 1, -1, -1)
    for wanted in (prefer, other):
        for index in order:
            if wanted in children[index].contains:
                return index
    return len(children) - 1


def _walk_texts(top: _Node, prefer: str, flags: list[str]) -> list[str]:
    texts: list[str] = []
    stack: list[tuple[_Node, bool]] = [(top, True)]
    while stack:
        node, chosen = stack.pop()
        if node.children is not None:
            pick = (
                _preferred(node.children, prefer) if node.ctype == "multipart/alternative" else None
            )
            for index in range(len(node.children) - 1, -1, -1):
                stack.append((node.children[index], chosen and pick in (None, index)))
        elif chosen and node.ctype.startswith("multipart/"):
            # A multipart whose boundary never came: its body is all there is to read.
            flags.append("mime-defects")
            texts.append(part_text(node.part, "text/plain", flags))
        elif chosen and node.body:
            texts.append(part_text(node.part, node.ctype, flags))
    return [text.strip("\n") for text in texts if text.strip()]


def _attachment(part: Message, ctype: str, index: int, max_bytes: int, keep: bool) -> Attachment:
    children = _children(part)
    if children is not None:
        data = b"".join(flatten(child) for child in children)
    else:
        data = payload_bytes(part)
    name = safe_filename(raw_filename(part), index, ctype)
    content = data if keep and len(data) <= max_bytes else None
    return Attachment(filename=name, content_type=ctype, size=len(data), content=content)


def extract(
    root: Message, *, max_attachment_bytes: int, max_attachments: int, flags: list[str]
) -> Body:
    """Read the whole tree: text from the chosen alternatives, every other leaf as an attachment."""
    body = Body()
    top = _tree(root, flags)
    texts = _walk_texts(top, "text/plain", flags)
    if not texts:
        texts = _walk_texts(top, "text/html", flags)
    text = "\n\n".join(texts)
    if len(text) > MAX_TEXT_CHARS:
        flags.append("text-truncated")
        text = text[:MAX_TEXT_CHARS]
    body.text = text

    stack = [top]
    while stack:
        node = stack.pop()
        if node.children is not None:
            stack.extend(reversed(node.children))
            continue
        part, ctype = node.part, node.ctype
        if node.body or ctype.startswith("multipart/"):
            continue
        if ctype in REPORT_TYPES:
            body.reports.append(part)
        elif ctype in ORIGINAL_TYPES:
            enclosed = _children(part)
            body.originals.append(enclosed[0] if enclosed else _headers_of(part))
        elif ctype in ORIGINAL_HEADER_TYPES:
            body.originals.append(_headers_of(part))
        keep = len(body.attachments) < max_attachments
        if not keep:
            flags.append("too-many-attachments")
        attachment = _attachment(part, ctype, len(body.attachments) + 1, max_attachment_bytes, keep)
        if keep and attachment.content is None:
            flags.append("attachment-too-large")
        body.attachments.append(attachment)
    return body


def _headers_of(part: Message) -> Message:
    try:
        return BytesHeaderParser(policy=POLICY).parsebytes(payload_bytes(part))
    except Exception:
        return Message()
