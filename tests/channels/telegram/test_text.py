"""Telegram text: escaped for HTML parse mode, split to fit one message."""

from __future__ import annotations

import html

from channels.telegram.text import escaped, split_message


def test_markup_a_customer_typed_is_shown_as_typed() -> None:
    assert escaped("<b>bold</b> & </a>") == "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;/a&gt;"


def test_a_short_message_is_one_part() -> None:
    assert split_message("Thank you.\n\nYour reference is CB-1.", 4096) == [
        "Thank you.\n\nYour reference is CB-1."
    ]


def test_a_long_message_is_cut_between_paragraphs_and_loses_no_words() -> None:
    paragraphs = [f"Paragraph {n}: " + "word " * 30 for n in range(40)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    parts = split_message(text, 500)
    assert all(len(part) <= 500 for part in parts)
    assert all(part.startswith("Paragraph") for part in parts)
    assert " ".join(parts).split() == text.split()


def test_escapes_count_towards_the_limit_and_are_never_cut_in_two() -> None:
    text = "&" * 1000
    parts = split_message(text, 4096)
    assert all(len(part) <= 4096 for part in parts)
    assert "".join(html.unescape(part) for part in parts) == text


def test_one_endless_word_is_still_cut_to_fit() -> None:
    parts = split_message("x" * 9000, 4096)
    assert [len(part) for part in parts] == [4096, 4096, 808]
