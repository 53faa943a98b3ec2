"""Bar charts drawn on the server as SVG (templates/overview/_chart.html): no script, no
CDN. Each series has its own fill pattern as well as its colour, each bar its value written
above it and in its title, and the page prints the same numbers in a table beneath."""

import textwrap
from dataclasses import dataclass

# Room for the axis labels (left), the group labels (bottom, two lines) and the values (top).
LEFT, BOTTOM, TOP = 44, 44, 18
CHARACTER_WIDTH = 6.5  # of the chart's 11 px font, on average


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int
    title: str

    @property
    def centre(self):
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class Group:
    x: float  # centre
    lines: list  # the label, in at most two lines that fit its slot


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_bottom: float
    bars: list
    groups: list
    ticks: list
    series: list  # (index, label)
    show_values: bool


def _ticks(top):
    """Up to four round steps (1, 2 or 5 times a power of ten) from 0 to at least `top`."""
    magnitude = 1
    while True:
        for base in (1, 2, 5):
            step = base * magnitude
            if top <= step * 4:
                count = -(-top // step)
                return [step * n for n in range(count + 1)], step * count
        magnitude *= 10


def grouped_bars(groups, series, *, width=720, height=260):
    """`groups`: [(label, [value per series])]; `series`: their labels. The bars link nowhere
    (a picture holds no controls): the table beneath links each number to its list."""
    top_value = max((value for _label, values in groups for value in values), default=0)
    ticks, scale_top = _ticks(max(top_value, 1))
    plot_width = width - LEFT - 8
    plot_height = height - BOTTOM - TOP
    plot_bottom = TOP + plot_height
    slot = plot_width / max(len(groups), 1)
    bar_width = slot * 0.8 / max(len(series), 1)
    bars, labels = [], []
    for index, (label, values) in enumerate(groups):
        left = LEFT + slot * index + slot * 0.1
        lines = textwrap.wrap(str(label), max(int(slot / CHARACTER_WIDTH), 4), max_lines=2)
        labels.append(Group(round(LEFT + slot * index + slot / 2, 1), lines))
        for number, value in enumerate(values):
            bar_height = plot_height * value / scale_top
            bars.append(
                Bar(
                    x=round(left + bar_width * number, 1),
                    y=round(plot_bottom - bar_height, 1),
                    width=round(max(bar_width - 2, 1), 1),
                    height=round(bar_height, 1),
                    value=value,
                    series=number,
                    title=f"{label}, {series[number]}: {value}",
                )
            )
    return Chart(
        width=width,
        height=height,
        plot_bottom=plot_bottom,
        bars=bars,
        groups=labels,
        ticks=[Tick(round(plot_bottom - plot_height * t / scale_top, 1), t) for t in ticks],
        series=list(enumerate(series)),
        # Values above the bars while they fit; the table beneath has them all.
        show_values=bar_width >= 18,
    )
