"""Every customer message, as a text message: GSM-7, at most two segments, no opt-out traps."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from bot.rendering import Renderer
from bot.settings import PROJECT_ROOT
from channels.base import Choice, OutboundMessage, numbered_choices
from channels.sms.segments import gsm_safe, sms_segments
from tests.bot.templates_in_use import REALISTIC, names_in_code
from workflows.questions import OUTCOMES

# Realistic values at the long end of ordinary: what a customer and staff actually write.
VALUES = {
    **REALISTIC,
    "customer_name": "Anastasia Papadopoulou",
    "reference": "CB-K7M3-XD94",
    "due_at": datetime(2026, 12, 22, 9, 30, tzinfo=UTC),
    "text": "We have asked the courier for proof of delivery and will update you by Friday.",
    "message": "A replacement has been sent by tracked delivery and should arrive on Monday.",
    "first": "A",
    "last": "E",
    "items": [
        {
            "letter": "A",
            "field": "description",
            "label": None,
            "value": "The washing machine you delivered last week leaks all over the kitchen "
            "floor every time I use it and the engineer never came",
        },
        {"letter": "B", "field": "product", "label": None, "value": "Order W-55102, model WM-900"},
        {"letter": "C", "field": "when", "label": None, "value": "2026-11-14"},
        {"letter": "D", "field": "outcome", "label": "outcome.replacement", "value": None},
        {"letter": "E", "field": "name", "label": None, "value": "Anastasia Papadopoulou"},
    ],
}
# The choices the workflow sends with these questions (see workflows.questions.ask).
CHOICES = {
    "customer/ask_outcome": [Choice(o, f"outcome.{o}") for o in OUTCOMES],
    "customer/ask_consent": [Choice("yes", "answer.yes"), Choice("no", "answer.no")],
    "customer/confirm_withdraw": [Choice("yes", "answer.yes"), Choice("no", "answer.no")],
    "customer/summary": [Choice("yes", "answer.register"), Choice("change", "answer.change")],
}
CUSTOMER_TEMPLATES = sorted(name for name in names_in_code() if name.startswith("customer/"))
# Twilio treats a text of just one of these words as an opt-out (see channels.sms.webhook).
OPT_OUT_WORDS = ("cancel", "quit", "end", "unsubscribe", "stopall", "revoke", "optout")


LANGUAGES = ("en", "fr", "de", "es")


@pytest.fixture(scope="module", params=LANGUAGES)
def renderer(request: pytest.FixtureRequest) -> Renderer:
    return Renderer(PROJECT_ROOT / "templates", request.param, "Example Ltd", fallback="en")


def as_sent(renderer: Renderer, name: str) -> str:
    """The body the SMS adapter sends: the rendered text and any numbered choices."""
    choices = tuple(Choice(c.value, renderer.label(c.label)) for c in CHOICES.get(name, []))
    rendered = renderer.render(name, VALUES, "sms")
    message = OutboundMessage("sms", "+447700900123", rendered.text, 1, choices=choices)
    return gsm_safe("\n".join([message.text, *numbered_choices(message)]))


@pytest.mark.parametrize("name", CUSTOMER_TEMPLATES)
def test_each_text_message_fits_two_gsm7_segments(renderer: Renderer, name: str) -> None:
    body = as_sent(renderer, name)
    info = sms_segments(body)
    assert info.encoding == "GSM-7", f"{name} needs UCS-2: {body!r}"
    assert info.segments <= 2, f"{name} is {info.segments} segments ({info.units}): {body}"


@pytest.mark.parametrize("name", CUSTOMER_TEMPLATES)
def test_no_text_tells_the_customer_to_send_an_opt_out_word(renderer: Renderer, name: str) -> None:
    body = as_sent(renderer, name)
    for word in OPT_OUT_WORDS:
        # Told to send it: quoted, or written in capitals as a command.
        told = re.search(rf'"{word}"', body, flags=re.IGNORECASE) or re.search(
            rf"\b{word.upper()}\b", body
        )
        assert not told, f"{name} tells customers to text {word}: {body}"
