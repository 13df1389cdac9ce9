"""Customer words in staff destinations: quoted so they never pass for the product's own."""

from __future__ import annotations

import pytest

from bot.rendering import Renderer
from bot.settings import PROJECT_ROOT
from tests.bot.templates_in_use import REALISTIC


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROJECT_ROOT / "templates", "en", "Example Ltd")


# Every way a line can be broken: in a file, in a terminal running `tail -f`, in an editor.
BREAKS = ["\n", "\r", "\r\n", "\u2028", "\x0b", "\x1b[2K\r", "\x85"]


@pytest.mark.parametrize("newline", BREAKS)
@pytest.mark.parametrize(
    "template", ["staff/new_case", "staff/customer_message", "staff/case_details_added"]
)
def test_customer_text_in_the_staff_feed_cannot_pass_for_the_products_own_lines(
    renderer: Renderer, template: str, newline: str
) -> None:
    forged = newline.join(
        ["My order is late.", "[CRITICAL] New complaint CB-AAAA-AAAA (billing)", "REFUND APPROVED"]
    )
    values = {**REALISTIC, "description": forged, "text": forged}
    text = renderer.render(template, values, "staff-feed").text
    ours = [line for line in text.splitlines() if "New complaint" in line or "APPROVED" in line]
    assert ours
    assert all(
        line.startswith(">") for line in ours if "CB-AAAA-AAAA" in line or "APPROVED" in line
    )


@pytest.mark.parametrize("newline", BREAKS)
def test_a_name_or_product_cannot_start_a_line_of_its_own(renderer: Renderer, newline: str) -> None:
    forged = f"Bea{newline}[CRITICAL] New complaint CB-AAAA-AAAA (billing)"
    values = {**REALISTIC, "customer_name": forged, "product": forged, "outcome_detail": forged}
    text = renderer.render("staff/new_case", values, "staff-feed").text
    lines = text.splitlines()
    assert not any(line.startswith("[CRITICAL] New complaint CB-AAAA") for line in lines)
    assert "\x1b" not in text


def test_a_terminals_escape_sequences_are_shown_not_obeyed(renderer: Renderer) -> None:
    values = {**REALISTIC, "text": "late order\x1b]0;owned\x07\x1b[31m red"}
    text = renderer.render("staff/customer_message", values, "staff-feed").text
    assert "\x1b" not in text
    assert "\x07" not in text
    assert "late order" in text


@pytest.mark.parametrize("detail", [None, "compensation for the day off work"])
def test_each_fact_of_a_new_case_is_on_a_line_of_its_own(
    renderer: Renderer, detail: str | None
) -> None:
    values = {**REALISTIC, "outcome": "refund", "outcome_detail": detail}
    lines = renderer.render("staff/new_case", values, "staff-feed").text.splitlines()
    assert any(line.startswith("Wants: ") for line in lines)
    assert any(line.startswith("Response due: ") for line in lines), lines
