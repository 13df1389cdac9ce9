"""The intake conversation's state, kept per customer identity between messages."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum


class Mode(StrEnum):
    """What the conversation is waiting for."""

    IDLE = "idle"
    COLLECTING = "collecting"
    CONFIRMING = "confirming"
    CONFIRMING_WITHDRAWAL = "confirming_withdrawal"
    # A registered case still missing details; ``pending`` lists them in the order asked.
    ENRICHING = "enriching"
    # The customer rejected a response on ``case_reference``; the next message says why.
    EXPLAINING = "explaining"
    # The customer gave a satisfaction score on ``case_reference``; a comment may follow.
    COMMENTING = "commenting"


class Field(StrEnum):
    """The questions of the complaint form, in the order they are asked."""

    DESCRIPTION = "description"
    PRODUCT = "product"
    WHEN = "when"
    OUTCOME = "outcome"
    NAME = "name"
    CONTACT = "contact"
    CONSENT = "consent"


OPTIONAL = frozenset({Field.PRODUCT, Field.WHEN})
# An intake under way: answers are being collected or the summary awaits confirmation.
UNDER_WAY = frozenset({Mode.COLLECTING, Mode.CONFIRMING})
# How much of the description reminds a customer what their complaint was about.
_ABOUT_WORDS = 12
_FIELD_NAMES = frozenset(question.value for question in Field)


@dataclass(frozen=True)
class Conversation:
    """Answers so far and the question pending. Immutable: the core returns a new one."""

    mode: Mode = Mode.IDLE
    answers: Mapping[Field, str] = field(default_factory=dict)
    skipped: frozenset[Field] = frozenset()
    asking: Field | None = None
    retries: int = 0
    correcting: bool = False
    case_reference: str | None = None
    started_at: datetime | None = None
    pending: tuple[Field, ...] = ()
    # A command read inside a sentence mid-intake ("can I speak to someone"), waiting for
    # the customer to say that is what they meant.
    unsure_of: str | None = None
    # When the customer last wrote in this intake: back after a long pause, they are told
    # where they were.
    last_at: datetime | None = None
    # The customer went quiet mid-intake and was reminded once (never twice).
    reminded: bool = False
    # The customer's earlier case this new complaint follows (written after its reopening
    # window): the two are linked when this one is registered.
    follows: str | None = None

    def answered(self, question: Field) -> bool:
        """Whether the question has an answer (or was skipped)."""
        return question in self.answers or question in self.skipped

    def answer(self, question: Field) -> str | None:
        """The answer given, or None when unanswered or skipped."""
        return self.answers.get(question)

    def about(self) -> str:
        """The description's first words, to remind the customer which complaint this is."""
        words = (self.answer(Field.DESCRIPTION) or "").split()
        return " ".join(words[:_ABOUT_WORDS]) + ("…" if len(words) > _ABOUT_WORDS else "")

    def with_answer(self, question: Field, value: str) -> Conversation:
        """A copy with one more answer, the retry count reset."""
        return replace(
            self,
            answers={**self.answers, question: value},
            skipped=self.skipped - {question},
            retries=0,
        )

    def with_skipped(self, question: Field) -> Conversation:
        """A copy where the question was skipped (any earlier answer dropped)."""
        answers = {key: value for key, value in self.answers.items() if key is not question}
        return replace(self, answers=answers, skipped=self.skipped | {question}, retries=0)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready form for storage."""
        return {
            "mode": self.mode.value,
            "answers": {key.value: value for key, value in self.answers.items()},
            "skipped": sorted(question.value for question in self.skipped),
            "asking": self.asking.value if self.asking else None,
            "retries": self.retries,
            "correcting": self.correcting,
            "case_reference": self.case_reference,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "pending": [question.value for question in self.pending],
            "unsure_of": self.unsure_of,
            "last_at": self.last_at.isoformat() if self.last_at else None,
            "reminded": self.reminded,
            "follows": self.follows,
        }

    @staticmethod
    def from_dict(data: Mapping[str, object]) -> Conversation:
        """Read the stored form back (unknown or missing keys fall back to defaults)."""
        answers = data.get("answers")
        asking = data.get("asking")
        started = data.get("started_at")
        case_reference = data.get("case_reference")
        skipped = data.get("skipped")
        pending = data.get("pending")
        unsure_of = data.get("unsure_of")
        last_at = data.get("last_at")
        return Conversation(
            mode=Mode(str(data.get("mode", Mode.IDLE.value))),
            answers={
                Field(key): str(value)
                for key, value in (answers.items() if isinstance(answers, dict) else [])
                if key in _FIELD_NAMES
            },
            skipped=frozenset(
                Field(str(key))
                for key in (skipped if isinstance(skipped, list) else [])
                if key in _FIELD_NAMES
            ),
            asking=Field(str(asking)) if asking else None,
            retries=int(str(data.get("retries", 0))),
            correcting=bool(data.get("correcting", False)),
            case_reference=str(case_reference) if case_reference else None,
            started_at=datetime.fromisoformat(str(started)) if started else None,
            pending=tuple(
                Field(str(key))
                for key in (pending if isinstance(pending, list) else [])
                if key in _FIELD_NAMES
            ),
            unsure_of=str(unsure_of) if unsure_of else None,
            last_at=datetime.fromisoformat(str(last_at)) if last_at else None,
            reminded=bool(data.get("reminded", False)),
            follows=str(data["follows"]) if data.get("follows") else None,
        )
