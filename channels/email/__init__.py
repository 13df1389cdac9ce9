"""The email channel: the built-in SMTP server, parsing, composing and sending mail.

Thin adapters that know nothing about complaints: ``parse`` (raw bytes to InboundMessage),
``compose`` (OutboundMessage to a MIME message), ``outbound`` (EmailAdapter: relay or drop
folder) and ``server`` (an aiosmtpd handler served on the caller's event loop).
"""
