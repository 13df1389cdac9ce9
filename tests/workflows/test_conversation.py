"""The conversation state survives storage as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from workflows.conversation import Conversation, Field, Mode

answers = st.dictionaries(st.sampled_from(list(Field)), st.text(max_size=40))
skipped = st.frozensets(st.sampled_from(list(Field)))
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
)
conversations = st.builds(
    Conversation,
    mode=st.sampled_from(list(Mode)),
    answers=answers,
    skipped=skipped,
    asking=st.none() | st.sampled_from(list(Field)),
    retries=st.integers(min_value=0, max_value=5),
    correcting=st.booleans(),
    case_reference=st.none() | st.from_regex(r"CB-[3-9A-Y]{4}-[3-9A-Y]{4}", fullmatch=True),
    started_at=st.none() | moments,
    pending=st.lists(st.sampled_from(list(Field)), unique=True).map(tuple),
)


@hypothesis_settings(database=None, max_examples=200)
@given(conversations)
def test_a_conversation_survives_a_trip_through_json(conversation: Conversation) -> None:
    stored = json.loads(json.dumps(conversation.to_dict()))
    restored = Conversation.from_dict(stored)
    assert restored == conversation
    assert restored.started_at is None or restored.started_at.tzinfo is not None


def test_the_stored_form_is_plain_json_values() -> None:
    started = datetime(2026, 3, 20, 10, 30, tzinfo=UTC)
    conversation = Conversation(
        mode=Mode.COLLECTING,
        answers={Field.DESCRIPTION: "late parcel"},
        skipped=frozenset({Field.PRODUCT}),
        asking=Field.WHEN,
        retries=1,
        started_at=started,
        last_at=started,
    )
    assert Conversation.from_dict(conversation.to_dict()) == conversation
    assert conversation.to_dict() == {
        "mode": "collecting",
        "answers": {"description": "late parcel"},
        "skipped": ["product"],
        "asking": "when",
        "retries": 1,
        "correcting": False,
        "case_reference": None,
        "started_at": "2026-03-20T10:30:00+00:00",
        "pending": [],
        "unsure_of": None,
        "last_at": "2026-03-20T10:30:00+00:00",
        "reminded": False,
        "follows": None,
    }


def test_from_dict_ignores_unknown_keys_and_unknown_answers() -> None:
    restored = Conversation.from_dict(
        {
            "mode": "collecting",
            "answers": {"description": "late parcel", "favourite_colour": "blue"},
            "asking": "product",
            "added_in_a_later_version": {"anything": 1},
        }
    )
    assert restored == Conversation(
        mode=Mode.COLLECTING, answers={Field.DESCRIPTION: "late parcel"}, asking=Field.PRODUCT
    )


def test_from_dict_of_nothing_is_a_fresh_idle_conversation() -> None:
    assert Conversation.from_dict({}) == Conversation()
    assert Conversation.from_dict({"answers": None, "asking": None}) == Conversation()


def test_a_skipped_answer_counts_as_answered_but_has_no_value() -> None:
    conversation = Conversation().with_answer(Field.PRODUCT, "A1").with_skipped(Field.PRODUCT)
    assert conversation.answered(Field.PRODUCT)
    assert conversation.answer(Field.PRODUCT) is None
    assert not conversation.answered(Field.WHEN)
    assert "\x00" not in json.dumps(conversation.to_dict())
    answered_again = conversation.with_answer(Field.PRODUCT, "A2")
    assert answered_again.skipped == frozenset()
    assert answered_again.answer(Field.PRODUCT) == "A2"


def test_with_answer_returns_a_new_conversation_and_resets_the_retry_count() -> None:
    original = Conversation(mode=Mode.COLLECTING, asking=Field.WHEN, retries=1)
    updated = original.with_answer(Field.WHEN, "2026-03-19")
    assert updated.retries == 0
    assert updated.answer(Field.WHEN) == "2026-03-19"
    assert original.answers == {}
    assert original.retries == 1
