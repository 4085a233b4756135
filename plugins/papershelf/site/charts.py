"""Charts as inline SVG, rendered at build time: stacked bars, lines, bars.

No script and no style attributes (the site's CSP forbids them): colours come
from the classes ``series-1`` .. ``series-8`` in the site's CSS, so dark mode
applies. Every label is escaped. Each chart is ``role="img"`` with a title and
a description; pages put the numbers in a table next to it.
"""

from __future__ import annotations

import math
from html import escape

from papershelf.site.stats import Series, Timeline

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 40
SERIES_CLASSES = 8
MAX_X_LABELS = 7  # dates are ~70 units wide in a 720-unit chart


def series_class(index: int) -> str:
    return f"series-{index % SERIES_CLASSES + 1}"


def nice_ceiling(value: float) -> int:
    """The axis maximum: 1, 2 or 5 times a power of ten, at least ``value``."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(int(step * power) for step in (1, 2, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
        'preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _y_axis(top_value: int) -> list[str]:
    """Gridlines and labels at 0, half and the top."""
    plot_height = HEIGHT - TOP - BOTTOM
    parts = []
    for fraction in (0, 0.5, 1):
        y = TOP + plot_height * (1 - fraction)
        label = _number(top_value * fraction)
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
            f'y1="{_number(y)}" y2="{_number(y)}"/>'
            f'<text class="axis" x="{LEFT - 6}" y="{_number(y + 4)}" '
            f'text-anchor="end">{label}</text>'
        )
    return parts


def _x_labels(labels: list[str], centres: list[float]) -> list[str]:
    every = max(1, math.ceil(len(labels) / MAX_X_LABELS))
    return [
        f'<text class="axis" x="{_number(x)}" y="{HEIGHT - BOTTOM + 16}" '
        f'text-anchor="middle">{escape(label)}</text>'
        for index, (label, x) in enumerate(zip(labels, centres, strict=True))
        if index % every == 0
    ]


def _scale(top_value: int):
    plot_height = HEIGHT - TOP - BOTTOM
    return lambda value: plot_height * value / top_value


def stacked_bars(chart_id: str, title: str, description: str, timeline: Timeline) -> str:
    """One bar per period, one coloured segment per series (bottom: the first)."""
    periods = timeline.periods
    if not periods:
        return ""
    stacks = [sum(s.values[i] for s in timeline.series) for i in range(len(periods))]
    top_value = nice_ceiling(max(stacks))
    height_of = _scale(top_value)
    slot = (WIDTH - LEFT - RIGHT) / len(periods)
    bar = max(1.0, slot * 0.8)
    body = _y_axis(top_value)
    for index in range(len(periods)):
        x = LEFT + slot * index + (slot - bar) / 2
        base = HEIGHT - BOTTOM
        for number, series in enumerate(timeline.series):
            value = series.values[index]
            if not value:
                continue
            height = max(1.0, height_of(value))  # a count of 1 among 800 still shows
            base -= height
            body.append(
                f'<rect class="{series_class(number)}" x="{_number(x)}" y="{_number(base)}" '
                f'width="{_number(bar)}" height="{_number(height)}">'
                f"<title>{escape(periods[index])}: {value} {escape(series.name)}</title></rect>"
            )
    centres = [LEFT + slot * (index + 0.5) for index in range(len(periods))]
    return _frame(chart_id, title, description, body + _x_labels(periods, centres))


def lines(chart_id: str, title: str, description: str, timeline: Timeline) -> str:
    """One line per series over the periods, with a dot on each value."""
    periods = timeline.periods
    if not periods:
        return ""
    top_value = nice_ceiling(max((max(s.values) for s in timeline.series), default=1))
    height_of = _scale(top_value)
    slot = (WIDTH - LEFT - RIGHT) / len(periods)
    centres = [LEFT + slot * (index + 0.5) for index in range(len(periods))]
    body = _y_axis(top_value)
    for number, series in enumerate(timeline.series):
        points = [
            (x, HEIGHT - BOTTOM - height_of(value))
            for x, value in zip(centres, series.values, strict=True)
        ]
        css = series_class(number)
        path = " ".join(f"{_number(x)},{_number(y)}" for x, y in points)
        body.append(f'<polyline class="line {css}" points="{path}"/>')
        body += [
            f'<circle class="dot {css}" cx="{_number(x)}" cy="{_number(y)}" r="3">'
            f"<title>{escape(period)}: {value} {escape(series.name)}</title></circle>"
            for (x, y), period, value in zip(points, periods, series.values, strict=True)
        ]
    return _frame(chart_id, title, description, body + _x_labels(periods, centres))


def bars(chart_id: str, title: str, description: str, labels: list[str], values: list[int]):
    """One bar per label, in one colour."""
    return stacked_bars(chart_id, title, description, Timeline(labels, [Series(title, values)]))
