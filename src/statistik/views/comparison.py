"""The period comparison: any two periods, every category, with the verdicts of `metrics.verdicts`.

`verdicts` reads what the engine needs from the store — the areas asked for and, to learn what
normal variation is, every other stored area with the same categories and sources — and is the
one path behind the Sammenlign page, the overview cards, the briefing and `statistik compare`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from statistik import districts, formatting, reference
from statistik.metrics import change as mc, dispersion as md, expected as me, frame as mf, verdicts as mv
from statistik.periods import Period, months_in, year_earlier
from statistik.views import memo, variation
from statistik.views.common import area_names, population_with_district, series_with_district

COLUMNS = ["category_code", "category", "source", "previous", "current", "change", "change_pct",
           "change_note", "p_value", "significant", "verdict", "small", "normal_low", "normal_high",
           "expected", "expected_low", "expected_high", "expected_position", "total"]


def totals(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The categories that are overall totals: the top of the hierarchy (Overtrædelsens art i alt)."""
    return {r[0] for r in con.execute(
        "SELECT code FROM category WHERE parent_code IS NULL AND code IN (SELECT parent_code FROM category)"
    ).fetchall()}


@memo.keeps()
def verdicts(
    con: duckdb.DuckDBPyConnection, current: Period, previous: Period, areas: list[str] | None = None,
    categories: list[str] | None = None, sources: list[str] | None = None,
) -> pd.DataFrame:
    """`metrics.verdicts.compare` for `areas` (None: every area and the district) on the stored figures.

    Only the series judged are read; what normal variation is comes from every stored area with
    the same category and source (`views.variation`), so a verdict is the same whatever else is
    judged with it. Kept while the figures are the same (`views.memo`).
    """
    frame = series_with_district(con, areas if areas is not None else variation.areas(con), categories, sources)
    if frame.empty:
        return pd.DataFrame(columns=mv.COLUMNS)
    groups = [(current.kind, source, category) for _, source, category in md.groups(frame)]
    fitted = variation.models(con, current, previous, groups)
    return mv.compare(frame, population_with_district(con), current, previous, areas=areas, fitted=fitted)


def expected_ranges(con: duckdb.DuckDBPyConnection, shown: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The expected range of each of the last 12 months' periods of the series in `shown` (plain periods of `kind`).

    Normal variation is learnt from the same categories and sources in every stored area, as for
    the verdicts. Columns: the series keys, period_start, expected_low, expected_high, expected_position.
    """
    columns = [*mf.SERIES_KEYS, mf.START, me.EXPECTED_LOW, me.EXPECTED_HIGH, me.POSITION]
    known = shown[shown[mf.COUNT].notna()]
    if known.empty:
        return pd.DataFrame(columns=columns)
    series_ = series_with_district(con, sorted(known[mf.AREA].unique()), sorted(known[mf.CATEGORY].unique()),
                                   sorted(known[mf.SOURCE].unique()))
    try:
        frame = mv.prepared(series_, population_with_district(con), kind)
    except mf.SeriesError:
        return pd.DataFrame(columns=columns)
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame = frame.merge(known[list(mf.SERIES_KEYS)].drop_duplicates(), on=list(mf.SERIES_KEYS))
    last = known[mf.START].max()
    starts = sorted({s for s in known[mf.START].unique() if s > last - pd.DateOffset(months=12)})
    fitted = variation.forecast_models(con, kind, starts, md.groups(frame))
    out = me.add_expected(frame, starts, models=fitted)
    return out[out[me.EXPECTED_LOW].notna()][columns].reset_index(drop=True)


@memo.keeps()
def compare(
    con: duckdb.DuckDBPyConnection, current: Period, previous: Period, area: str | None = None,
    sources: list[str] | None = None,
) -> pd.DataFrame:
    """Every category of one area (default: the district) in two periods of one kind: counts, change, verdicts;
    per source."""
    area = area or districts.current().code
    out = verdicts(con, current, previous, [area], sources=sources)
    if out.empty:
        return pd.DataFrame(columns=COLUMNS)
    names = reference.category_names(con)
    result = pd.DataFrame({
        "category_code": out[mf.CATEGORY],
        "category": out[mf.CATEGORY].map(names),
        "source": out[mf.SOURCE],
        "previous": out[mc.PREVIOUS_COUNT],
        "current": out[mf.COUNT],
        "change": out[mc.CHANGE],
        "change_pct": out[mc.CHANGE_PCT],
        "change_note": out[mc.CHANGE_NOTE],
        "p_value": out[mv.P_VALUE],
        "significant": out[mv.IS_SIGNIFICANT],
        "verdict": out[mv.VERDICT],
        "small": out[mv.SMALL],
        "normal_low": out[mv.NORMAL_LOW],
        "normal_high": out[mv.NORMAL_HIGH],
        "expected": out[me.EXPECTED],
        "expected_low": out[me.EXPECTED_LOW],
        "expected_high": out[me.EXPECTED_HIGH],
        "expected_position": out[me.POSITION],
        "total": out[mf.CATEGORY].isin(totals(con)),
    })
    return result.sort_values(["source", "total", "category"]).reset_index(drop=True)


def _verdicts(rows: pd.DataFrame) -> list[mv.Verdict]:
    """The Verdict of each row of `compare` (whose count columns are named for the page)."""
    engine = rows.rename(columns={"current": mf.COUNT, "previous": mc.PREVIOUS_COUNT, "small": mv.SMALL})
    return [mv.Verdict.of(r) for _, r in engine.iterrows()]


def chart_data(rows: pd.DataFrame) -> pd.DataFrame:
    """What `charts.comparison.change_figure` draws for the rows of one source with both counts."""
    both = rows.dropna(subset=["current", "previous"])
    return pd.DataFrame({
        "category": both["category"], "change": both["change"], "normal_low": both["normal_low"],
        "normal_high": both["normal_high"], "significant": both["significant"], "small": both["small"],
        "change_text": [v.change_text for v in _verdicts(both)], "total": both["total"],
    })


def _range_text(low, high) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    return f"{formatting.signed(low)} til {formatting.signed(high)}"


def shown_table(rows: pd.DataFrame, current: Period, previous: Period) -> pd.DataFrame:
    """The comparison table as the page shows it, Danish column names, verdicts in words."""
    verdicts_ = _verdicts(rows)
    expected = [f"{formatting.number(v.expected_low)}–{formatting.number(v.expected_high)}: {me.WORDS[v.position]}"
                if v.position else "–" for v in verdicts_]
    notes = [" · ".join(n for n in (note if isinstance(note, str) else None,
                                    mv.SMALL_COUNT_NOTE if v.small and v.count is not None else None) if n) or "–"
             for note, v in zip(rows["change_note"], verdicts_)]
    return pd.DataFrame({
        "Kategori": rows["category"],
        previous.label: rows["previous"],
        current.label: rows["current"],
        "Ændring": rows["change"],
        "Ændring %": rows["change_pct"],
        "Normal variation": [_range_text(lo, hi) for lo, hi in zip(rows["normal_low"], rows["normal_high"])],
        "Vurdering": [v.chance_words or "–" for v in verdicts_],
        "p-værdi": rows["p_value"],
        "Forventet niveau": expected,
        "Bemærkning": notes,
    }).reset_index(drop=True)


TABLE_FORMATS = {"Ændring": "signed", "Ændring %": "pct", "p-værdi": "p"}


def periods_available(con: duckdb.DuckDBPyConnection, kind: str) -> list[Period]:
    """Periods of `kind` that some source covers completely (every month or quarter of a year), newest first.

    A year with only January's police figures is not offered: it would compare nothing.
    """
    size = months_in(kind)
    parts: dict[tuple, set] = {}
    for source, k, start in con.execute("SELECT DISTINCT source, period_kind, period_start FROM figure").fetchall():
        if months_in(k) <= size:
            target = start.replace(month=(start.month - 1) // size * size + 1, day=1)
            parts.setdefault((source, k, target), set()).add(start)
    starts = {target for (_, k, target), found in parts.items() if len(found) == size // months_in(k)}
    return sorted((Period(kind, s) for s in starts), key=lambda p: p.start, reverse=True)


def year_before(available: list[Period], current: Period) -> Period:
    """What to compare `current` with: the same period a year earlier if it has figures, else the next older one.

    `available` is newest first, as periods_available gives it.
    """
    earlier = year_earlier(current)
    if earlier in available:
        return earlier
    index = available.index(current)
    return available[min(index + 1, len(available) - 1)]



RECORD_KEYS = ("area", "area_name", "category", "category_name", "source", "period", "against", "count",
               "previous_count", "change", "change_pct", "change_note", "p_value", "significant", "verdict",
               "small_count", "normal_low", "normal_high", "expected", "expected_low", "expected_high",
               "expected_position", "phi", "phi_df")


def plain(value):
    """A JSON value: None for <NA>/NaN, int/float/bool/str instead of numpy and pandas types."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def records(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame) -> list[dict]:
    """The rows of `verdicts` as plain dicts with names and period codes (`statistik compare --json`)."""
    areas, categories = area_names(con), reference.category_names(con)
    out = []
    for row in frame.itertuples(index=False):
        r = row._asdict()
        kind = r[mf.KIND]
        out.append({key: plain(value) for key, value in {
            "area": r[mf.AREA], "area_name": areas.get(r[mf.AREA], r[mf.AREA]),
            "category": r[mf.CATEGORY], "category_name": categories.get(r[mf.CATEGORY], r[mf.CATEGORY]),
            "source": r[mf.SOURCE],
            "period": Period(kind, pd.Timestamp(r[mf.START]).date()).code,
            "against": Period(kind, pd.Timestamp(r[mc.PREVIOUS_START]).date()).code,
            "count": r[mf.COUNT], "previous_count": r[mc.PREVIOUS_COUNT], "change": r[mc.CHANGE],
            "change_pct": r[mc.CHANGE_PCT], "change_note": r[mc.CHANGE_NOTE], "p_value": r[mv.P_VALUE],
            "significant": r[mv.IS_SIGNIFICANT], "verdict": r[mv.VERDICT], "small_count": r[mv.SMALL],
            "normal_low": r[mv.NORMAL_LOW], "normal_high": r[mv.NORMAL_HIGH], "expected": r[me.EXPECTED],
            "expected_low": r[me.EXPECTED_LOW], "expected_high": r[me.EXPECTED_HIGH],
            "expected_position": r[me.POSITION], "phi": r[md.PHI], "phi_df": r[md.PHI_DF],
        }.items()})
    return out
