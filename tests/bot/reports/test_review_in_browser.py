"""The review page in a real headless browser: it loads clean and shows every section."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.reports import review
from bot.services.app import App
from fakes import FakeClock
from tests.bot.reports.test_review import four_weeks_of_complaints

REQUIRE_BROWSER = "COMPLAINTBOT_REQUIRE_BROWSER"
SECTIONS = (
    "Complaints received",
    "How quickly",
    "Resolved within target",
    "Open now, by stage and age",
    "Responses: accepted, and remedies given",
    "Satisfaction with the handling",
    "Root causes",
    "Complaints about the complaints process",
    "Workload",
)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get(REQUIRE_BROWSER):
            pytest.fail("chromium is not installed (apt-get install chromium)")
        pytest.skip("the browser test needs chromium (apt-get install chromium)")
    return found


def open_in_browser(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Chromium, headless and offline, on a phone-sized window, loading ``page``."""
    return subprocess.run(
        [
            chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=390,2400",
            *extra,
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_the_review_loads_in_a_browser_with_no_errors_and_every_section(
    app: App, clock: FakeClock, tmp_path: Path
) -> None:
    await four_weeks_of_complaints(app, clock)
    page = tmp_path / "review.html"
    page.write_text(review.as_html(await review.build(app), app.renderer), encoding="utf-8")

    shown = open_in_browser(page, tmp_path / "profile", "--dump-dom")
    assert shown.returncode == 0, shown.stderr[-2000:]
    for heading in SECTIONS:
        assert f"<h2>{heading}</h2>" in shown.stdout, heading
    assert shown.stdout.count("<svg") >= 4
    # The page's console and its security policy: nothing refused, nothing thrown.
    console = [line for line in shown.stderr.splitlines() if "CONSOLE" in line or "Refused" in line]
    assert console == []

    picture = tmp_path / "review.png"
    drawn = open_in_browser(page, tmp_path / "profile", f"--screenshot={picture}")
    assert drawn.returncode == 0, drawn.stderr[-2000:]
    assert picture.stat().st_size > 20_000  # a page of charts and tables, not a blank one
