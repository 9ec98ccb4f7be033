"""The report's charts as static SVG, drawn by matplotlib and inlined in the page.

Why not a JavaScript library: the page must work offline, print whole and stay small.
plotly's bundle alone was 4.6 MB (every trace type, maps included) and redrew its charts
for print; an SVG is a few tens of kilobytes, prints at the page's width as it is, needs
no script, and keeps its text as text (`svg.fonttype: none`), so that a reader can
select it and a test (or pdftotext) can read it. The numbers behind each chart are in
the report's tables.

Each function takes plain lists and returns the SVG text; `Text` gives the numbers the
page's decimal mark. A chart's title is the page's (a heading above the drawing), so
that it is HTML text like every other heading."""

from __future__ import annotations

import io
import math
import re
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .report_text import Text

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType

BLUE = "#4C78A8"
PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#E45756", "#72B7B2", "#EECA3B", "#B279A2", "#FF9DA6",
           "#9D755D", "#BAB0AC")
WIDTH = 9.0  # inches at 72 dpi: 648 px, drawn to the page's width
_STYLE: dict[RcKeyType, Any] = {
    "svg.fonttype": "none", "svg.hashsalt": "idxc", "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial"],
    "font.size": 9, "axes.spines.top": False, "axes.spines.right": False, "axes.edgecolor": "#8b949e",
    "axes.grid": True, "axes.grid.axis": "y", "grid.color": "#e5e7eb", "axes.axisbelow": True,
}


def bars(categories: Sequence[str], values: Sequence[float], xlabel: str, ylabel: str,
         text: Text) -> str:
    """A vertical bar per category, in the order given, its value written above it."""
    fig, ax = _figure(3.6)
    x = range(len(categories))
    ax.bar(x, values, color=BLUE)
    for i, v in zip(x, values):
        ax.annotate(_num(v, text), (i, v), ha="center", va="bottom", xytext=(0, 2), textcoords="offset points")
    ax.set_xticks(list(x), list(categories))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.margins(y=0.12)
    return _svg(fig, ax, text)


def lines(periods: Sequence[str], series: Mapping[str, Sequence[float | None]], xlabel: str,
          ylabel: str, text: Text) -> str:
    """One line per series over the periods; a missing value breaks its line."""
    fig, ax = _figure(3.9)
    x = range(len(periods))
    for k, (name, ys) in enumerate(series.items()):
        ax.plot(x, [math.nan if v is None else v for v in ys], marker="o", markersize=3.5, linewidth=1.6,
                color=PALETTE[k % len(PALETTE)], label=name)
    _period_ticks(ax, periods)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(series) > 1:
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    return _svg(fig, ax, text)


def stacked(names: Sequence[str], parts: Mapping[str, Sequence[float]], xlabel: str, text: Text) -> str:
    """A horizontal bar per name (the first at the top), made of its parts end to end;
    a negative part extends to the left of zero."""
    fig, ax = _figure(max(3.2, 0.24 * len(names) + 1.4))
    y = range(len(names))
    right = [0.0] * len(names)
    left = [0.0] * len(names)
    for k, (label, values) in enumerate(parts.items()):
        starts = [r if v >= 0 else l + v for v, r, l in zip(values, right, left)]
        ax.barh(y, [abs(v) for v in values], left=starts, color=PALETTE[k % len(PALETTE)], label=label, height=0.72)
        right = [r + max(v, 0) for v, r in zip(values, right)]
        left = [l + min(v, 0) for v, l in zip(values, left)]
    ax.set_yticks(list(y), list(names))
    ax.invert_yaxis()
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return _svg(fig, ax, text)


def heatmap(names: Sequence[str], matrix: Sequence[Sequence[float | None]], text: Text) -> str:
    """A correlation matrix, −1 red to +1 blue, each cell's value written in it."""
    size = max(3.6, 0.42 * len(names) + 2.2)
    fig, ax = _figure(size, width=min(WIDTH, size + 2.5))
    data = [[math.nan if v is None else v for v in row] for row in matrix]
    image = ax.imshow(data, cmap="RdBu", vmin=-1, vmax=1)
    for i, row in enumerate(matrix):
        for j, v in enumerate(row):
            if v is not None:
                ax.text(j, i, text.number(v, 2), ha="center", va="center", fontsize=7.5,
                        color="white" if abs(v) > 0.6 else "#1f2328")
    ax.set_xticks(range(len(names)), list(names), rotation=40, ha="right", rotation_mode="anchor")
    ax.set_yticks(range(len(names)), list(names))
    ax.grid(False)
    fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
    return _svg(fig, ax, text)


def _figure(height: float, width: float = WIDTH) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.rcParams.update(_STYLE)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.subplots()
    return fig, ax


def _period_ticks(ax: Any, periods: Sequence[str]) -> None:
    """Every period labelled while they fit; else about a dozen, the last always."""
    step = max(1, math.ceil(len(periods) / 12))
    shown = sorted({*range(0, len(periods), step), len(periods) - 1})
    ax.set_xticks(shown, [periods[i] for i in shown])


def _svg(fig: Any, ax: Any, text: Text) -> str:
    """The figure as an inline <svg> drawn to its container's width (no fixed size, no
    XML prologue), its axes' numbers in the page's decimal mark."""
    from matplotlib.ticker import FuncFormatter, ScalarFormatter

    for axes in fig.axes:  # the chart's and a colour bar's
        for axis in (axes.xaxis, axes.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):  # numbers, not the categories set
                axis.set_major_formatter(FuncFormatter(lambda v, _: text.number(v, _places(v))))
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None})
    svg = out.getvalue()
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg[svg.index("<svg"):], count=1, flags=re.S)
    width = fig.get_figwidth() * 72  # pt: drawn narrower on a narrow page, never wider than drawn
    return re.sub(r'<svg([^>]*?) width="[^"]+" height="[^"]+"',
                  rf'<svg\1 class="chart-svg" style="max-width: {width:.0f}pt"', svg, count=1)


def _num(v: float, text: Text) -> str:
    return text.number(v, _places(v))


def _places(v: float) -> int:
    """Decimals enough for a tick or a count: none for whole numbers, else up to three."""
    for places in range(4):
        if abs(v - round(v, places)) < 1e-9:
            return places
    return 3


__all__ = ["bars", "heatmap", "lines", "stacked"]
