"""The pooled models of normal variation behind every verdict and expected range, fitted once per history.

What normal variation is, is learnt from the history of every stored area (`metrics.dispersion`):
seconds of fitting on a national store, while a verdict itself needs only its own series. The
pooled models of one source depend on nothing but that source's figures in the years before the
period judged (`WINDOW_YEARS`), the population and the district's members (and, on the public
dashboard, which figures are published). So they are kept per process under a fingerprint of
exactly that (`views.memo.fingerprint`), which DuckDB computes in milliseconds: a new month, an
annotation, a briefing or a write elsewhere leaves them as they are; a revised figure in the
window makes them be fitted again.

Fitting reads only the categories asked for, and the source's other categories only for a
category with too few series of its own (where `metrics.dispersion` pools over the source).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

import duckdb
import pandas as pd

from statistik import districts
from statistik.metrics import dispersion as md, expected as me, frame as mf, verdicts as mv
from statistik.periods import Period
from statistik.views import memo
from statistik.views.common import population_with_district, series_with_district

WINDOW_YEARS = md.HISTORY_YEARS + me.REFERENCE_YEARS + 1     # what pairs and forecast errors reach back to
YEAR_ON_YEAR, FORECAST = "year_on_year", "forecast"
MAX_ENTRIES = 256

_models: OrderedDict[tuple, dict[md.GroupKey, md.Pooled]] = OrderedDict()
_lock = threading.Lock()


def _window(before: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    return before - pd.DateOffset(years=WINDOW_YEARS), before


def areas(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Every stored area and the district: the areas normal variation is learnt from."""
    return [districts.current().code,
            *(r[0] for r in con.execute("SELECT DISTINCT area_code FROM figure ORDER BY 1").fetchall())]


def _pool(con, source: str, kind: str, befores: list[pd.Timestamp], categories: list[str] | None) -> pd.DataFrame:
    """Every stored series of the source (only `categories` when given) in periods of `kind`, with exposure,
    over the windows before each of `befores`."""
    first, last = _window(min(befores))[0], max(befores)
    frame = series_with_district(con, areas(con), categories, [source], starts=(first.date(), last.date()))
    return mv.prepared(frame, population_with_district(con), kind) if not frame.empty else frame


def _residuals(pool: pd.DataFrame, purpose: str, before: pd.Timestamp) -> pd.DataFrame:
    """The pool's year-on-year pairs or forecast errors before `before`."""
    if pool.empty:
        return pd.DataFrame(columns=[*mf.SERIES_KEYS, mf.KIND, mf.START, "year", md.SIZE, "u", "x"])
    if purpose == YEAR_ON_YEAR:
        return md.pairs(pool, before)
    return me.forecast_errors(me.forecasts(pool), before)


def _fit(purpose: str, residuals: pd.DataFrame, groups: list[md.GroupKey]) -> dict[md.GroupKey, md.Pooled]:
    if purpose == YEAR_ON_YEAR:
        return md.pooled(residuals, groups)
    return md.pooled(residuals, groups, me.FORECAST_CURVES, me.FORECAST_DF)


Job = tuple[str, pd.Timestamp]      # (purpose, before): which residuals, learnt before when


def pooled(con: duckdb.DuckDBPyConnection, kind: str, jobs: Iterable[Job], groups: Iterable[md.GroupKey]
           ) -> dict[Job, dict[md.GroupKey, md.Pooled]]:
    """For each job, the pooled models of `groups` ((kind, source, category)): kept, or fitted now.

    What is missing is fitted from one read of each source's pool: the categories asked for, and
    all of the source only for a category too thin to be pooled alone.
    """
    jobs = [(purpose, pd.Timestamp(before)) for purpose, before in dict.fromkeys(jobs)]
    out: dict[Job, dict[md.GroupKey, md.Pooled]] = {job: {} for job in jobs}
    by_source: dict[str, list[md.GroupKey]] = {}
    for group in dict.fromkeys(groups):
        by_source.setdefault(group[1], []).append(group)
    for source, wanted in by_source.items():
        keys = {job: (*job, source, kind, memo.fingerprint(con, source, _window(job[1]))) for job in jobs}
        with _lock:
            known = {job: dict(_models.get(key, {})) for job, key in keys.items()}
        missing = {job: [g for g in wanted if g not in known[job]] for job in jobs}
        missing = {job: groups_ for job, groups_ in missing.items() if groups_}
        if missing:
            for job, fitted in _fit_missing(con, source, kind, missing).items():
                known[job].update(fitted)
            with _lock:
                for job in missing:
                    _models[keys[job]] = {**_models.get(keys[job], {}), **known[job]}
                    _models.move_to_end(keys[job])
                while len(_models) > MAX_ENTRIES:
                    _models.popitem(last=False)
        for job in jobs:
            out[job].update({g: known[job][g] for g in wanted})
    return out


def _fit_missing(con, source: str, kind: str, missing: dict[Job, list[md.GroupKey]]
                 ) -> dict[Job, dict[md.GroupKey, md.Pooled]]:
    """Fit from the categories' own pools; where one pools over the whole source, again from all of it."""
    befores = sorted({before for _, before in missing})
    pool = _pool(con, source, kind, befores, sorted({g[2] for groups_ in missing.values() for g in groups_}))
    fitted, wider = {}, {}
    for job, groups_ in missing.items():
        residuals = _residuals(pool, *job)
        fitted[job] = _fit(job[0], residuals, groups_)
        thin = [g for g in groups_ if not md.pools_alone(residuals, g) or fitted[job][g].curve.basis == "standard"]
        if thin:
            wider[job] = thin
    if wider:
        everything = _pool(con, source, kind, befores, None)
        for job, groups_ in wider.items():
            fitted[job].update(_fit(job[0], _residuals(everything, *job), groups_))
    return fitted


def models(con: duckdb.DuckDBPyConnection, current: Period, previous: Period,
           groups: Iterable[md.GroupKey]) -> mv.Models:
    """The models `metrics.verdicts.compare` needs to judge `groups` in `current` against `previous`."""
    yoy, forecast = (YEAR_ON_YEAR, pd.Timestamp(max(current.start, previous.start))), \
        (FORECAST, pd.Timestamp(current.start))
    found = pooled(con, current.kind, [yoy, forecast], groups)
    return mv.Models(found[yoy], {forecast[1]: found[forecast]})


def forecast_models(con: duckdb.DuckDBPyConnection, kind: str, starts, groups: Iterable[md.GroupKey]) -> dict:
    """The forecast-error models of `groups` for each of `starts` (the expected-range band of a trend chart)."""
    found = pooled(con, kind, [(FORECAST, s) for s in pd.to_datetime(list(starts)).unique()], groups)
    return {before: models_ for (_, before), models_ in found.items()}


def clear() -> None:
    """Forget every kept model, result and fingerprint (tests that count fits)."""
    with _lock:
        _models.clear()
    memo.clear()
