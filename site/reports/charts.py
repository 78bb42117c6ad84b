"""Bar charts drawn on the server as inline SVG.

No script and no ``style`` attribute: the page stays within a strict
Content-Security-Policy, and the chart is there before any script could run.
Each chart carries a title and a description for assistive technology; the
pages put a table of the same numbers beside it. The words come translated
from the caller; the numbers drawn here are written in the page's language
(``1,234`` or ``1.234``).

:func:`columns` and :func:`bars` lay a chart out; :func:`svg_chart` (which
the report templates call) writes it. The SVG is written here rather than in
a template: a chart is a few hundred numbers, and a template escaping each of
them cost as much as the rest of the page.
"""

from dataclasses import dataclass
from dataclasses import field

from flask_babel import format_decimal
from markupsafe import escape
from markupsafe import Markup


@dataclass(frozen=True)
class Rect:
    """One bar; ``tip`` is its own ``<title>`` (a tooltip with the number)."""

    x: float
    y: float
    width: float
    height: float
    tip: str


@dataclass(frozen=True)
class Text:
    """A label; ``anchor`` is SVG's ``text-anchor``."""

    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass(frozen=True)
class Line:
    """An axis or a grid line."""

    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Chart:
    """Everything :func:`svg_chart` draws, in viewBox units."""

    #: Prefix of the ids that tie ``aria-labelledby`` to the title and desc.
    id: str
    title: str
    desc: str
    width: int
    height: int
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _scale(values: list[int]) -> int:
    """The value the tallest bar stands for: never 0, so empty charts draw."""
    return max([*values, 1])


def columns(
    chart_id: str,
    title: str,
    desc: str,
    points: list[tuple[str, int]],
    label_every: int = 7,
) -> Chart:
    """Vertical bars, one per point, left to right (a time series).

    Every ``label_every``-th point is labelled under the axis, counted from
    the newest, so the last bar (today) always has its label.
    """
    width, height = 600, 220
    left, right, top, bottom = 36, 24, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    chart = Chart(chart_id, title, desc, width, height)
    top_value = _scale([value for _, value in points])
    slot = plot_w / max(len(points), 1)
    base = top + plot_h
    for index, (label, value) in enumerate(points):
        bar_h = plot_h * value / top_value
        x = left + index * slot
        chart.rects.append(
            Rect(
                round(x + slot * 0.15, 2),
                round(base - bar_h, 2),
                round(slot * 0.7, 2),
                round(bar_h, 2),
                f"{label}: {format_decimal(value)}",
            )
        )
        if (len(points) - 1 - index) % label_every == 0:
            chart.texts.append(
                Text(round(x + slot / 2, 2), height - 8, label, "middle")
            )
    chart.lines.append(Line(left, base, width - right, base))
    chart.lines.append(Line(left, top, left, base))
    chart.texts.append(Text(left - 6, base, "0", "end"))
    chart.texts.append(Text(left - 6, top + 8, format_decimal(top_value), "end"))
    return chart


def bars(chart_id: str, title: str, desc: str, points: list[tuple[str, int]]) -> Chart:
    """Horizontal bars, one row per point, each labelled with its value."""
    row, label_w, value_w, width = 30, 150, 56, 600
    height = row * max(len(points), 1) + 8
    plot_w = width - label_w - value_w
    chart = Chart(chart_id, title, desc, width, height)
    top_value = _scale([value for _, value in points])
    for index, (label, value) in enumerate(points):
        y = 4 + index * row
        bar_w = plot_w * value / top_value
        chart.rects.append(
            Rect(
                label_w,
                y + 4,
                round(bar_w, 2),
                row - 10,
                f"{label}: {format_decimal(value)}",
            )
        )
        chart.texts.append(Text(label_w - 8, y + row / 2 + 4, label, "end"))
        chart.texts.append(
            Text(round(label_w + bar_w + 6, 2), y + row / 2 + 4, format_decimal(value))
        )
    chart.lines.append(Line(label_w, 2, label_w, height - 2))
    return chart


def svg_chart(chart: Chart) -> Markup:
    """The chart as an ``<svg>`` element.

    The numbers are the layout's own floats, so only the words are escaped.
    The fill and stroke attributes are fallbacks; reports.css gives the colours.
    """
    ids = escape(chart.id)
    parts = [
        f'<svg class="chart" viewBox="0 0 {chart.width} {chart.height}" width="100%"'
        ' preserveAspectRatio="xMinYMin meet" role="img" focusable="false"'
        f' aria-labelledby="{ids}-title {ids}-desc">',
        f'<title id="{ids}-title">{escape(chart.title)}</title>',
        f'<desc id="{ids}-desc">{escape(chart.desc)}</desc>',
        '<g class="chart-bars" fill="currentColor">',
        *(
            f'<rect x="{r.x}" y="{r.y}" width="{r.width}" height="{r.height}">'
            f"<title>{escape(r.tip)}</title></rect>"
            for r in chart.rects
        ),
        '</g>\n<g class="chart-axes" stroke="currentColor" stroke-width="1">',
        *(
            f'<line x1="{n.x1}" y1="{n.y1}" x2="{n.x2}" y2="{n.y2}"/>'
            for n in chart.lines
        ),
        '</g>\n<g class="chart-labels" fill="currentColor" font-size="11">',
        *(
            f'<text x="{t.x}" y="{t.y}" text-anchor="{escape(t.anchor)}">'
            f"{escape(t.text)}</text>"
            for t in chart.texts
        ),
        "</g>\n</svg>",
    ]
    # Safe: the words are escaped above, the rest is markup and numbers.
    return Markup("\n".join(parts))  # noqa: S704
