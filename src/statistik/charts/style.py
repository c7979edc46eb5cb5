"""The house style: fonts for a projector, series told apart in grey-scale print, title and source line.

Every chart gets its title (what, where, when) at the top and its source line under the plot,
so a chart copied out of context still says what it shows and where the numbers come from.
Layout is computed in pixels from estimated text widths: Plotly does not wrap text, and a
Streamlit container is usually 700–1200 px wide, so titles wrap for about 900 px.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go

from statistik import config
from statistik.markup import html

FONT_FAMILY = "Arial, 'Liberation Sans', 'Helvetica Neue', 'DejaVu Sans', sans-serif"
TITLE_SIZE = 26
SUBTITLE_SIZE = 18
BODY_SIZE = 18        # legend, axis titles, labels
TICK_SIZE = 17
NOTE_SIZE = 16        # source line, notes, export footer
LINE_WIDTH = 3.5
TEXT_COLOR = "#1a1a1a"
MUTED_COLOR = "#4d4d4d"
GRID_COLOR = "#d9d9d9"
SEPARATORS = ",."     # decimal comma, thousands point: 1.234,5
DEFAULT_HEIGHT = 600     # for a figure that was never styled
PLOT_HEIGHT = 360        # px of plot area a styled chart gets unless a builder says otherwise
TITLE_TOP = 16         # px from the top edge to the title's first line
ASSUMED_WIDTH = 900   # for wrapping and label placement when the figure has no width
NARROW_WIDTH = 600    # narrower figures (a phone) get their legend under the plot

COMPUTED_SUFFIX = ", egne beregninger"
_SOURCE_NAMES = {config.DST_SOURCE: f"{config.DST_SOURCE} (STRAF11)"}

META_KEY = "statistik"   # layout.meta[META_KEY]: title, source, notes, bottom margin


@dataclass(frozen=True)
class SeriesStyle:
    """How one series is drawn: colour (distinct in lightness), dash pattern and marker symbol."""

    color: str
    dash: str
    symbol: str

    def band(self, alpha: float = 0.16) -> str:
        """The colour as a translucent fill for the 95 % band."""
        r, g, b = (int(self.color[i:i + 2], 16) for i in (1, 3, 5))
        return f"rgba({r},{g},{b},{alpha})"


# Ordered so that neighbours differ in lightness (grey levels ≈ 15, 65, 40, 80, 30, 55 %).
SERIES_STYLES = (
    SeriesStyle("#0b2a5b", "solid", "circle"),
    SeriesStyle("#e69500", "dash", "square"),
    SeriesStyle("#2f6fbf", "dot", "diamond"),
    SeriesStyle("#9cc8ec", "dashdot", "triangle-up"),
    SeriesStyle("#6a2c84", "longdash", "triangle-down"),
    SeriesStyle("#c0392b", "longdashdot", "pentagon"),
)


def series_style(index: int) -> SeriesStyle:
    """The style of the `index`-th series (cycling after six)."""
    return SERIES_STYLES[index % len(SERIES_STYLES)]


def source_line(sources: list[str], computed: bool, rates: bool = False) -> str:
    """'Kilde: Danmarks Statistik (STRAF11), egne beregninger' for the sources a chart or table uses.

    Danmarks Statistik comes first. With `rates`, the population table FOLK1A is named too.
    """
    ordered = sorted((s for s in dict.fromkeys(sources) if s), key=lambda s: s != config.DST_SOURCE)
    names = [_SOURCE_NAMES.get(s, s) for s in ordered]
    if rates:
        dst = f"{config.DST_SOURCE} (STRAF11, FOLK1A)"
        names = [dst if s == config.DST_SOURCE else n for s, n in zip(ordered, names)]
        if config.DST_SOURCE not in ordered:
            names.append(f"{config.DST_SOURCE} (FOLK1A)")
    text = "Kilde: " + (" og ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " og " + names[-1])
    return text + (COMPUTED_SUFFIX if computed else "")


def text_width(text: str, size: float) -> float:
    """Estimated width in px of `text` at font `size` (Arial averages about 0.53 em)."""
    return len(text) * size * 0.53


# A period label is never broken over two lines: '3. kvt. 2025', 'sep. 2025', '100.000 indbyggere' stay whole.
_UNBROKEN = re.compile(r"(?<=\d\.) (?=kvt\. \d{4})|(?<=kvt\.) (?=\d{4})|(?<=\b[a-zæøå]{3}\.) (?=\d{4})")


_KEEP = "\ue000"          # a private-use character holds a protected space while wrapping


def wrap(text: str, width_px: float, size: float) -> list[str]:
    """`text` broken into lines that fit `width_px` at font `size`: at spaces, never inside a period label, and
    inside a word only when the word alone is longer than a line (a pasted address, say)."""
    chars = max(20, int(width_px / (size * 0.53)))
    lines = textwrap.wrap(_UNBROKEN.sub(_KEEP, text), chars) or [""]
    return [line.replace(_KEEP, " ") for line in lines]


def add_note(fig: go.Figure, text: str) -> None:
    """A line of explanation drawn under the plot, above the source line (e.g. a key to numbered events)."""
    meta = _meta(fig)
    meta["notes"] = [*meta.get("notes", []), text]
    fig.update_layout(meta={META_KEY: meta})


def _meta(fig: go.Figure) -> dict:
    meta = fig.layout.meta
    return dict(meta.get(META_KEY, {})) if isinstance(meta, dict) else {}


def figure_meta(fig: go.Figure) -> dict:
    """What apply_style recorded: title, source, notes and the bottom margin it laid out."""
    return _meta(fig)


def title_y(height: float, lines: int = 1) -> float:
    """The title's y (container fraction) that puts its first line TITLE_TOP px below the top edge.

    Plotly ignores pad.t at y=1 and lifts a multi-line title by about 0.7 em, so both are
    compensated here.
    """
    return 1 - (TITLE_TOP + (0.7 * TITLE_SIZE if lines > 1 else 0)) / height


def _legend_rows(fig: go.Figure, plot_width: float) -> int:
    """Rows of the horizontal legend: one if it fits, else Plotly wraps it in columns of the widest entry."""
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    if not names or fig.layout.showlegend is False:
        return 0
    if sum(text_width(name, BODY_SIZE) + 50 for name in names) <= plot_width:
        return 1                # everything fits on one row at natural widths
    entry = max(text_width(name, BODY_SIZE) for name in names) + 64
    per_row = max(1, int(plot_width // entry))
    return -(-len(names) // per_row)


def _axis_space(fig: go.Figure) -> int:
    """Pixels under the plot taken by the x tick labels and the x-axis title (of a subplot's lowest axis too)."""
    axis = fig.layout.xaxis
    if axis.visible is False:
        return 8
    space = 0 if axis.showticklabels is False else 36
    titled = any(fig.layout[name].title.text for name in fig.layout if name.startswith("xaxis"))
    return space + (32 if titled else 0)


def apply_style(
    fig: go.Figure, *, title: str, source: str, subtitle: str | None = None, height: int | None = None,
) -> go.Figure:
    """Title, subtitle, source line under the plot, fonts, margins and white background."""
    meta = _meta(fig)
    width = fig.layout.width or ASSUMED_WIDTH
    left = fig.layout.margin.l if fig.layout.margin.l is not None else 80
    right = fig.layout.margin.r if fig.layout.margin.r is not None else 40
    title_lines = wrap(title, width - 40, TITLE_SIZE)
    sub_lines = wrap(subtitle, width - 40, SUBTITLE_SIZE) if subtitle else []
    below = width < NARROW_WIDTH
    legend_rows = _legend_rows(fig, width - left - right if not below else width - 40)
    top = TITLE_TOP + 26 + 34 * (len(title_lines) - 1) + (46 + 24 * (len(sub_lines) - 1) if sub_lines else 0) \
        + 16 + (28 * legend_rows + (4 if legend_rows else 0) if not below else 0)

    notes = meta.get("notes", [])
    note_lines = [line for note in notes for line in wrap(note, width - 40, NOTE_SIZE)]
    offset = _axis_space(fig)
    legend_at = offset                  # px under the plot where a legend below it starts
    if below and legend_rows:
        offset += 28 * legend_rows + 8
    annotations = []
    source_lines = wrap(source, width - 40, NOTE_SIZE) if below else [source]
    for line, name in [*((n, "note") for n in note_lines), *((s, "source") for s in source_lines)]:
        annotations.append(go.layout.Annotation(
            text=html(line), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            xshift=-(left - 20), yshift=-offset, showarrow=False, align="left",
            font=dict(size=NOTE_SIZE, color=MUTED_COLOR if name == "note" else TEXT_COLOR), name=name,
        ))
        offset += 24
    bottom = offset + 14

    if height:
        meta["fixed_height"] = height
    elif meta.get("fixed_height"):
        height = meta["fixed_height"]
    else:                       # the plot keeps its size; the figure grows with title, legend and notes
        height = int(top + bottom + meta.get("plot_px", PLOT_HEIGHT))
    fig.update_layout(
        title=dict(
            text="<br>".join(map(html, title_lines)), x=0, xref="container", xanchor="left",
            y=title_y(height, len(title_lines)), yref="container", yanchor="top", pad=dict(l=20),
            font=dict(size=TITLE_SIZE, color=TEXT_COLOR),
        ),
        font=dict(family=FONT_FAMILY, size=BODY_SIZE, color=TEXT_COLOR),
        separators=SEPARATORS,
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=height,
        margin=dict(l=left, r=right, t=top, b=bottom, autoexpand=False),
        legend=dict(
            orientation="h", x=0 if not below else 20 / width, xref="paper" if not below else "container",
            xanchor="left",
            y=1.0 if not below else -legend_at / max(height - top - bottom, 1), yanchor="bottom" if not below else "top",
            yref="paper", font=dict(size=BODY_SIZE), bgcolor="rgba(255,255,255,0)", itemwidth=50,
            traceorder="normal",
        ),
        hoverlabel=dict(font=dict(family=FONT_FAMILY, size=BODY_SIZE)),
        meta={META_KEY: {**meta, "title": title, "subtitle": subtitle, "source": source, "bottom": bottom,
                         "title_lines": len(title_lines)}},
    )
    if sub_lines:
        fig.update_layout(title_subtitle=dict(text="<br>".join(map(html, sub_lines)),
                                              font=dict(size=SUBTITLE_SIZE, color=MUTED_COLOR)))
    elif fig.layout.title.subtitle.text:
        fig.layout.title.subtitle.text = None        # styled again without a subtitle
    kept = [a for a in fig.layout.annotations if a.name not in ("source", "note")]
    fig.layout.annotations = [*kept, *annotations]
    axis_style = dict(
        tickfont=dict(size=TICK_SIZE), title_font=dict(size=BODY_SIZE), gridcolor=GRID_COLOR,
        linecolor="#8c8c8c", zerolinecolor="#8c8c8c", automargin=False,
        exponentformat="none", separatethousands=True,
    )
    for update, axis in ((fig.update_xaxes, fig.layout.xaxis), (fig.update_yaxes, fig.layout.yaxis)):
        # Keep a builder's choice (years on an axis are not thousands).
        update(**{k: v for k, v in axis_style.items() if k != "separatethousands" or axis.separatethousands is None})
    return fig


def set_plot_height(fig: go.Figure, plot_px: float) -> None:
    """Ask apply_style for a plot area of `plot_px` (e.g. a row per bar) instead of PLOT_HEIGHT."""
    fig.update_layout(meta={META_KEY: {**_meta(fig), "plot_px": plot_px}})


def restyle(fig: go.Figure, width: int, height: int | None = None) -> go.Figure:
    """The styled figure laid out again for `width` px (title wrapping, legend rows, margins)."""
    meta = _meta(fig)
    fig.update_layout(width=width)
    if "title" not in meta:
        return fig.update_layout(height=height) if height else fig
    return apply_style(fig, title=meta["title"], source=meta["source"], subtitle=meta.get("subtitle"),
                       height=height)
