"""SMS segment counting by the GSM 03.38 rules: what a message will cost."""

from __future__ import annotations

import pytest

from channels.sms.segments import SegmentInfo, gsm_safe, sms_segments


@pytest.mark.parametrize(
    ("length", "segments"), [(1, 1), (160, 1), (161, 2), (306, 2), (307, 3), (459, 3), (460, 4)]
)
def test_plain_text_fits_160_in_one_segment_then_153_per_segment(
    length: int, segments: int
) -> None:
    assert sms_segments("a" * length) == SegmentInfo("GSM-7", length, segments)


def test_every_gsm_basic_character_costs_one_septet() -> None:
    text = (
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ÄÖÑ\u00dc\u00a7¿äöñüà"
    )
    assert sms_segments(text) == SegmentInfo("GSM-7", len(text), 1)


@pytest.mark.parametrize("char", ["€", "[", "]", "{", "}", "~", "\\", "^", "|", "\f"])
def test_extension_characters_cost_two_septets(char: str) -> None:
    assert sms_segments(f"Price {char}5") == SegmentInfo("GSM-7", 9, 1)


def test_an_extension_character_can_push_a_message_into_a_second_segment() -> None:
    assert sms_segments("a" * 158 + "€").segments == 1
    assert sms_segments("a" * 159 + "€") == SegmentInfo("GSM-7", 161, 2)


def test_an_escape_pair_is_not_split_across_segments() -> None:
    # 306 septets would fit two parts, but the € cannot straddle the first part's end.
    assert sms_segments("a" * 152 + "€" + "a" * 152) == SegmentInfo("GSM-7", 306, 3)
    assert sms_segments("a" * 151 + "€" + "a" * 153) == SegmentInfo("GSM-7", 306, 2)


@pytest.mark.parametrize(
    ("text", "units"),
    [("Parcel late 📦", 14), ("طردي لم يصل", 11), ("naïve", 5), ("It\u2019s late", 9)],
)
def test_text_outside_gsm_is_sent_as_ucs2(text: str, units: int) -> None:
    assert sms_segments(text) == SegmentInfo("UCS-2", units, 1)


def test_a_surrogate_pair_emoji_is_two_units() -> None:
    assert sms_segments("😀") == SegmentInfo("UCS-2", 2, 1)


@pytest.mark.parametrize(("length", "segments"), [(70, 1), (71, 2), (134, 2), (135, 3)])
def test_ucs2_fits_70_in_one_segment_then_67_per_segment(length: int, segments: int) -> None:
    assert sms_segments("ب" * length) == SegmentInfo("UCS-2", length, segments)


def test_one_emoji_turns_a_long_message_ucs2_and_costs_more_segments() -> None:
    assert sms_segments("a" * 100).segments == 1
    assert sms_segments("a" * 100 + "🙂") == SegmentInfo("UCS-2", 102, 2)


def test_a_surrogate_pair_is_not_split_across_segments() -> None:
    assert sms_segments("b" * 66 + "😀" + "b" * 66) == SegmentInfo("UCS-2", 134, 3)


def test_an_empty_message_is_billed_as_one_segment() -> None:
    assert sms_segments("") == SegmentInfo("GSM-7", 0, 1)


@pytest.mark.parametrize(
    ("text", "sent"),
    [
        ("reclamación", "reclamacion"),  # á is not GSM-7: one would make the whole text UCS-2
        ("Zoë, ça coûte", "Zoe, ca coute"),  # ë, û, ç (only Ç is GSM-7) lose the accent
        ("é è ñ ü ä ß", "é è ñ ü ä ß"),  # GSM-7 has these: kept as written
        ("\u201cyes\u201d \u2013 it\u2019s fine\u2026", '"yes" - it\'s fine...'),
        ("日本 🙂", "日本 🙂"),  # nothing to fold to: left as it is
    ],
)
def test_gsm_safe_drops_only_accents_gsm7_lacks(text: str, sent: str) -> None:
    assert gsm_safe(text) == sent
