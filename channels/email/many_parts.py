"""Messages of thousands of MIME parts: keep the customer's words without parsing them all."""

from __future__ import annotations

from email.message import Message
from email.parser import BytesParser

from channels.email.headers import POLICY
from channels.email.mime import content_type, disposition


def first_text_part(raw: bytes, head: Message) -> Message | None:
    """The message's headers over its first top-level text part, found without parsing the rest.

    A message of 5,000 parts is not parsed whole (it would hold the event loop), but the
    customer's words in it must not be lost: the parts are found by their boundary, and only
    the first that is text (not an attachment) is parsed, under the message's own headers.
    """
    boundary = head.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        return None
    delimiter = b"\n--" + boundary.encode("ascii", "replace")
    for segment in raw.split(delimiter)[1:]:
        if segment.startswith(b"--"):
            break  # the closing delimiter
        own = segment.split(b"\n", 1)[-1]  # the rest of the delimiter line
        # A glance at the part's own headers first: parsing each of thousands costs seconds.
        glance = own[:2048].split(b"\n\r\n", 1)[0].split(b"\n\n", 1)[0].lower()
        if b"attachment" in glance or (b"content-type" in glance and b"text/" not in glance):
            continue
        part = BytesParser(policy=POLICY).parsebytes(own, headersonly=True)
        if content_type(part) in {"text/plain", "text/html"} and disposition(part) != "attachment":
            top = b"".join(
                f"{name}: {value}\r\n".encode("utf-8", "replace")
                for name, value in head.raw_items()
                if name.lower() not in {"content-type", "content-transfer-encoding", "mime-version"}
            )
            try:
                return BytesParser(policy=POLICY).parsebytes(b"MIME-Version: 1.0\r\n" + top + own)
            except Exception:
                return None
    return None
