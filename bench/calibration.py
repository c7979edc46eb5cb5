"""Calibration of the verdicts: false alarms when nothing changed, and power when something did.

    python bench/calibration.py [--runs 6] [--generators ar1,iid,walk,monthly] [--smoke]

Each run simulates a new set of series, imports them into a copy of the seeded store as the
source "Simulering" through the ordinary importer, and judges them with
`views.comparison.verdicts` — the function behind the Sammenlign page, the Oversigt cards, the
briefing and `statistik compare`. Nothing is patched.

The generator (one series per municipality × STRAF11 category: 98 × 8 = 784 per run):

* size: a yearly mean drawn log-uniformly from 5 to 50.000 cases, so every size band is covered;
* exposure: the municipality's real FOLK1A population; a series' rate is fixed per inhabitant,
  so counts grow with the population, and quarters differ in days;
* season: quarterly factors 1 + a·cos(2π(q − θ)/4), a uniform in 0–0,3, θ a random quarter;
* normal year-to-year variation, on the log rate, sized so that the year-on-year dispersion φ of
  the counts follows the curve measured on the shipped STRAF11 figures
  (`metrics.dispersion.DEFAULT_CURVES`: φ ≈ 1,8 / 3,5 / 9,7 / 34 by yearly size band), split
  half into a year-level component shared by the year's quarters and half into noise per quarter:
  - `ar1`: the year level an AR(1) with correlation 0,6, plus a trend of N(0, 3 %) a year;
  - `iid`: independent years, no trend (a negative-binomial-like series);
  - `walk`: the year level a random walk (no pull back to a mean: slow swings);
  - `monthly`: as `ar1` but police-like, in months for six years (2020–2025), seasons of a month;
* counts: Poisson given the rate; ten years of quarters, 2016–2025 (months for `monthly`).

Scenarios: nothing changes; or one category per municipality is multiplied by 1,25, 1,5 or 2 in
the period judged. Every unchanged series of every scenario counts for the false alarms. Judged
are the last quarter (4. kvt. 2025 against 4. kvt. 2024; the last month, dec. 2025 against
dec. 2024, for `monthly`) and the last year (2025 against 2024); the change scenarios multiply
the whole judged period.

Reported per yearly size band: the share of unchanged series called "større end tilfældig
variation" (aim ≤ 7 %, 5 % by design) and outside the expected range (5 % by design), and the
share of changed series called larger than chance (aim: ≥ 80 % for doublings of series of
100 cases a year or more). For the README's choice of multiple-testing rule the same power is
also given after Benjamini–Hochberg within each municipality's eight categories (statsmodels'
multipletests), which the dashboard does not use. For comparison, on the same series: the exact
Poisson test the dashboard used before (`metrics.significance` at φ = 1), whose power comes with
its false alarms; and the same test as the dashboard's with the generator's true φ of a single
period (quarter or month; not for years), i.e. with nothing to estimate: the power that no
test keeping its false alarms at 5 % can much exceed.

The Markdown table goes to stdout and bench/out/calibration.md.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from statistik import figures
from statistik.bootstrap import open_store
from statistik.ingest import import_file
from statistik.metrics import dispersion as md, verdicts as mv
from statistik.metrics.significance import p_values
from statistik.periods import Period
from statistik.views.comparison import verdicts

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402  (the benches' shared helpers, beside this file)

OUT = Path(__file__).resolve().parent / "out"
SOURCE = "Simulering"
YEARS = list(range(2016, 2026))
MONTHLY_YEARS = list(range(2020, 2026))
CATEGORIES = ["12", "1316", "1320", "1332", "1336", "3210", "3410", "TOT"]
BANDS = [(0, 50, "under 50"), (50, 100, "50–100"), (100, 500, "100–500"), (500, 5000, "500–5.000"),
         (5000, np.inf, "over 5.000")]
CHANGES = (1.25, 1.5, 2.0)
JUDGED = {"M": (Period("M", pd.Timestamp("2025-12-01").date()), Period("M", pd.Timestamp("2024-12-01").date())),
          "Q": (Period("Q", pd.Timestamp("2025-10-01").date()), Period("Q", pd.Timestamp("2024-10-01").date())),
          "Y": (Period("Y", pd.Timestamp("2025-01-01").date()), Period("Y", pd.Timestamp("2024-01-01").date()))}
RHO, SHARED, TREND_SD = 0.6, 0.5, 0.03


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def simulate(rng: np.random.Generator, areas: list[str], population: pd.DataFrame, generator: str,
             categories: list[str], change: float, kind: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Counts for every area × category (quarters, or months for `monthly`), and the truth (yearly size, changed)."""
    monthly = generator == "monthly"
    years, per_year = (MONTHLY_YEARS, 12) if monthly else (YEARS, 4)
    curve = md.Curve(*md.DEFAULT_CURVES["M" if monthly else "Q"])
    pop = population.set_index(["area_code", "year"])["population"]
    rows, truth = [], []
    for area in areas:
        changed = categories[rng.integers(len(categories))] if change != 1.0 else None
        inhabitants = np.array([float(pop[(area, y)]) for y in years])
        for category in categories:
            yearly = float(np.exp(rng.uniform(np.log(5), np.log(50_000))))
            per_period = yearly / per_year
            extra = (curve.phi(per_period) - 1) / per_period      # yoy variance of the log rate / 2
            year_var, period_var = SHARED * extra, (1 - SHARED) * extra
            n = len(years)
            if generator in ("ar1", "monthly"):
                level = np.zeros(n)
                stationary = year_var / (1 - RHO)
                level[0] = rng.normal(0, np.sqrt(stationary))
                for i in range(1, n):
                    level[i] = RHO * level[i - 1] + rng.normal(0, np.sqrt(stationary * (1 - RHO ** 2)))
                level += rng.normal(0, TREND_SD) * (np.arange(n) - n + 1)
            elif generator == "walk":
                level = np.cumsum(rng.normal(0, np.sqrt(year_var), n))
                level -= level[-2]
            else:
                level = rng.normal(0, np.sqrt(year_var), n)
            amplitude, phase = rng.uniform(0, 0.3), rng.integers(per_year)
            season = 1 + amplitude * np.cos(2 * np.pi * (np.arange(per_year) - phase) / per_year)
            season /= season.mean()
            rate = yearly / inhabitants[-1]
            for i, year in enumerate(years):
                for q in range(per_year):
                    noise = rng.normal(0, np.sqrt(period_var))
                    mean = rate * inhabitants[i] * season[q] / per_year * np.exp(level[i] + noise - (year_var + period_var) / 2)
                    judged = year == years[-1] and (kind == "Y" or q == per_year - 1)
                    if judged and category == changed:
                        mean *= change
                    period = f"{year}-{q + 1:02d}" if monthly else f"{year}K{q + 1}"
                    rows.append((period, area, category, int(rng.poisson(mean))))
            truth.append((area, category, yearly, category == changed, float(curve.phi(per_period))))
    counts = pd.DataFrame(rows, columns=["periode", "kommune", "kategori", "antal"])
    return counts, pd.DataFrame(truth, columns=["area_code", "category_code", "yearly", "changed", "true_phi"])


def band_of(yearly: pd.Series) -> pd.Series:
    labels = [label for _, _, label in BANDS]
    return pd.cut(yearly, [low for low, _, _ in BANDS] + [np.inf], labels=labels, right=False)


def judge(template: Path, work: Path, counts: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Import the simulated counts into a fresh copy of the store and judge them as the pages do."""
    store = work / "calibration.duckdb"
    shutil.copy(template, store)
    csv = work / "simulering.csv"
    counts.to_csv(csv, sep=";", index=False)
    con = open_store(store)
    try:
        import_file(con, csv, user="calibration", source=SOURCE, today=pd.Timestamp("2026-11-25").date())
        current, previous = JUDGED[kind]
        return verdicts(con, current, previous, sources=[SOURCE])
    finally:
        con.close()
        for path in work.glob("calibration.duckdb*"):
            path.unlink()


def run(args) -> pd.DataFrame:
    """Every generator × kind × scenario × run, one row per judged series."""
    rng = np.random.default_rng(args.seed)
    results = []
    with tempfile.TemporaryDirectory(prefix="calibration-") as tmp:
        work = Path(tmp)
        template = work / "template.duckdb"
        con = open_store(template)
        kinds = dict(con.execute("SELECT code, kind FROM area").fetchall())
        population = figures.population(con)
        con.close()
        areas = sorted(a for a, k in kinds.items() if k == "kommune")[: args.areas]
        categories = CATEGORIES[: args.categories]
        for generator in args.generators:
            for kind in ("M" if generator == "monthly" else "Q", "Y"):
                for change in (1.0, *CHANGES):
                    for number in range(args.runs):
                        counts, truth = simulate(rng, areas, population, generator, categories, change, kind)
                        out = judge(template, work, counts, kind).merge(truth, on=["area_code", "category_code"])
                        both = out[["count", "previous_count"]].notna().all(axis=1).to_numpy()
                        counts_ = [out[c].to_numpy("float64", na_value=0)[both] for c in ("count", "previous_count")]
                        share = out["exposure_share"].to_numpy("float64")[both]
                        poisson, oracle = np.zeros(len(out), dtype=bool), np.zeros(len(out), dtype=bool)
                        poisson[both] = p_values(*counts_, share=share) < mv.ALPHA
                        if kind != "Y":     # the generator's φ is that of single periods
                            oracle[both] = p_values(*counts_, share=share, phi=out["true_phi"].to_numpy()[both]) < mv.ALPHA
                        bh = np.zeros(len(out), dtype=bool)
                        for _, index in out.groupby("area_code").indices.items():
                            p = out["p_value"].iloc[index].astype("float64").to_numpy()
                            bh[index] = multipletests(p, alpha=mv.ALPHA, method="fdr_bh")[0]
                        results.append(out.assign(generator=generator, kind=kind, change=change, run=number,
                                                  bh=bh, poisson=poisson, oracle=oracle, band=band_of(out["yearly"])))
                    log(f"{generator} {kind} ×{change}: {args.runs} run(s)")
    return pd.concat(results, ignore_index=True)


def _pct(values: pd.Series) -> str:
    n = len(values)
    return "–" if n == 0 else f"{100 * values.mean():.1f} %"


def report(results: pd.DataFrame, args, load: float) -> str:
    lines = [f"# Calibration of the verdicts ({args.runs} run(s) of {args.areas} municipalities × "
             f"{args.categories} categories per generator and scenario, seed {args.seed})", "",
             harness.environment(load), ""]
    for generator in args.generators:
        for kind in ("M", "Q", "Y"):
            part = results[(results["generator"] == generator) & (results["kind"] == kind)]
            if part.empty:
                continue
            name = f"{JUDGED[kind][0].label} mod {JUDGED[kind][1].label}"
            lines += [f"## {generator}, {name}", "",
                      "| cases a year | unchanged series | false alarms | outside expected range | "
                      + " | ".join(f"found ×{c:g}" for c in CHANGES)
                      + " | found ×2 after BH | exact Poisson test: false alarms | found ×2 | true φ known: "
                        "false alarms | found ×2 |",
                      "|---|---:|---:|---:|" + "---:|" * len(CHANGES) + "---:|---:|---:|---:|---:|"]
            for _, _, band in BANDS:
                null = part[~part["changed"] & (part["band"] == band)]
                cells = [band, str(len(null)), _pct(null["significant"].astype(bool)),
                         _pct(null["expected_position"] != "inden for")]
                for c in CHANGES:
                    changed = part[(part["change"] == c) & part["changed"] & (part["band"] == band)]
                    cells.append(_pct(changed["significant"].astype(bool)))
                doubled = part[(part["change"] == 2.0) & part["changed"] & (part["band"] == band)]
                cells += [_pct(doubled["bh"]), _pct(null["poisson"]), _pct(doubled["poisson"])]
                cells += [_pct(null["oracle"]), _pct(doubled["oracle"])] if kind != "Y" else ["–", "–"]
                lines.append("| " + " | ".join(cells) + " |")
            big = part[(part["change"] == 2.0) & part["changed"] & (part["yearly"] >= 100)]
            lines += ["", f"Doublings of series with 100 or more cases a year found: {_pct(big['significant'].astype(bool))} "
                          f"(n = {len(big)}; after BH: {_pct(big['bh'])}; exact Poisson test: {_pct(big['poisson'])}"
                          + (f"; true φ known: {_pct(big['oracle'])}" if kind != "Y" else "")
                          + f"; above the expected range: {_pct(big['expected_position'] == 'over')}).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--generators", default="ar1,iid,walk,monthly")
    parser.add_argument("--areas", type=int, default=98, help="municipalities per run (at most 98)")
    parser.add_argument("--categories", type=int, default=8, help="categories per municipality (at most 8)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--smoke", action="store_true", help="one tiny run: 12 municipalities, 3 categories")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.areas, args.categories, args.generators = 1, 12, 3, "ar1"
    args.generators = args.generators.split(",")
    load = harness.busy_cores()
    text = report(run(args), args, load)
    print(text)
    if not args.smoke:
        OUT.mkdir(exist_ok=True)
        (OUT / "calibration.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
