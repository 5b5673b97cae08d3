"""Charts of a corpus: a story's timeline and the stories x outlets coverage matrix.

Figures are built with ``matplotlib.figure.Figure`` directly (no pyplot, so no global figure
registry to leak) on the Agg canvas, and rendered to SVG or PNG bytes by :func:`render`. The
output is deterministic: no date in the metadata and a fixed hash salt for the SVG ids, so the
same data always gives the same bytes. SVG text stays text (``svg.fonttype = none``).

Outlet names and story titles are untrusted: control characters are removed, long labels are
cut, mathtext is switched off (a ``$`` stays a dollar sign) and matplotlib escapes ``<`` and ``&``
in SVG text. An SVG shown through ``<img src="data:...">`` (:func:`data_uri`) runs no script
anyway. matplotlib's rcParams are global, so building and rendering hold one lock: the charts
are safe to draw from several threads (a web server), one at a time.
"""

from __future__ import annotations

import base64
import functools
import io
import threading
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rashomon.analyze.timeline import Timeline
from rashomon.errors import InputError

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

ChartFormat = Literal["svg", "png"]
MAX_LABEL_CHARS = 48
MAX_STORIES = 40
MAX_DAY_TICKS = 14
FIRST_COLOUR = "#cf222e"
MARK_COLOUR = "#0969da"
_RC: dict[RcKeyType, object] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "rashomon",
    "text.parse_math": False,
    "text.usetex": False,
    "font.family": "DejaVu Sans",
    "font.size": 9.0,
    "date.converter": "concise",
    "axes.spines.top": False,
    "axes.spines.right": False,
}
_LOCK = threading.Lock()


@contextmanager
def _style() -> Iterator[None]:
    """Our rcParams for the block, one thread at a time; glyphs a font lacks are not an error."""
    import matplotlib

    with _LOCK, matplotlib.rc_context(), warnings.catch_warnings():
        matplotlib.rcParams.update(_RC)  # restored when rc_context ends
        # a CJK or emoji outlet name has no glyph in DejaVu Sans: an SVG viewer still shows
        # the text (it is kept as text); the PNG shows boxes, which is no reason to fail
        warnings.filterwarnings(
            "ignore", message="Glyph .* missing from font", category=UserWarning
        )
        yield


def _label(text: str | None, *, fallback: str = "?", max_chars: int = MAX_LABEL_CHARS) -> str:
    """Untrusted text as a one-line label: no control characters, at most ``max_chars``."""
    cleaned = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cs", "Co", "Zl", "Zp") else ch
        for ch in (text or "")
    )
    cleaned = " ".join(cleaned.split())
    if not cleaned:
        return fallback
    return cleaned if len(cleaned) <= max_chars else cleaned[: max_chars - 1].rstrip() + "…"


def timeline_chart(timeline: Timeline, *, title: str | None = None) -> Figure:
    """Outlets down the y axis (first to report at the top), time along x, a dot per article.

    The story's first report(s) are drawn as red diamonds. Undated articles are not drawn;
    a note under the axis counts them.
    """
    import numpy as np
    from matplotlib.figure import Figure

    outlets = [r.outlet for r in timeline.appearances]
    row = {outlet: n for n, outlet in enumerate(outlets)}
    with _style():
        fig = Figure(figsize=(8.0, 1.4 + 0.32 * max(len(outlets), 1)), layout="constrained")
        ax = fig.add_subplot()
        later = [r for r in timeline.reports if not r.is_first]
        first = [r for r in timeline.reports if r.is_first]
        for reports, colour, marker, size, name in (
            (later, MARK_COLOUR, "o", 36, "article"),
            (first, FIRST_COLOUR, "D", 64, "first report"),
        ):
            if reports:
                ax.scatter(
                    np.array([r.at for r in reports], dtype="datetime64[us]"),
                    [row[r.outlet] for r in reports],
                    s=size,
                    c=colour,
                    marker=marker,
                    label=name,
                    zorder=3,
                )
        _day_ticks(ax, timeline)
        ax.set_yticks(range(len(outlets)), [_label(o) for o in outlets])
        ax.set_ylim(max(len(outlets), 1) - 0.5, -0.5)
        ax.grid(axis="x", color="#d1d9e0", linewidth=0.6)
        if timeline.reports:
            ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        if title:
            ax.set_title(_label(title, max_chars=80), loc="left")
        if timeline.undated:
            count = len(timeline.undated)
            fig.supxlabel(
                f"{count} undated article{'s' if count != 1 else ''} not shown", fontsize=8
            )
    return fig


def _day_ticks(ax: Axes, timeline: Timeline) -> None:
    """A tick per day when only days are known (the automatic ticks would add 12:00)."""
    import numpy as np

    if timeline.precision != "day" or not timeline.reports:
        return
    first, last = timeline.reports[0].at, timeline.reports[-1].at
    if (last - first).days <= MAX_DAY_TICKS:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        ax.set_xticks(np.array(days, dtype="datetime64[us]"))


def coverage_chart(
    memberships: Sequence[tuple[str, str, str]],
    titles: Mapping[str, str | None],
    *,
    max_stories: int = MAX_STORIES,
) -> Figure:
    """Which outlet carried which story: stories down, outlets across, articles in each cell.

    Stories are sorted by the number of outlets that carried them, then articles, then id;
    outlets by the number of stories they carried, then name. Only the ``max_stories`` most
    covered stories are drawn, with a note saying how many were left out.

    Args:
        memberships: (story id, article id, outlet) of every story member
            (``Store.memberships()``).
        titles: story id -> title (a story without one is labelled with its id).
    """
    import numpy as np
    from matplotlib.figure import Figure

    cells = Counter((story, outlet) for story, _, outlet in memberships)
    story_outlets = Counter(story for story, _ in cells)
    story_articles = Counter(story for story, _, _ in memberships)
    stories = sorted(story_outlets, key=lambda s: (-story_outlets[s], -story_articles[s], s))
    shown = stories[:max_stories]
    outlet_stories = Counter(outlet for story, outlet in cells if story in set(shown))
    outlets = sorted(outlet_stories, key=lambda o: (-outlet_stories[o], o))
    grid = np.ma.masked_equal(
        np.array([[cells[(s, o)] for o in outlets] for s in shown], dtype=float).reshape(
            len(shown), len(outlets)
        ),
        0,
    )
    with _style():
        fig = Figure(
            figsize=(2.5 + 0.45 * max(len(outlets), 4), 1.6 + 0.3 * max(len(shown), 1)),
            layout="constrained",
        )
        ax = fig.add_subplot()
        if shown:
            ax.pcolormesh(
                grid,
                cmap="Blues",
                vmin=0,
                vmax=max(2.0, float(grid.max())),
                edgecolors="white",
                linewidth=1.0,
            )
            for (y, x), count in np.ndenumerate(grid.filled(0)):
                if count:
                    ax.text(
                        x + 0.5,
                        y + 0.5,
                        f"{int(count)}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if count > 1 else "#1f2328",
                    )
        ax.set_xticks(
            [n + 0.5 for n in range(len(outlets))],
            [_label(o, max_chars=28) for o in outlets],
            rotation=45,
            ha="right",
        )
        ax.set_yticks(
            [n + 0.5 for n in range(len(shown))], [_label(titles.get(s), fallback=s) for s in shown]
        )
        ax.set_xlim(0, max(len(outlets), 1))
        ax.set_ylim(max(len(shown), 1), 0)
        ax.tick_params(length=0)
        ax.set_title("Articles per story and outlet", loc="left")
        if len(stories) > len(shown):
            fig.supxlabel(f"the {len(shown)} most covered of {len(stories)} stories", fontsize=8)
    return fig


def render(fig: Figure, fmt: ChartFormat) -> bytes:
    """The figure as SVG or PNG bytes; the same figure always gives the same bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fmt not in ("svg", "png"):
        raise ValueError(f"unknown chart format {fmt!r}; use 'svg' or 'png'")
    FigureCanvasAgg(fig)
    out = io.BytesIO()
    metadata: dict[str, str | None] = (
        {"Date": None, "Creator": None} if fmt == "svg" else {"Software": None}
    )
    with _style():
        # tight: a title wider than a narrow chart, or long labels, are never cut off
        fig.savefig(out, format=fmt, dpi=100, metadata=metadata, bbox_inches="tight")
    return out.getvalue()


def data_uri(svg: bytes) -> str:
    """``data:image/svg+xml;base64,...``: an SVG for ``<img src>`` under ``img-src data:``."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@functools.lru_cache(maxsize=32)
def timeline_data_uri(timeline: Timeline, *, title: str | None = None) -> str:
    """The timeline chart as an SVG data URI (cached: a report is often rendered again)."""
    return data_uri(render(timeline_chart(timeline, title=title), "svg"))


def chart_format(path: Path) -> ChartFormat:
    """``svg`` or ``png`` from a file name's suffix.

    Raises:
        InputError: any other suffix.
    """
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "svg":
        return "svg"
    if suffix == "png":
        return "png"
    raise InputError(
        str(path), "a chart is written as .svg or .png", "Name the file *.svg or *.png"
    )


def write_chart(fig: Figure, path: Path) -> None:
    """Render the figure in the format its file name asks for and write it.

    Raises:
        InputError: an unknown suffix, or the file cannot be written.
    """
    data = render(fig, chart_format(path))
    try:
        path.write_bytes(data)
    except OSError as err:
        raise InputError(str(path), f"cannot write the chart: {err.strerror}") from err
