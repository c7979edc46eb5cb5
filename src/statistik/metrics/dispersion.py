"""Normal variation: how much more than Poisson a series varies from one year to the next.

Crime counts swing more from year to year than a Poisson model says. For each pair of a period
and the same period a year earlier, t and t − 12 months, the pair's Pearson statistic

    X = (y_t − n·s)² / (n·s·(1 − s)),   n = y_t + y_{t−12},   s = e_t / (e_t + e_{t−12})

(e = exposure, `metrics.exposure`) has mean φ, the series' extra-Poisson dispersion: 1 for Poisson
counts, about 2 for the small series of STRAF11 and 30 or more for the largest. It is the
statistic of a quasi-Poisson GLM of the two counts with one rate, and exactly the variation a
year-on-year comparison has to allow for (trends and slow swings included).

How φ is estimated for a series, from its history in the HISTORY_YEARS (5) years before the period
being judged (recent behaviour: a decade-long decline or a pandemic years ago is not today's
normal variation, and a verdict never changes when later figures arrive):

1. **Pooled prior** (borrowing strength from the same category in other areas): a Gamma GLM with
   log link of every pair's X on log(n/2), the classic model for a varying dispersion (McCullagh
   & Nelder §10.5; Smyth 1989), fitted with statsmodels across all series of the same category,
   source and period kind. With too few series it is fitted across the source's categories, and
   without those the curve measured on the shipped STRAF11 figures is used (`DEFAULT_CURVES`).
2. **Own estimate**: the mean of the series' own X, each capped at the 99,8 % point of a χ²₁ times
   the prior (one law change or police operation is a real change, not normal variation), divided
   by the cap's consistency factor.
3. **Shrinkage** (empirical Bayes): φ = (d₀·prior + d·own) / (d₀ + d), where d is the own
   estimate's degrees of freedom and d₀ the prior's, measured from how far the areas' own
   estimates scatter around the curve. The test uses d₀ + d degrees of freedom, so an uncertain φ
   widens the range of normal variation (as a t-test widens a z-test).

Degrees of freedom of the own estimate: overlapping pairs (y₂ − y₁, y₃ − y₂, …) carry about 0,7
of a degree of freedom each, and seasons of one year share part of the year's swing; the share
ω is measured from the products of the signed statistics of different seasons of the same year,
pooled over the series like the prior.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.stats import chi2

from statistik.metrics.frame import CATEGORY, COUNT, KIND, SERIES_KEYS, SOURCE, START, month_number
from statistik.metrics.exposure import EXPOSURE
from statistik.periods import MONTH, MONTHS_IN, QUARTER, YEAR

PHI = "phi"
PHI_DF = "phi_df"
PHI_OWN = "phi_own"
PHI_PRIOR = "phi_prior"
PAIRS = "pairs"
SIZE = "size"
PRIOR_BASIS = "prior_basis"

CAP = float(chi2.ppf(0.998, 1))                       # 9,55: a χ²₁ beyond this is not normal variation
_CONSISTENCY = float(chi2.cdf(CAP, 3) + CAP * chi2.sf(CAP, 1))   # E[min(χ²₁, CAP)]
HISTORY_YEARS = 5
PAIR_DF = 0.7              # degrees of freedom per overlapping year-on-year pair
MIN_SERIES = 8             # series with history needed to fit a curve of their own
MIN_PAIRS = 24             # pairs needed to fit it
DEFAULT_PRIOR_DF = 10.0
MAX_PRIOR_DF = 100.0

DEFAULT_SLOPE = 0.5
# log(φ − 1) = a + b · log(n/2), measured with `prior_curve` on the shipped STRAF11 figures 2016–2025
# (the 98 municipalities, 8 categories); `tests/test_metrics_dispersion.py` re-measures them.
# Monthly series use the quarterly curve: φ depends on the size of the counts compared.
DEFAULT_CURVES = {QUARTER: (-1.39, 0.63), YEAR: (-1.44, 0.62)}
DEFAULT_CURVES[MONTH] = DEFAULT_CURVES[QUARTER]


@dataclass(frozen=True)
class Curve:
    """The prior: φ as a function of the size of the counts (mean count per period), and its df."""

    intercept: float
    slope: float
    df: float = DEFAULT_PRIOR_DF
    shared: float = 0.0      # ω: the share of the extra variation that the seasons of a year have in common
    basis: str = "standard"  # 'kategori', 'kilde' or 'standard': where the curve was fitted

    def phi(self, size) -> np.ndarray:
        """The prior φ at these sizes: 1 + exp(a + b·log size), so never below Poisson's 1."""
        return _phi_at(size, self.intercept, self.slope)


class ExtraLink(sm.families.links.Link):
    """The link log(m − 1): the extra-Poisson part of the dispersion is log-linear in log size.

    With a gamma-mixed Poisson φ − 1 = σ²·μ grows in proportion to the size; STRAF11's curve
    grows more slowly. A log link on φ itself would bend that line at small sizes, where φ is
    close to 1, and misjudge the middle sizes; this link keeps φ − 1 log-linear all the way.
    """

    def __call__(self, p):
        return np.log(np.maximum(p - 1.0, 1e-12))

    def inverse(self, z):
        return 1.0 + np.exp(z)

    def deriv(self, p):
        return 1.0 / np.maximum(p - 1.0, 1e-12)

    def deriv2(self, p):
        return -1.0 / np.maximum(p - 1.0, 1e-12) ** 2

    def inverse_deriv(self, z):
        return np.exp(z)


GroupKey = tuple[str, str, str]     # (period kind, source, category)


def groups(frame: pd.DataFrame) -> list[GroupKey]:
    """The (kind, source, category) of every series in a frame."""
    return list(frame[[KIND, SOURCE, CATEGORY]].drop_duplicates().itertuples(index=False, name=None))


def recent(frame: pd.DataFrame, before) -> pd.DataFrame:
    """The rows in the HISTORY_YEARS years before `before` (all rows when `before` is None)."""
    if before is None:
        return frame
    before = pd.Timestamp(before)
    return frame[(frame[START] < before) & (frame[START] >= before - pd.DateOffset(years=HISTORY_YEARS))]


def pairs(frame: pd.DataFrame, before=None) -> pd.DataFrame:
    """Every period in the years before `before` with the same period a year earlier: n, share, X and signed u.

    `frame` holds plain periods of one kind with count and exposure. Pairs where a count is
    missing or both are 0 say nothing and are left out.
    """
    f = frame[frame[COUNT].notna()]
    if before is not None:
        f = f[(f[START] < pd.Timestamp(before))
              & (f[START] >= pd.Timestamp(before) - pd.DateOffset(years=HISTORY_YEARS + 1))]
    keys = [*SERIES_KEYS, KIND]
    f = f[[*keys, START, COUNT, EXPOSURE]].copy()
    f["_m"] = month_number(f[START])
    earlier = f[[*keys, "_m", COUNT, EXPOSURE]].rename(columns={COUNT: "_y0", EXPOSURE: "_e0"})
    earlier["_m"] += 12
    p = f.merge(earlier, on=[*keys, "_m"], how="inner")
    y1, y0 = p[COUNT].astype("float64"), p["_y0"].astype("float64")
    p["n"] = y1 + y0
    p = p[p["n"] > 0].copy()
    p["share"] = p[EXPOSURE] / (p[EXPOSURE] + p["_e0"])
    expected = p["n"] * p["share"]
    scale = np.sqrt(p["n"] * p["share"] * (1 - p["share"]))
    p["u"] = (p[COUNT].astype("float64") - expected) / scale
    p["x"] = p["u"] ** 2
    p["year"] = p[START].dt.year
    p[SIZE] = p["n"] / 2
    return recent(p[[*keys, START, "year", SIZE, "n", "share", "u", "x"]], before).reset_index(drop=True)


def _fit_curve(p: pd.DataFrame, slope: float | None, start: tuple[float, float] | None = None):
    """Gamma GLM of X on log size with the link log(φ − 1); with `slope` given, only the intercept is fitted.

    Gamma IRLS is not robust to the rare huge X of a real jump, so `robust_start` gives it a
    starting curve and the X are capped first.
    """
    y = np.maximum(p["x"].to_numpy("float64"), 1e-6)
    log_size = np.log(p[SIZE].to_numpy("float64"))
    family = sm.families.Gamma(ExtraLink(), check_link=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            if slope is None:
                fit = sm.GLM(y, sm.add_constant(log_size), family=family).fit(
                    start_params=start, tol=1e-4, tol_criterion="params")
                a, b = fit.params
            else:
                fit = sm.GLM(y, np.ones((len(y), 1)), offset=slope * log_size, family=family).fit(
                    start_params=None if start is None else start[:1], tol=1e-4, tol_criterion="params")
                (a,), b = fit.params, slope
        except (ValueError, np.linalg.LinAlgError):
            return None
    return (float(a), float(b)) if np.isfinite(a) and np.isfinite(b) else None


def robust_start(p: pd.DataFrame, slope: float | None) -> tuple[float, float]:
    """A first curve that one huge X cannot move: medians of X in ten size bins (a χ²₁'s median is 0,455·φ),
    and a line through log(φ − 1) of the bins."""
    bins = pd.qcut(p[SIZE].rank(method="first"), min(10, max(len(p) // 3, 1)), labels=False)
    groups = p.groupby(bins)
    phi = groups["x"].median() / 0.4549364231195724
    log_extra = np.log(np.maximum(phi - 1.0, 0.02)).to_numpy()
    log_size = np.log(groups[SIZE].median()).to_numpy()
    if slope is None and len(log_size) >= 3 and np.ptp(log_size) > 0:
        b, a = np.polyfit(log_size, log_extra, 1)
        return float(a), float(b)
    slope = DEFAULT_SLOPE if slope is None else slope
    return float(np.median(log_extra - slope * log_size)), slope


def _series_count(p: pd.DataFrame) -> int:
    return p.groupby(list(SERIES_KEYS)).ngroups if not p.empty else 0


def prior_curve(p: pd.DataFrame, default: Curve, basis: str) -> Curve:
    """The pooled curve from the pairs of many series, fitted twice (the second time with capped X).

    With fewer than MIN_SERIES series, or sizes too alike to show a slope, only the level is
    fitted and the slope is STRAF11's; with hardly any pairs the STRAF11 curve is used as it is.
    """
    if _series_count(p) < 2 or len(p) < 4:
        return Curve(default.intercept, default.slope, basis="standard")
    wide = _series_count(p) >= MIN_SERIES and len(p) >= MIN_PAIRS and np.ptp(np.log(p[SIZE])) >= 1.0
    slope = None if wide else default.slope
    start = robust_start(p, slope)
    capped = p.assign(x=np.minimum(p["x"], CAP * Curve(*start).phi(p[SIZE])) / _CONSISTENCY)
    fitted = _fit_curve(capped, slope, start)
    if fitted is None:
        return Curve(default.intercept, default.slope, basis="standard")
    capped = p.assign(x=np.minimum(p["x"], CAP * Curve(*fitted).phi(p[SIZE])) / _CONSISTENCY)
    return Curve(*(_fit_curve(capped, slope, fitted) or fitted), basis=basis)


def pools_alone(residuals: pd.DataFrame, group: GroupKey) -> bool:
    """Whether a category has series enough to be pooled on its own (else its source's categories are pooled)."""
    kind, source, category = group
    own = residuals[(residuals[KIND] == kind) & (residuals[SOURCE] == source) & (residuals[CATEGORY] == category)]
    return _series_count(own) >= MIN_SERIES


def _curve_for(category_pairs: pd.DataFrame, source_pairs: pd.DataFrame, default: Curve) -> Curve:
    """The same category in other areas when there are enough of them, else the source's other categories."""
    if _series_count(category_pairs) >= MIN_SERIES or _series_count(source_pairs) < MIN_SERIES:
        curve = prior_curve(category_pairs, default, "kategori")
        if curve.basis != "standard" or _series_count(source_pairs) < 2:
            return curve
    return prior_curve(source_pairs, default, "kilde")


def _shared(p: pd.DataFrame, curve: Curve) -> float:
    """ω from the products u_i·u_j of different seasons of the same series and year (0 for yearly series)."""
    keys = [*SERIES_KEYS, KIND, "year"]
    prior = curve.phi(p[SIZE])
    u = np.clip(p["u"], -np.sqrt(CAP * prior), np.sqrt(CAP * prior))
    g = pd.DataFrame({"u": u, "u2": u ** 2, "e": prior - 1.0, **{k: p[k] for k in keys}}).groupby(keys)
    total, squares, extra, m = g["u"].sum(), g["u2"].sum(), g["e"].sum(), g.size()
    cross = (total ** 2 - squares) / 2                      # Σ_{i<j} u_i u_j within a year
    expected = extra / m.clip(lower=1) * m * (m - 1) / 2    # Σ_{i<j} (φ − 1) at the prior
    if expected.sum() <= 1e-9:
        return 0.0
    return float(np.clip(cross.sum() / expected.sum(), 0.0, 1.0))


def _prior_df(own: np.ndarray, prior: np.ndarray, df: np.ndarray) -> float:
    """d₀ from the scatter of the own estimates around the curve, beyond what their own df explain."""
    ok = df >= 1
    if ok.sum() < 5:
        return DEFAULT_PRIOR_DF
    ratio = own[ok] / prior[ok]
    tau2 = np.mean(ratio ** 2 / (1 + 2 / df[ok])) / np.mean(ratio) ** 2 - 1
    return MAX_PRIOR_DF if tau2 <= 2 / MAX_PRIOR_DF else float(max(2.0, 2 / tau2))


def _phi_at(size, intercept, slope) -> np.ndarray:
    """1 + exp(a + b·log size) for sizes and (per row) curve parameters."""
    size = np.maximum(np.asarray(size, dtype="float64"), 0.5)
    return 1.0 + np.exp(np.asarray(intercept, dtype="float64") + np.asarray(slope, dtype="float64") * np.log(size))


_CURVE_COLUMNS = ["_a", "_b", "_w"]     # each residual's curve: intercept, slope, ω


def _own(p: pd.DataFrame, residual_df: float) -> pd.DataFrame:
    """Per series: residuals, size, the capped own estimate and its degrees of freedom.

    `p` are residuals that carry the curve to cap them with (_a, _b, _w), one per series.
    """
    keys = [*SERIES_KEYS, KIND]
    if p.empty:
        return pd.DataFrame(columns=[*keys, PAIRS, SIZE, PHI_OWN, "_df"])
    q = p.assign(x=np.minimum(p["x"], CAP * _phi_at(p[SIZE], p["_a"], p["_b"])))
    out = q.groupby(keys).agg(**{PAIRS: ("x", "size"), SIZE: (SIZE, "mean"), "_x": ("x", "mean"),
                                 **{c: (c, "first") for c in _CURVE_COLUMNS}}).reset_index()
    out[PHI_OWN] = out["_x"] / _CONSISTENCY
    prior = _phi_at(out[SIZE], out["_a"], out["_b"])
    r = out["_w"] * (prior - 1) / prior
    per_year = 12 // out[KIND].map(MONTHS_IN).astype("int64")
    seasons = per_year / (1 + (per_year - 1) * r ** 2)
    out["_df"] = residual_df * out[PAIRS] / per_year * seasons
    return out.drop(columns=["_x", *_CURVE_COLUMNS])


@dataclass(frozen=True)
class Pooled:
    """What the other series teach about one category's normal variation: the curve (with ω) and d₀."""

    curve: Curve
    prior_df: float


def pooled(residuals: pd.DataFrame, groups, curves: dict[str, tuple[float, float]] = DEFAULT_CURVES,
           residual_df: float = PAIR_DF) -> dict[GroupKey, Pooled]:
    """The pooled model of each (kind, source, category) in `groups`, from the residuals of every series.

    `residuals` are those of all series to pool from (see `dispersions`); the result depends on
    nothing else, so it can be kept as long as those residuals are the same.
    """
    out = {}
    for kind, source, category in groups:
        source_pairs = residuals[(residuals[KIND] == kind) & (residuals[SOURCE] == source)]
        category_pairs = source_pairs[source_pairs[CATEGORY] == category]
        curve = _curve_for(category_pairs, source_pairs, Curve(*curves[kind]))
        pool = category_pairs if curve.basis == "kategori" else source_pairs
        curve = Curve(curve.intercept, curve.slope, shared=_shared(pool, curve) if len(pool) else 0.0,
                      basis=curve.basis)
        own = _own(pool.assign(_a=curve.intercept, _b=curve.slope, _w=curve.shared), residual_df)
        out[(kind, source, category)] = Pooled(curve, _prior_df(own[PHI_OWN].to_numpy("float64"), curve.phi(own[SIZE]),
                                                                own["_df"].to_numpy("float64")))
    return out


def dispersions(frame: pd.DataFrame, residuals: pd.DataFrame, curves: dict[str, tuple[float, float]] = DEFAULT_CURVES,
                residual_df: float = PAIR_DF, models: dict[GroupKey, Pooled] | None = None) -> pd.DataFrame:
    """φ for every series of a frame of one period kind (count, exposure) from its residuals.

    `residuals` has one row per earlier observation of a series (`pairs`, or the forecast errors
    of `metrics.expected`): the series keys, period_kind, period_start, year, size, x (mean φ)
    and u (signed). `curves` are the defaults where nothing can be pooled, `residual_df` the
    degrees of freedom one residual carries. `models` are the pooled models (`pooled`) when they
    were fitted on the residuals of more series than these; without them, `residuals` is the pool.
    Columns: the series keys and period_kind, pairs (residuals used), size, phi_own (<NA> without
    history), phi_prior, phi, phi_df and prior_basis. A series without residuals gets the prior
    alone, at the size of its counts.
    """
    keys, group_keys = [*SERIES_KEYS, KIND], [KIND, SOURCE, CATEGORY]
    columns = [*keys, PAIRS, SIZE, PHI_OWN, PHI_PRIOR, PHI, PHI_DF, PRIOR_BASIS]
    series = frame[keys].drop_duplicates()
    if series.empty:
        return pd.DataFrame(columns=columns)
    wanted = groups(series)
    models = dict(models or {})
    models.update(pooled(residuals, [g for g in wanted if g not in models], curves, residual_df))
    params = pd.DataFrame([(*g, models[g].curve.intercept, models[g].curve.slope, models[g].curve.shared,
                            models[g].prior_df, models[g].curve.basis) for g in wanted],
                          columns=[*group_keys, *_CURVE_COLUMNS, "_d0", PRIOR_BASIS])
    mine = residuals.merge(series, on=keys).merge(params[[*group_keys, *_CURVE_COLUMNS]], on=group_keys)
    own = _own(mine, residual_df)
    known = frame[frame[COUNT].notna()]
    sizes = known.groupby(keys)[COUNT].mean().astype("float64").rename("_size_all").reset_index()
    rows = series.merge(params, on=group_keys).merge(own, on=keys, how="left").merge(sizes, on=keys, how="left")
    rows[PAIRS] = rows[PAIRS].fillna(0).astype("int64")
    rows[SIZE] = rows[SIZE].astype("float64").fillna(rows["_size_all"]).fillna(0.0)
    own_phi, d = rows[PHI_OWN].astype("float64"), rows["_df"].astype("float64").fillna(0.0)
    rows[PHI_PRIOR] = _phi_at(rows[SIZE], rows["_a"], rows["_b"])
    shrunk = (rows["_d0"] * rows[PHI_PRIOR] + d * own_phi.fillna(0.0)) / (rows["_d0"] + d)
    rows[PHI] = np.maximum(1.0, np.where(own_phi.notna(), shrunk, rows[PHI_PRIOR]))
    rows[PHI_DF] = rows["_d0"] + d
    return rows.sort_values(group_keys, kind="stable")[columns].reset_index(drop=True)


def year_on_year(frame: pd.DataFrame, before=None, models: dict[GroupKey, Pooled] | None = None) -> pd.DataFrame:
    """φ of the year-on-year changes of every series, from its pairs before `before` (see `dispersions`)."""
    return dispersions(frame, pairs(frame, before), models=models)
