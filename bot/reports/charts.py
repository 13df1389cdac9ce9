"""The report's charts: small bar charts made with matplotlib, as SVG for the page or PNG.

In the page, text stays text (``svg.fonttype = none``), so charts read in the page's own font,
scale on a phone, and carry no fonts or images of their own; every chart has a table under it
with the same numbers, for screen readers and for copying. PNG is for where SVG is not shown
(Slack previews images, not SVG). Each drawing function takes ``out``, ``svg`` or ``png``.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

import matplotlib

matplotlib.use("Agg")  # no screen: draw to files only

import matplotlib.pyplot as plt

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

CURRENT, PREVIOUS = "#1f6f8b", "#b8c4cc"
STACK = ("#1f6f8b", "#4f9fb8", "#f2a541", "#c8553d")
T = TypeVar("T", str, bytes)


def svg(figure: Figure) -> str:
    """The figure as an inline <svg> element for the page."""
    figure.tight_layout()
    out = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "report"}):
        figure.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    text = out.getvalue()
    # Only the <svg> element (no XML prologue inside HTML), sized by the page, not in points:
    # its viewBox keeps the proportions on a phone.
    element = re.sub(r"<metadata>.*?</metadata>\s*", "", text[text.index("<svg") :], flags=re.S)
    opening, rest = element.split(">", 1)
    opening = re.sub(r'\s(width|height)="[^"]*"', "", opening)
    return f'{opening} role="img">{rest}'


def png(figure: Figure) -> bytes:
    """The figure as a PNG image (twice the pixels of a phone's width, for sharp previews)."""
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png", dpi=150, metadata={"Software": None})
    return out.getvalue()


def bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    out: Callable[[Figure], T],
    unit: str = "",
) -> T:
    """Grouped horizontal bars: one group per label, one bar per series (this period, last)."""
    height = 0.8 / max(1, len(series))
    figure, axes = plt.subplots(figsize=(5.2, 0.5 * max(2, len(labels)) + 1.4))
    try:
        for index, (name, values) in enumerate(series.items()):
            positions = [row + index * height for row in range(len(labels))]
            colour = CURRENT if index == 0 else PREVIOUS
            axes.barh(positions, values, height=height, label=name, color=colour)
        axes.set_yticks([row + height * (len(series) - 1) / 2 for row in range(len(labels))])
        axes.set_yticklabels(labels)
        axes.invert_yaxis()
        if unit:
            axes.set_xlabel(unit)
        _legend(axes, len(series))
        _tidy(axes)
        return out(figure)
    finally:
        plt.close(figure)


def stacked(
    labels: Sequence[str],
    stacks: Mapping[str, Sequence[int]],
    out: Callable[[Figure], T],
) -> T:
    """Stacked horizontal bars: one bar per label, one segment per stack (e.g. age bands)."""
    figure, axes = plt.subplots(figsize=(5.2, 0.5 * max(2, len(labels)) + 1.4))
    try:
        left = [0] * len(labels)
        for index, (name, values) in enumerate(stacks.items()):
            axes.barh(labels, values, left=left, label=name, color=STACK[index % len(STACK)])
            left = [a + b for a, b in zip(left, values, strict=True)]
        axes.invert_yaxis()
        _legend(axes, len(stacks))
        _tidy(axes)
        return out(figure)
    finally:
        plt.close(figure)


def _legend(axes: Axes, entries: int) -> None:
    # Under the chart, never over the bars.
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.18),
        frameon=False,
        ncols=min(entries, 2),
        fontsize=11,
    )


def _tidy(axes: Axes) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(labelsize=11)
