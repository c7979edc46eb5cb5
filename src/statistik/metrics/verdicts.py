"""The verdicts: one engine for the comparison page, the overview cards, the briefing and `statistik compare`.

`compare` takes the stored series of the areas to judge and of the areas to learn normal
variation from, and for every area × category × source gives the two counts, the change, the
test that allows for normal variation and exposure (`metrics.significance`), the range of
changes that normal variation gives, and the expected range of the period from earlier years
(`metrics.expected`). `Verdict` is one such row with its verdict in Danish words.

Many verdicts at once: each is made at the 5 % level, so that the same comparison gets the same
verdict wherever it is shown, whatever else is judged beside it, and the page or briefing states
how many of its verdicts are expected to be false alarms when nothing has changed
(`false_alarms_text`). Why not Benjamini–Hochberg: see the README ("Many verdicts at once").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from statistik import formatting
from statistik.metrics import dispersion as md, expected as me
from statistik.metrics.change import CHANGE, CHANGE_NOTE, CHANGE_PCT, PREVIOUS_COUNT, PREVIOUS_START, add_change
from statistik.metrics.exposure import EXPOSURE, add_exposure
from statistik.metrics.frame import AREA, CATEGORY, COUNT, KIND, SERIES_KEYS, SOURCE, START, GranularityError
from statistik.metrics.poisson import SMALL_COUNT, SMALL_COUNT_NOTE
from statistik.metrics.series import aggregate, at
from statistik.metrics.significance import judge
from statistik.periods import Period

ALPHA = 0.05
SIGNIFICANT = "større end tilfældig variation"
CHANCE = "kan skyldes tilfældig variation"

P_VALUE = "p_value"
IS_SIGNIFICANT = "significant"
VERDICT = "verdict"
SMALL = "small_count"
SHARE = "exposure_share"
NORMAL_LOW = "normal_low"
NORMAL_HIGH = "normal_high"
PREVIOUS_EXPOSURE = "previous_exposure"

COLUMNS = [AREA, CATEGORY, SOURCE, KIND, START, PREVIOUS_START, COUNT, PREVIOUS_COUNT, CHANGE, CHANGE_PCT,
           CHANGE_NOTE, P_VALUE, IS_SIGNIFICANT, VERDICT, SMALL, NORMAL_LOW, NORMAL_HIGH,
           me.EXPECTED, me.EXPECTED_LOW, me.EXPECTED_HIGH, me.POSITION, me.EXPECTED_YEARS,
           md.PHI, md.PHI_DF, md.PRIOR_BASIS, SHARE]


def _aggregated(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Every source's series in periods of `kind`; a source that cannot give them is left out."""
    parts = []
    for _, rows in frame.groupby(SOURCE, sort=True):
        try:
            parts.append(aggregate(rows, kind))
        except GranularityError:
            continue  # this source reports in coarser periods than asked for
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def _tests(out: pd.DataFrame) -> pd.DataFrame:
    """p-values, verdicts and the range of changes normal variation gives, for rows with both counts."""
    both = (out[COUNT].notna() & out[PREVIOUS_COUNT].notna()).to_numpy()
    current = out[COUNT].to_numpy("float64", na_value=0.0)[both]
    previous = out[PREVIOUS_COUNT].to_numpy("float64", na_value=0.0)[both]
    share, phi, df = (out[c].to_numpy("float64")[both] for c in (SHARE, md.PHI, md.PHI_DF))
    p, low, high = (np.full(len(out), np.nan) for _ in range(3))
    if both.any():
        p[both], low[both], high[both] = judge(current, previous, share, phi, df, ALPHA)
    out[P_VALUE] = pd.array(np.where(both, p, None), dtype="Float64")
    out[IS_SIGNIFICANT] = pd.array(np.where(both, p < ALPHA, None), dtype="boolean")
    out[VERDICT] = pd.Series(np.where(both, np.where(p < ALPHA, SIGNIFICANT, CHANCE), None), index=out.index,
                             dtype="object")
    for column, values in ((NORMAL_LOW, low), (NORMAL_HIGH, high)):
        out[column] = pd.array(np.where(both, values, None), dtype="Int64")
    return out


def prepared(frame: pd.DataFrame, population: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Every series of the frame in periods of `kind`, with exposure: what `models` and `compare` work on."""
    agg = _aggregated(frame, kind)
    return add_exposure(agg, population) if not agg.empty else agg


@dataclass(frozen=True)
class Models:
    """What the pooled series teach about normal variation, for one comparison: year-on-year and forecast errors."""

    year_on_year: dict[md.GroupKey, md.Pooled]
    forecast: dict[pd.Timestamp, dict[md.GroupKey, md.Pooled]]


def models(pool: pd.DataFrame, current: Period, previous: Period, wanted=None) -> Models:
    """The pooled models for judging `current` against `previous`, from `pool` (`prepared`) before them.

    `wanted`: the (kind, source, category) groups to fit (all of the pool's when None). They depend
    only on the pool's figures before the later of the two periods and on its exposure.
    """
    wanted = md.groups(pool) if wanted is None else list(wanted)
    before = max(current.start, previous.start)
    return Models(md.pooled(md.pairs(pool, before), wanted),
                  me.forecast_models(pool, [current.start], wanted))


def standard(groups, current: Period) -> Models:
    """Models that learn nothing from other series: the curves measured on STRAF11 (`DEFAULT_CURVES`,
    `FORECAST_CURVES`), as where there is nothing to pool; each series' own history still counts."""
    groups = list(groups)
    return Models({g: md.Pooled(md.Curve(*md.DEFAULT_CURVES[g[0]]), md.DEFAULT_PRIOR_DF) for g in groups},
                  {pd.Timestamp(current.start): {g: md.Pooled(md.Curve(*me.FORECAST_CURVES[g[0]]), md.DEFAULT_PRIOR_DF)
                                                 for g in groups}})


def compare(
    frame: pd.DataFrame, population: pd.DataFrame, current: Period, previous: Period,
    areas: Iterable[str] | None = None, categories: Iterable[str] | None = None, fitted: Models | None = None,
) -> pd.DataFrame:
    """Every area × category × source in `current` against `previous`, with the verdicts (COLUMNS).

    `frame` holds the stored series of the areas to judge and of the areas whose history
    teaches what normal variation is (the same categories elsewhere), or only those to judge
    when `fitted` gives the pooled models (`models`). Only `areas` and `categories` (all when
    None) are returned.
    """
    if current.kind != previous.kind:
        raise ValueError("De to perioder skal være lige lange (to måneder, to kvartaler eller to år).")
    agg = prepared(frame, population, current.kind)
    if agg.empty:
        return pd.DataFrame(columns=COLUMNS)
    if fitted is None:
        fitted = models(agg, current, previous)
    if areas is not None:
        agg = agg[agg[AREA].isin(list(areas))]
    if categories is not None:
        agg = agg[agg[CATEGORY].isin(list(categories))]
    keys = list(SERIES_KEYS)
    now = at(agg, current.start)[[*keys, COUNT, EXPOSURE]]
    before = at(agg, previous.start)[[*keys, COUNT, EXPOSURE]].rename(
        columns={COUNT: PREVIOUS_COUNT, EXPOSURE: PREVIOUS_EXPOSURE})
    out = now.merge(before, on=keys, how="outer")
    out = out[out[COUNT].notna() | out[PREVIOUS_COUNT].notna()].reset_index(drop=True)
    if out.empty:
        return pd.DataFrame(columns=COLUMNS)
    agg = agg.merge(out[keys], on=keys)          # only the series judged
    out[KIND], out[START], out[PREVIOUS_START] = current.kind, pd.Timestamp(current.start), pd.Timestamp(previous.start)
    out = add_change(out)
    spread = md.year_on_year(agg, before=max(current.start, previous.start), models=fitted.year_on_year)
    out = out.merge(spread[[*keys, md.PHI, md.PHI_DF, md.PRIOR_BASIS]], on=keys, how="left")
    out[SHARE] = out[EXPOSURE] / (out[EXPOSURE] + out[PREVIOUS_EXPOSURE])
    out = _tests(out)
    out[SMALL] = pd.array((out[COUNT] < SMALL_COUNT).fillna(False) | (out[PREVIOUS_COUNT] < SMALL_COUNT).fillna(False),
                          dtype="boolean")
    ranges = me.add_expected(agg, starts=[current.start], models=fitted.forecast)
    ranges = at(ranges, current.start)[[*keys, me.EXPECTED, me.EXPECTED_LOW, me.EXPECTED_HIGH, me.POSITION,
                                        me.EXPECTED_YEARS]]
    out = out.merge(ranges, on=keys, how="left")
    return out[COLUMNS].sort_values([AREA, SOURCE, CATEGORY]).reset_index(drop=True)


@dataclass(frozen=True)
class Verdict:
    """One comparison's numbers and verdicts, read in Danish words."""

    count: int | None
    previous: int | None
    change: int | None
    change_pct: float | None
    p_value: float | None
    significant: bool | None
    small: bool
    expected_low: int | None
    expected_high: int | None
    position: str | None

    @classmethod
    def of(cls, row: pd.Series) -> Verdict:
        """The verdict of a row of `compare`."""
        def plain(v, kind=float):
            return None if v is None or pd.isna(v) else kind(v)
        return cls(plain(row[COUNT], int), plain(row[PREVIOUS_COUNT], int), plain(row[CHANGE], int),
                   plain(row[CHANGE_PCT]), plain(row[P_VALUE]), plain(row[IS_SIGNIFICANT], bool),
                   bool(row[SMALL]) if not pd.isna(row[SMALL]) else False,
                   plain(row[me.EXPECTED_LOW], int), plain(row[me.EXPECTED_HIGH], int), plain(row[me.POSITION], str))

    @property
    def tested(self) -> bool:
        """Whether both counts are there, so the change was tested."""
        return self.significant is not None

    @property
    def change_text(self) -> str:
        """'+159 (+66,5 %)', '+4' (no percent under 10 cases or on a base of 0), or '–'."""
        if self.change is None:
            return "–"
        pct = f" ({formatting.percent(self.change_pct / 100)})" if self.change_pct is not None else ""
        return formatting.signed(self.change) + pct

    @property
    def chance_words(self) -> str | None:
        """'Stigningen er større end tilfældig variation', 'Faldet kan skyldes …', 'Uændret'; None untested."""
        if not self.tested:
            return None
        if self.change == 0:
            return "Uændret"
        noun = "Stigningen" if self.change > 0 else "Faldet"
        return f"{noun} er {SIGNIFICANT}" if self.significant else f"{noun} {CHANCE}"

    @property
    def expected_words(self) -> str | None:
        """'Over det forventede (220–300)'; None without an expected range."""
        if self.position is None or self.expected_low is None:
            return None
        words = me.WORDS[self.position]
        return f"{words[0].upper()}{words[1:]} ({formatting.number(self.expected_low)}–" \
               f"{formatting.number(self.expected_high)})"

    def words(self, with_small: bool = True) -> list[str]:
        """The verdicts as short Danish sentences; small counts flagged unless `with_small` is False."""
        out = [w for w in (self.chance_words, self.expected_words) if w]
        if with_small and self.small and self.count is not None:
            out.append(SMALL_COUNT_NOTE[0].upper() + SMALL_COUNT_NOTE[1:])
        return [f"{w}." for w in out]


def false_alarms(verdicts: int, alpha: float = ALPHA) -> float:
    """How many of `verdicts` tests are expected to say "larger than chance" when nothing has changed."""
    return verdicts * alpha


def false_alarms_text(verdicts: int) -> str:
    """'Af de 8 vurderinger ventes 0,4 at vise en ændring større end tilfældig variation, også når intet har ændret sig.'"""
    expected = formatting.number(false_alarms(verdicts), 1)
    noun = "vurdering" if verdicts == 1 else "vurderinger"
    return (f"Af de {formatting.number(verdicts)} {noun} ventes {expected} at vise en ændring større end "
            "tilfældig variation, også når intet har ændret sig (5 % hver).")
