"""The briefing's charts: each trend over about three years and each target by year, rendered in one browser session.

Hidden cells are left out of the data the figure is built from, so they appear nowhere in
the image, its labels or (in an interactive copy) its hover text.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from statistik.briefing.cells import CellBook, Span
from statistik.briefing.targets import TargetCells
from statistik.briefing.sections import Figures
from statistik.charts import export
from statistik.charts.style import source_line
from statistik.charts.targets import target_figure
from statistik.charts.trend import trend_figure
from statistik.metrics.poisson import intervals
from statistik.periods import KIND_NAMES, Period
from statistik.views.annotations import relevant

CHART_WIDTH_PX = 1000      # laid out for 1000 px and printed 16 cm wide: fonts of about 8–12 pt


def _value(book: CellBook, span: Span) -> float:
    count = book.visible(span)
    return math.nan if count is None else float(count)


def trend_data(figures: Figures) -> pd.DataFrame:
    """Series (district first, then the municipalities) by native period with the exact 95 % interval;
    hidden or missing cells are NaN, interval included."""
    book = figures.book
    rows = []
    for row in [figures.district, *figures.rows[:-1]]:
        for day in figures.chart_starts:
            rows.append({"series": row.name, "period_start": pd.Timestamp(day), "period_kind": book.kind,
                         "value": _value(book, (row.area, day, book.size))})
    data = pd.DataFrame(rows)
    low, high = intervals(data["value"].to_numpy("float64"))
    missing = data["value"].isna().to_numpy()
    data["low"], data["high"] = np.where(missing, np.nan, low), np.where(missing, np.nan, high)
    return data


def trend_text(figures: Figures) -> str:
    """The chart in words, for screen readers and anyone who cannot see it: every point, hidden ones as hidden.

    'Graf: Indbrud i beboelser (Danmarks Statistik), antal pr. kvartal. Københavns Politikreds: 2. kvt. 2022
    187; 3. kvt. 2022 285; … — København: …'
    """
    book = figures.book
    series = []
    for row in [figures.district, *figures.rows[:-1]]:
        points = "; ".join(f"{Period(book.kind, day).label} {book.show((row.area, day, book.size))}"
                           for day in figures.chart_starts)
        series.append(f"{row.name}: {points}")
    return (f"Graf: {figures.name} ({figures.source}), antal pr. {KIND_NAMES[book.kind]}. "
            + " — ".join(series) + ".")


def target_text(cells: TargetCells) -> str:
    """The target chart in words: each year's count (hidden ones as hidden) against the limit."""
    years = "; ".join(f"{year} {cells.book.show(span)}" for year, span in cells.years)
    return (f"Graf: {cells.category_name} i {cells.area_name} ({cells.book.source}) pr. år, mål {cells.limit_text}. "
            f"{years}.")


def hidden_points(figures: Figures) -> int:
    """How many points the chart leaves out because they are hidden."""
    book = figures.book
    return sum(book.suppression.hides((row.area, day, book.size))
               for row in figures.rows for day in figures.chart_starts)


def trend_chart(figures: Figures, annotations: pd.DataFrame) -> go.Figure:
    """A trend's lines for the district and its municipalities, with events and law changes."""
    book = figures.book
    first = Period(book.kind, figures.chart_starts[0]).label
    last = Period(book.kind, figures.chart_starts[-1]).label
    return trend_figure(
        trend_data(figures), title=f"{figures.name}, {first} – {last}",
        subtitle=f"{book.district.with_members}, anmeldelser pr. {KIND_NAMES[book.kind]}",
        y_title="Antal anmeldelser", source=source_line([figures.source], computed=True),
        annotations=relevant(annotations, [figures.category], [row.area for row in figures.rows]),
        show_bands=True,
    )


def target_chart(cells: TargetCells) -> go.Figure:
    """A target's calendar years against the limit; a year whose count is hidden is left out."""
    book = cells.book
    shown = [(year, span) for year, span in cells.years if not book.suppression.hides(span)]
    data = pd.DataFrame({
        "year": [year for year, _ in shown],
        "count": [float(book.count(span)) for _, span in shown],
        "met": pd.array([cells.year_met(span) for _, span in shown], dtype="boolean"),
    })
    title = f"{cells.category_name} i {cells.area_name} pr. år"
    return target_figure(data, title=title, source=source_line([book.source], computed=True),
                         limit=cells.target.limit, direction=cells.target.direction)


def hidden_years(cells: TargetCells) -> list[int]:
    """The years a target chart leaves out because their count is hidden."""
    return [year for year, span in cells.years if cells.book.suppression.hides(span)]


def render(figures: list[go.Figure]) -> list[bytes]:
    """Every chart as a print-resolution PNG, in ONE browser session."""
    return export.render_many([(fig, "png") for fig in figures], width=CHART_WIDTH_PX)

