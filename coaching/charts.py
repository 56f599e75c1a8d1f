"""Bar charts for the admin dashboard, drawn as SVG on the server: no JavaScript, no build step.

`bar_chart` turns labelled values into geometry (bars, value labels, a few gridlines); the
template `admin/coaching/team_dashboard.html` draws it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 16, 34


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    has_value: bool


@dataclass(frozen=True)
class Gridline:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    bars: list[Bar]
    gridlines: list[Gridline]
    baseline_y: float
    left: int


def _nice_ceiling(value: float) -> float:
    """The next round number at or above `value` (1, 2, 2.5 or 5 times a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def bar_chart(
    title: str,
    points: Sequence[tuple[str, float | None]],
    *,
    fmt: Callable[[float], str] = lambda v: f"{v:g}",
    ceiling: float | None = None,
    gridlines: int = 4,
) -> BarChart:
    """One bar per (label, value); None draws no bar and says "–"."""
    top = ceiling or _nice_ceiling(max((v for _, v in points if v is not None), default=0.0))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / max(1, len(points))
    bars = []
    for index, (label, value) in enumerate(points):
        height = 0.0 if value is None else plot_height * min(value, top) / top
        bars.append(
            Bar(
                x=round(LEFT + index * slot + slot * 0.15, 1),
                y=round(TOP + plot_height - height, 1),
                width=round(slot * 0.7, 1),
                height=round(height, 1),
                label=label,
                value_text="–" if value is None else fmt(value),
                has_value=value is not None,
            )
        )
    lines = [
        Gridline(
            y=round(TOP + plot_height - plot_height * step / gridlines, 1), label=fmt(top * step / gridlines)
        )
        for step in range(gridlines + 1)
    ]
    return BarChart(title, WIDTH, HEIGHT, bars, lines, TOP + plot_height, LEFT)
