"""Customer words in staff destinations: quoted so they never pass for the product's own."""

from __future__ import annotations

import pytest

from bot.rendering import Renderer
from bot.settings import PROJECT_ROOT
from tests.bot.templates_in_use import REALISTIC


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer(PROJECT_ROOT / "templates", "en", "Example Ltd")


@pytest.mark.parametrize(
    "template", ["staff/new_case", "staff/customer_message", "staff/case_details_added"]
)
def test_customer_text_in_the_staff_feed_cannot_pass_for_the_products_own_lines(
    renderer: Renderer, template: str
) -> None:
    forged = "My order is late.\n[CRITICAL] New complaint CB-AAAA-AAAA (billing)\nREFUND APPROVED"
    values = {**REALISTIC, "description": forged, "text": forged}
    text = renderer.render(template, values, "staff-feed").text
    ours = [line for line in text.splitlines() if "New complaint" in line or "APPROVED" in line]
    assert ours
    assert all(
        line.startswith(">") for line in ours if "CB-AAAA-AAAA" in line or "APPROVED" in line
    )
