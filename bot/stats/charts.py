"""Charts staff look at on a phone: PNG bytes from matplotlib's object API (no pyplot and no
global state, so drawing in a worker thread is safe). Large type, few words, numbers on bars.

Every text is drawn as typed (parse_math=False): a "$" in a campaign or programme name is not
the start of a formula."""

import asyncio
import io
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

# About 1260 x 840 pixels: Telegram shows photos up to 1280 pixels wide without shrinking.
SIZE_INCHES = (9.0, 6.0)
DPI = 140
TITLE_SIZE = 20
LABEL_SIZE = 16
# Characters per title line at TITLE_SIZE on this width.
TITLE_WIDTH = 45
BAR_COLOUR = "#1f77b4"
SERIES_COLOURS = ("#1f77b4", "#ff7f0e")


def _figure() -> "Figure":
    # Imported on first use, in the drawing thread: matplotlib adds about 55 MiB and a quarter
    # of a second to start-up, for a screen staff open now and then.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _title(figure: "Figure", title: str) -> None:
    # From the figure's left edge, wrapped: a long programme name must not run off the image.
    wrapped = textwrap.fill(title, TITLE_WIDTH)
    figure.suptitle(
        wrapped, x=0.01, ha="left", fontsize=TITLE_SIZE, fontweight="bold", parse_math=False
    )


def _png(figure: "Figure") -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white")
    return buffer.getvalue()


def horizontal_bars(
    title: str, labels: Sequence[str], values: Sequence[int], notes: Sequence[str]
) -> bytes:
    """One bar per label, top to bottom in the given order, its note ("120 · 45%") beside it."""
    figure = _figure()
    axes = figure.subplots()
    positions = range(len(labels))
    axes.barh(positions, values, color=BAR_COLOUR, height=0.65)
    axes.set_yticks(list(positions), labels=list(labels), fontsize=LABEL_SIZE, parse_math=False)
    axes.invert_yaxis()
    # Room on the right for the notes.
    axes.set_xlim(0, max(max(values, default=0), 1) * 1.45)
    for position, value, note in zip(positions, values, notes, strict=True):
        axes.annotate(
            note,
            (value, position),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=LABEL_SIZE,
            fontweight="bold",
            parse_math=False,
        )
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    _title(figure, title)
    return _png(figure)


def daily_chart(
    title: str, days: Sequence[str], series: Sequence[tuple[str, Sequence[int]]]
) -> bytes:
    """Side-by-side bars per day for each series (new users, submissions), with a legend."""
    figure = _figure()
    axes = figure.subplots()
    width = 0.8 / max(len(series), 1)
    for number, ((name, values), colour) in enumerate(zip(series, SERIES_COLOURS, strict=False)):
        offsets = [day + (number - (len(series) - 1) / 2) * width for day in range(len(days))]
        axes.bar(offsets, values, width=width, color=colour, label=name)
    # Every day's label fits for two weeks; for a month, every third day.
    step = 1 if len(days) <= 14 else 3
    shown = list(range(len(days) - 1, -1, -step))[::-1]
    axes.set_xticks(
        shown,
        labels=[days[index] for index in shown],
        fontsize=LABEL_SIZE - 2,
        parse_math=False,
    )
    axes.tick_params(axis="x", labelrotation=45)
    for label in axes.get_xticklabels():
        label.set_horizontalalignment("right")
        label.set_rotation_mode("anchor")
    axes.tick_params(axis="y", labelsize=LABEL_SIZE)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.grid(axis="y", alpha=0.3)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    legend = axes.legend(fontsize=LABEL_SIZE, frameon=False, loc="upper left")
    for text in legend.get_texts():
        text.set_parse_math(False)
    _title(figure, title)
    return _png(figure)


async def render(draw: Callable[..., bytes], *args: Any) -> bytes:
    """Draw in a worker thread: a chart takes a noticeable fraction of a second of CPU, and the
    bot keeps answering everyone else meanwhile."""
    return await asyncio.to_thread(draw, *args)
