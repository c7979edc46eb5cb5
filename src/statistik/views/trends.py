"""The trends page: any categories × areas over time, as counts, rates or an index."""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import pandas as pd

from statistik import districts, formatting, reference
from statistik.metrics import expected as me, frame as mf, poisson, rates, relative, series
from statistik.metrics.frame import SeriesError
from statistik.periods import Period, months_in
from statistik.views import memo
from statistik.views.common import area_names, population_with_district, series_with_district
from statistik.views.comparison import expected_ranges

GRANULARITIES = {"M": "Måned", "Q": "Kvartal", "Y": "År", "R": "Løbende 12 måneder"}
DISPLAYS = {"antal": "Antal", "rate": "Pr. 100.000 indbyggere", "indeks": "Indeks"}


@dataclass
class Trend:
    """Chart data (series, period_start, period_kind, value, low, high) and what it is."""

    data: pd.DataFrame
    y_title: str
    notes: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    computed: bool = False
    title: str = ""       # what, where and when
    filters: str = ""     # the choices in words, for exported charts

    @property
    def empty(self) -> bool:
        """Whether there is nothing to draw."""
        return self.data.empty or self.data["value"].isna().all()


def _aggregate(frame: pd.DataFrame, granularity: str, notes: list[str]) -> pd.DataFrame:
    """Each source at the chosen granularity; a source that cannot be shown so is left out, with a note."""
    parts = []
    for source, rows in frame.groupby(mf.SOURCE, sort=True):
        try:
            parts.append(series.rolling(rows) if granularity == "R" else series.aggregate(rows, granularity))
        except SeriesError as e:
            notes.append(str(e))
    return pd.concat(parts, ignore_index=True) if parts else mf.empty()


@memo.keeps()
def trend(
    con: duckdb.DuckDBPyConnection,
    areas: list[str],
    categories: list[str],
    granularity: str = "Q",
    measure: str = "antal",
    base_year: int | None = None,
    sources: list[str] | None = None,
) -> Trend:
    """The chosen series; missing periods stay missing, sources stay apart."""
    notes: list[str] = []
    frame = _aggregate(series_with_district(con, areas, categories, sources), granularity, notes)
    if granularity != "R" and not frame.empty:
        ranges = expected_ranges(con, frame, granularity)
        if not ranges.empty:
            frame = frame.merge(ranges, on=[*mf.SERIES_KEYS, mf.START], how="left")
    if measure == "rate":
        frame = rates.add_rates(frame, population_with_district(con))
        value, low, high = rates.RATE, rates.RATE_LOW, rates.RATE_HIGH
        used = frame[rates.POPULATION_YEAR].dropna()
        if not used.empty:
            notes.append(f"Rater pr. 100.000 indbyggere med folketallet 1. januar i periodens år "
                         f"(FOLK1A {used.min()}–{used.max()}).")
            older = frame[frame[rates.POPULATION_YEAR] < frame[mf.START].dt.year]
            if not older.empty:
                notes.append(f"Perioder efter {used.max()} bruger folketallet 1. januar {used.max()}, "
                             "det seneste kendte.")
        y_title = "Anmeldelser pr. 100.000 indbyggere"
    elif measure == "indeks":
        if base_year is None and not frame.empty:
            base_year = int(frame[mf.START].dt.year.min())
        if not frame.empty:
            frame = relative.index(frame, base_year)
        value, low, high = relative.INDEX, None, None
        y_title = f"Indeks ({base_year} = 100)"
    else:
        frame = poisson.add_intervals(frame)
        value, low, high = mf.COUNT, poisson.COUNT_LOW, poisson.COUNT_HIGH
        y_title = "Antal anmeldelser"
    names, categories_named = area_names(con), reference.category_names(con)
    several_sources = frame[mf.SOURCE].nunique() > 1
    label = (frame[mf.AREA].map(names) + " · " + frame[mf.CATEGORY].map(categories_named)
             + ((" (" + frame[mf.SOURCE] + ")") if several_sources else ""))
    starts = frame[mf.START]
    if granularity == "R" and not frame.empty:
        # A rolling window is shown at its last month (December for a window of quarters to 4. kvt.).
        last_month = mf.month_number(starts) + frame[mf.KIND].map(months_in).astype("int64") - 1
        starts = mf.from_month_number(last_month.to_numpy()).set_axis(frame.index)
    scale = _scale(frame, measure)
    expected = {c: (frame[c].astype("Float64").astype("float64") * scale if c in frame.columns else float("nan"))
                for c in (me.EXPECTED_LOW, me.EXPECTED_HIGH)}
    data = pd.DataFrame({
        "series": label,
        "period_start": starts,
        "period_kind": "R" if granularity == "R" else frame[mf.KIND],
        "value": frame[value].astype("Float64").astype("float64"),
        "low": frame[low].astype("Float64").astype("float64") if low else float("nan"),
        "high": frame[high].astype("Float64").astype("float64") if high else float("nan"),
        "count": frame[mf.COUNT],
        "source": frame[mf.SOURCE],
        "expected_low": expected[me.EXPECTED_LOW],
        "expected_high": expected[me.EXPECTED_HIGH],
    })
    notes += _expected_notes(frame, label)
    if not data.empty and data["count"].dropna().lt(poisson.SMALL_COUNT).any():
        notes.append("Nogle perioder har under 10 tilfælde: få tilfælde — fortolk varsomt. "
                     "Det skraverede bånd viser 95 %-usikkerheden.")
    native = set(frame[mf.KIND].unique()) == {granularity}
    derived = any(districts.by_code(a) is not None for a in areas)
    computed = measure != "antal" or derived or not native
    chosen_areas = [names.get(a, a) for a in areas]
    chosen_categories = [categories_named.get(c, c) for c in categories]
    return Trend(data, y_title, notes, sorted(frame[mf.SOURCE].unique()), computed,
                 title=_title(data, chosen_areas, chosen_categories),
                 filters=(f"Områder: {', '.join(chosen_areas)} · Kategorier: {', '.join(chosen_categories)} · "
                          f"Periode: {GRANULARITIES[granularity].lower()} · "
                          f"Vist som: {DISPLAYS[measure].lower()}"))


def _scale(frame: pd.DataFrame, measure: str) -> pd.Series | float:
    """What a count is multiplied by to be shown in the chosen measure (for the expected range)."""
    if frame.empty or measure == "antal":
        return 1.0
    if measure == "rate":
        inhabitants = frame[rates.POPULATION].astype("Float64").astype("float64")
        return rates.PER_100K / inhabitants.where(inhabitants > 0)
    return 100 / frame[relative.INDEX_BASE].astype("Float64").astype("float64")


def _expected_notes(frame: pd.DataFrame, label: pd.Series) -> list[str]:
    """For each series' latest period with an expected range: its count in words against that range."""
    if me.POSITION not in frame.columns:
        return []
    notes = []
    ranged = frame[frame[me.POSITION].notna()]
    for _, rows in ranged.groupby(list(mf.SERIES_KEYS), sort=False):
        row = rows.loc[rows[mf.START].idxmax()]
        when = Period(row[mf.KIND], pd.Timestamp(row[mf.START]).date()).label
        notes.append(f"{label[row.name]}, {when}: {formatting.number(row[mf.COUNT])} anmeldelser, "
                     f"{me.WORDS[row[me.POSITION]]} ({formatting.number(row[me.EXPECTED_LOW])}–"
                     f"{formatting.number(row[me.EXPECTED_HIGH])} ud fra de tre foregående år).")
    return notes


def table(trend_: Trend) -> pd.DataFrame:
    """The chart's numbers as a table: a 'Periode' column, then one column per series."""
    if trend_.data.empty:
        return pd.DataFrame()
    wide = trend_.data.pivot_table(index=["period_start", "period_kind"], columns="series", values="value",
                                   aggfunc="first", dropna=False).sort_index().reset_index()
    labels = [Period("M" if k == "R" else k, s.date()).label for s, k in zip(wide["period_start"], wide["period_kind"])]
    wide.insert(0, "Periode", labels)
    wide.columns.name = None
    return wide.drop(columns=["period_start", "period_kind"])


def _names(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " og " + items[-1]


def _title(data: pd.DataFrame, areas: list[str], categories: list[str]) -> str:
    """What, where and when: 'Indbrud i beboelser, Dragør, 1. kvt. 2016 – 4. kvt. 2025'."""
    what, where = _names(categories), _names(areas)
    known = data.dropna(subset=["value"])
    if known.empty:
        return f"{what}, {where}"
    kind = known["period_kind"].iloc[0]
    first, last = known["period_start"].min().date(), known["period_start"].max().date()
    label = (lambda d: Period("M", d).label) if kind == "R" else (lambda d: Period(kind, d).label)
    when = f"{label(first)} – {label(last)}" + (" (løbende 12 måneder)" if kind == "R" else "")
    return f"{what}, {where}, {when}"
