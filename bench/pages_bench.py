"""Page benchmark: every dashboard page under AppTest on a national-scale store.

    python bench/pages_bench.py [--months M] [--categories C] [--rounds R] [--cold-repeat N]

The store is built with the project's own code: a fresh store (seeded with the shipped DST
figures by `open_store`), C police categories registered (the three real focus categories
'Kontaktbedrageri', 'Opioider', 'Lomme- og tricktyveri', which the seeded store already has,
plus 'Kategori 04' ..), then one long file `periode;kommune;kategori;antal` imported with
`statistik.ingest.import_file`: all 98 municipalities x C categories x M months ending 2025-12
(default 90 x 228 = 2007-01 .. 2025-12: 2,010,960 rows). The file is written with DuckDB COPY
(deterministic counts, as bench/import_bench.py does); an existing file of the same shape and
categories in the work directory is reused.

Every measurement runs in its own child process on a fresh copy of that store (STATISTIK_DB);
a tiny launcher reads the child's own peak RSS with os.wait4() (see import_bench.LAUNCHER):

* cold, per page, --cold-repeat times: a new Python process imports AppTest, opens the page
  (the default page Oversigt, or another page as if opened from a link) and runs it once:
  the first load, including importing the dashboard's modules and opening the store. The same
  process then reruns the page --rounds times (warm: Streamlit's caches are filled);
* tour: one process opens Oversigt, then visits every page once (first visit: store open,
  the page's own views not yet cached), then --rounds rounds over all pages with switch_page
  (warm median), then --uncached-rounds rounds in which st.cache_data is cleared before each
  page: what the first view after a store change (upload, undo, annotation) costs;
* the same tour on a store with only the shipped figures, for comparison, and one first load
  on a store that does not exist yet (the dashboard seeds it).

Inside the children, `statistik.ui.store.load`, the view functions it calls, every SQL
statement on the store's cursors, the chart builders and the Streamlit elements the pages
draw with are wrapped in timers (nothing under src/ is edited), so each run is split into
views (compute, SQL), charts and tables. Every run must end without an exception or st.error,
and show real numbers (e.g. the Oversigt metrics, police cards included).

Pages that miss the aims (warm under 300 ms, first load under 3 s) are profiled with cProfile
in the script thread; the report lists where the time goes.

The Markdown report goes to stdout and to bench/out/pages_results.md (bench/out is ignored).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PROCESS_T0 = time.perf_counter()  # as early as this script can take it (children: process start)
BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DASHBOARD = PROJECT / "dashboard.py"
sys.path.insert(0, str(BENCH_DIR))

# Borrowed from the import benchmark: municipality names, the wait4 launcher, the idle wait.
from import_bench import (  # noqa: E402
    LAUNCHER, _busy_seconds, _sql_list, clean, git_state, log, municipality_names, wait_for_quiet,
)

PAGES = ["oversigt", "udvikling", "kommuner", "sammenligning", "datastatus", "om_data"]
TITLES = {
    "oversigt": "Lokal kriminalitetsstatistik", "udvikling": "Udvikling over tid",
    "kommuner": "Kommunerne side om side", "sammenligning": "Sammenlign to perioder",
    "datastatus": "Datastatus", "om_data": "Om data",
}
FOCUS_NAMES = ["Kontaktbedrageri", "Opioider", "Lomme- og tricktyveri"]
LAST_MONTH = dt.date(2025, 12, 1)
AIM_WARM_MS = 300
AIM_FIRST_S = 3.0


def category_names(n: int) -> list[str]:
    """The three real focus categories, then 'Kategori 04' .. 'Kategori NN'."""
    if n < len(FOCUS_NAMES):
        raise SystemExit(f"--categories must be at least {len(FOCUS_NAMES)}")
    return FOCUS_NAMES + [f"Kategori {i:02d}" for i in range(len(FOCUS_NAMES) + 1, n + 1)]


def first_month(months: int) -> dt.date:
    m = LAST_MONTH.year * 12 + LAST_MONTH.month - 1 - (months - 1)
    return dt.date(m // 12, m % 12 + 1, 1)


# --------------------------------------------------------------------------- data and store


@dataclass
class LongFile:
    path: Path
    rows: int
    total: int
    categories: list[str]


def _describe_csv(path: Path) -> dict:
    import duckdb

    con = duckdb.connect()
    row = con.execute(
        f"""SELECT count(*), count(DISTINCT periode), min(periode), max(periode),
                   count(DISTINCT kommune), list(DISTINCT kategori), sum(antal)
            FROM read_csv('{path}', delim = ';', header = true,
                          columns = {{'periode': 'VARCHAR', 'kommune': 'VARCHAR',
                                      'kategori': 'VARCHAR', 'antal': 'BIGINT'}})"""
    ).fetchone()
    con.close()
    keys = ("rows", "months", "first", "last", "municipalities", "categories", "total")
    return dict(zip(keys, row))


def long_file(workdir: Path, months: int, n_categories: int) -> LongFile:
    """The long file: reuse a matching one in workdir (ours or import_bench's), else write it."""
    import duckdb

    workdir.mkdir(parents=True, exist_ok=True)
    kategorier = category_names(n_categories)
    kommuner = municipality_names()
    assert len(kommuner) == 98, len(kommuner)
    start = first_month(months)
    want = {"rows": 98 * n_categories * months, "months": months, "first": start.strftime("%Y-%m"),
            "last": LAST_MONTH.strftime("%Y-%m"), "municipalities": 98}
    ours = workdir / f"sider_lang_{months}x{n_categories}.csv"
    for candidate in (ours, workdir / f"lang_{months}.csv"):
        if not candidate.exists():
            continue
        meta = candidate.with_suffix(".pages.json")
        if meta.exists() and meta.stat().st_mtime >= candidate.stat().st_mtime:
            info = json.loads(meta.read_text())
        else:
            info = _describe_csv(candidate)
            meta.write_text(json.dumps(info))
        if all(info[k] == v for k, v in want.items()) and sorted(info["categories"]) == sorted(kategorier):
            log(f"reusing {candidate}")
            return LongFile(candidate, info["rows"], int(info["total"]), kategorier)
        log(f"not reusing {candidate.name}: shape or categories differ from what this benchmark needs")
    t = time.perf_counter()
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET VARIABLE kommuner = {_sql_list(kommuner)}")
    con.execute(f"SET VARIABLE kategorier = {_sql_list(kategorier)}")
    gen = f"""SELECT m, k, c, CAST(hash(m, k, c) % 40 AS INTEGER) AS antal
              FROM range({months}) a(m), range(1, 99) b(k), range(1, {n_categories + 1}) d(c)"""
    con.execute(
        f"""COPY (SELECT strftime(DATE '{start}' + to_months(m), '%Y-%m') AS periode,
                         getvariable('kommuner')[k] AS kommune,
                         getvariable('kategorier')[c] AS kategori, antal
                  FROM ({gen}) ORDER BY m, k, c) TO '{ours}' (HEADER, DELIMITER ';')"""
    )
    con.close()
    info = _describe_csv(ours)
    ours.with_suffix(".pages.json").write_text(json.dumps(info))
    log(f"wrote {ours} ({info['rows']:,} rows) in {time.perf_counter() - t:.1f} s")
    return LongFile(ours, info["rows"], int(info["total"]), kategorier)


def build_child(db: str, csv: str | None, categories: list[str]) -> None:
    """Seed a store, register the categories, import the file; JSON with what was stored."""
    t0 = time.perf_counter()
    from statistik.bootstrap import open_store
    from statistik.ingest import import_file
    from statistik.reference import add_category, category_names as names

    out: dict = {}
    t = time.perf_counter()
    con = open_store(Path(db))
    out["open_and_seed_s"] = time.perf_counter() - t
    if csv:
        have = {n.casefold() for n in names(con).values()}
        added = [add_category(con, n) for n in categories if n.casefold() not in have]
        out["categories_added"] = len(added)
        t = time.perf_counter()
        today = max(dt.date.today(), dt.date(2026, 1, 1))
        plan, upload_id = import_file(con, Path(csv), user="bench", today=today)
        out["import_s"] = time.perf_counter() - t
        out["upload_id"] = upload_id
        out["plan_new"] = plan.new
        n, total = con.execute("SELECT count(*), coalesce(sum(count), 0) FROM figure WHERE upload_id = ?",
                               [upload_id]).fetchone()
        out["stored_cells"], out["stored_total"] = n, int(total)
    out["figures"] = con.execute("SELECT count(*) FROM figure").fetchone()[0]
    out["by_source"] = con.execute(
        "SELECT source, period_kind, count(*) FROM figure GROUP BY ALL ORDER BY ALL").fetchall()
    con.execute("CHECKPOINT")
    con.close()
    out["total_s"] = time.perf_counter() - t0
    print(json.dumps(out))


# --------------------------------------------------------------------------- running children


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    data: dict | None
    stderr: str
    others: float = 0.0


def measure(args: list[str], env: dict[str, str], logdir: Path) -> Run:
    """Run this script with `args` in a child via the launcher: wall time, own peak RSS, JSON out."""
    logdir.mkdir(parents=True, exist_ok=True)
    out_path, err_path, res_path = logdir / "stdout.txt", logdir / "stderr.txt", logdir / "run.json"
    res_path.unlink(missing_ok=True)
    wait_for_quiet(ARGS.quiet_wait)
    busy = _busy_seconds()
    subprocess.run([sys.executable, "-S", "-c", LAUNCHER, str(out_path), str(err_path), str(res_path),
                    sys.executable, str(Path(__file__).resolve()), *args], env=env, cwd=PROJECT, check=True)
    busy = _busy_seconds() - busy
    res = json.loads(res_path.read_text())
    others = max(0.0, busy - res["cpu_s"]) / (res["seconds"] * (os.cpu_count() or 1))
    stdout = out_path.read_text(errors="replace").strip().splitlines()
    data = None
    if res["exit"] == 0 and stdout:
        try:
            data = json.loads(stdout[-1])
        except json.JSONDecodeError:
            data = None
    return Run(res["seconds"], res["maxrss_kb"] / 1024, res["exit"], data,
               err_path.read_text(errors="replace"), 100 * others)


def fresh_copy(template: Path, db: Path) -> Path:
    clean(db)
    shutil.copy(template, db)
    return db


def child_env(db: Path) -> dict[str, str]:
    env = {**os.environ, "STATISTIK_DB": str(db), "PYTHONUNBUFFERED": "1"}
    # No login: the reader's pages. A local accounts file that does not exist keeps it so.
    env.setdefault("STATISTIK_USERS", str(db.parent / "no-users.toml"))
    return env


# --------------------------------------------------------------------------- instrumentation (children)


class Timers:
    """Nested timers per thread; records (run, path of kinds, name, seconds)."""

    def __init__(self) -> None:
        self.local = threading.local()
        self.records: list[tuple[int, tuple[str, ...], str, float]] = []
        self.run = 0

    def stack(self) -> list[str]:
        if not hasattr(self.local, "stack"):
            self.local.stack = []
        return self.local.stack

    def wrap(self, fn, kind: str, name: str | None = None):
        import functools

        label = name or getattr(fn, "__qualname__", str(fn))

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            st = self.stack()
            path = tuple(st)
            st.append(kind)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.records.append((self.run, path, f"{kind}:{label}", time.perf_counter() - start))
                st.pop()
        return wrapper

    def add(self, kind: str, name: str, seconds: float) -> None:
        self.records.append((self.run, tuple(self.stack()), f"{kind}:{name}", seconds))

    def of_run(self, run: int) -> list[tuple[tuple[str, ...], str, float]]:
        return [(p, n, s) for r, p, n, s in self.records if r == run]


def _sql_label(sql: str) -> str:
    s = " ".join(sql.split())
    return s[:90] + ("…" if len(s) > 90 else "")


class TimedResult:
    """What TimedCon.execute returns: the real connection, with the fetches timed as SQL."""

    def __init__(self, real, timers: Timers, label: str):
        self._real, self._timers, self._label = real, timers, label

    def __getattr__(self, name):
        attr = getattr(self._real, name)
        if name in ("df", "fetchdf", "fetchall", "fetchone", "fetchnumpy", "arrow", "pl", "fetchmany"):
            def fetch(*a, **k):
                start = time.perf_counter()
                try:
                    return attr(*a, **k)
                finally:
                    self._timers.add("sql", "fetch: " + self._label, time.perf_counter() - start)
            return fetch
        return attr


class TimedCon:
    """A store cursor whose execute() (and the fetch after it) counts as SQL time."""

    def __init__(self, real, timers: Timers):
        self._real, self._timers = real, timers

    def cursor(self):
        return TimedCon(self._real.cursor(), self._timers)

    def execute(self, sql, *params):
        label = _sql_label(sql)
        start = time.perf_counter()
        try:
            result = self._real.execute(sql, *params)
        finally:
            self._timers.add("sql", label, time.perf_counter() - start)
        return TimedResult(result, self._timers, label)

    def __getattr__(self, name):
        return getattr(self._real, name)


class Instrumented:
    """AppTest on the dashboard with timers around the project's views, charts and tables."""

    def __init__(self) -> None:
        t0 = time.perf_counter()
        from streamlit.testing.v1 import AppTest

        self.import_s = time.perf_counter() - t0
        self.AppTest = AppTest
        self.timers = Timers()
        self.profiler = None          # a cProfile.Profile to enable in the script thread
        self.script_s: dict[int, float] = {}
        self.load_calls: list[tuple[int, str, str]] = []
        self.at = None

    def install(self) -> None:
        """Wrap, without editing src/: pages look these up as module attributes on every run."""
        import streamlit as st
        from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

        import statistik.charts.comparison
        import statistik.charts.municipalities
        import statistik.charts.trend
        import statistik.ui.components as components
        import statistik.ui.store as ui_store
        import statistik.views.trends

        T = self.timers
        bench = self
        original_run_script = ScriptRunner._run_script

        def run_script(runner, rerun_data):
            prof = bench.profiler
            start = time.perf_counter()
            if prof is not None:
                prof.enable()
            try:
                return original_run_script(runner, rerun_data)
            finally:
                if prof is not None:
                    prof.disable()
                bench.script_s[T.run] = bench.script_s.get(T.run, 0.0) + time.perf_counter() - start

        ScriptRunner._run_script = run_script

        original_load, original_cursor = ui_store.load, ui_store.cursor

        def load(function, *args, **kwargs):
            name = f"{function.__module__.removeprefix('statistik.views.')}.{function.__qualname__}"
            bench.load_calls.append((T.run, name, repr((args, kwargs))[:200]))
            compute = T.wrap(function, "compute", name)
            return T.wrap(original_load, "load", name)(compute, *args, **kwargs)

        ui_store.load = load
        ui_store.cursor = lambda: TimedCon(original_cursor(), T)
        ui_store.version = T.wrap(ui_store.version, "version", "store.version")
        for module, attr in ((statistik.charts.trend, "trend_figure"),
                             (statistik.charts.municipalities, "funnel_figure"),
                             (statistik.charts.comparison, "change_figure"),
                             (components, "sparkline_figure")):
            setattr(module, attr, T.wrap(getattr(module, attr), "build", attr))
        for attr in ("chart", "table", "downloads", "trend_card", "target_card"):
            kind = "card" if attr.endswith("card") else attr
            setattr(components, attr, T.wrap(getattr(components, attr), kind, f"components.{attr}"))
        statistik.views.trends.table = T.wrap(statistik.views.trends.table, "trends.table", "trends.table")
        st.plotly_chart = T.wrap(st.plotly_chart, "plotly_chart", "st.plotly_chart")
        st.dataframe = T.wrap(st.dataframe, "dataframe", "st.dataframe")

    def new_app(self):
        self.at = self.AppTest.from_file(str(DASHBOARD), default_timeout=600)
        return self.at

    def run(self, page: str | None, switch: bool = True) -> dict:
        """Run (switching to `page` first); timings and problems of this run."""
        at = self.at
        self.timers.run += 1
        if page is not None and switch:
            at.switch_page(f"app_pages/{page}.py")
        start = time.perf_counter()
        at.run()
        wall = time.perf_counter() - start
        return {"page": page, "wall": wall, "script": self.script_s.get(self.timers.run, float("nan")),
                "parts": breakdown(self.timers.of_run(self.timers.run)), "problems": check_page(at, page),
                "views": views_of(self.timers.of_run(self.timers.run))}


def breakdown(records: list[tuple[tuple[str, ...], str, float]]) -> dict[str, float]:
    """Seconds per kind: top level (not inside another timer) and some nested ones."""
    out: dict[str, float] = {}
    for path, name, secs in records:
        kind = name.split(":", 1)[0]
        if not path:
            out[f"top:{kind}"] = out.get(f"top:{kind}", 0.0) + secs
        if kind in ("compute", "sql", "version", "plotly_chart", "dataframe", "build"):
            out[kind] = out.get(kind, 0.0) + secs
        if kind == "sql" and "compute" not in path:
            out["sql_outside_views"] = out.get("sql_outside_views", 0.0) + secs
    out["loads"] = float(sum(1 for p, n, _ in records if n.startswith("load:")))
    return out


def views_of(records: list[tuple[tuple[str, ...], str, float]]) -> dict[str, list[float]]:
    """Per view: [load seconds, compute seconds (0 on a cache hit), calls]."""
    out: dict[str, list[float]] = {}
    for path, name, secs in records:
        kind, label = name.split(":", 1)
        if kind in ("load", "compute"):
            v = out.setdefault(label, [0.0, 0.0, 0])
            v[0 if kind == "load" else 1] += secs
            if kind == "load":
                v[2] += 1
    return out


def _texts(at) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "warning", "success", "title", "subheader")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def check_page(at, page: str | None) -> list[str]:
    """What is wrong with the page as shown: exceptions, errors, empty numbers."""
    page = page or "oversigt"
    problems = [f"exception: {str(e.value)[:300]}" for e in at.exception]
    problems += [f"st.error: {str(e.value)[:200]}" for e in at.error]
    titles = [t.value for t in at.title]
    if TITLES[page] not in titles:
        problems.append(f"title {titles}, expected {TITLES[page]!r}")
    if problems:
        return problems
    frames = [d.value for d in at.dataframe]
    charts = at.get("plotly_chart")
    text = _texts(at)
    national = NATIONAL
    if page == "oversigt":
        values = [m.value for m in at.metric]
        want = 6 if national else 3  # 5 focus cards (police ones only with police figures) + the target
        if len(values) < want or any(not str(v).strip() for v in values):
            problems.append(f"metrics {values}: expected at least {want}, all with a number")
        if national and "Ingen tal endnu." in text:
            problems.append("a focus card says 'Ingen tal endnu.' although police figures were imported")
    elif page == "udvikling":
        if not charts or not frames or frames[0].empty:
            problems.append("no chart or no table")
    elif page == "kommuner":
        if not charts or not frames or len(frames[0]) < 7 or frames[0]["Antal"].isna().all():
            problems.append(f"no chart or table too short ({[len(f) for f in frames]} rows)")
    elif page == "sammenligning":
        if not frames or frames[0].empty:
            problems.append("no table")
        elif national and len(frames) < 2:
            problems.append(f"{len(frames)} table(s); expected one per source (DST and police)")
    elif page == "datastatus":
        if len(frames) < 2 or frames[0].empty:
            problems.append("sources or imports table missing")
        elif national and len(frames[0]) < 2:
            problems.append("the police source is missing from the sources table")
    elif page == "om_data":
        if not frames or frames[0].empty:
            problems.append("annotation table missing")
    return problems


NATIONAL = True


# --------------------------------------------------------------------------- child modes


def _hwm_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cold_child(page: str, rounds: int) -> None:
    """A fresh process: open `page` first (as from a link), then rerun it `rounds` times."""
    bench = Instrumented()
    bench.install()
    bench.new_app()
    first = bench.run(page, switch=page != "oversigt")
    since_start = time.perf_counter() - PROCESS_T0
    hwm_first = _hwm_mb()
    warm = [bench.run(page, switch=False) for _ in range(rounds)]
    print(json.dumps({"import_s": bench.import_s, "first": first, "warm": warm, "hwm_first_mb": hwm_first,
                      "since_start_s": since_start,
                      "hwm_mb": _hwm_mb()}))


def tour_child(rounds: int, uncached_rounds: int) -> None:
    """Oversigt, then every page once, then warm rounds, then rounds after clearing st.cache_data."""
    import streamlit as st

    bench = Instrumented()
    bench.install()
    bench.new_app()
    first = bench.run("oversigt", switch=False)
    visits = [bench.run(p) for p in PAGES[1:]]
    hwm_visits = _hwm_mb()
    warm = [bench.run(p) for _ in range(rounds) for p in PAGES]
    hwm_warm = _hwm_mb()
    uncached = []
    for _ in range(uncached_rounds):
        for p in PAGES:
            st.cache_data.clear()
            uncached.append(bench.run(p))
    print(json.dumps({"import_s": bench.import_s, "first": first, "visits": visits, "warm": warm,
                      "uncached": uncached, "hwm_visits_mb": hwm_visits, "hwm_warm_mb": hwm_warm,
                      "hwm_mb": _hwm_mb(), "load_calls": sorted({(n, a) for _, n, a in bench.load_calls})}))


def profile_child(page: str, mode: str, rounds: int) -> None:
    """cProfile of the script thread: `first` load of `page`, `warm` reruns or `uncached` runs."""
    import cProfile
    import pstats

    import streamlit as st

    bench = Instrumented()
    bench.install()
    bench.new_app()
    prof = cProfile.Profile()
    runs = []
    if mode == "first":
        bench.profiler = prof
        runs.append(bench.run(page, switch=page != "oversigt"))
    else:
        bench.run(page, switch=page != "oversigt")
        bench.run(page, switch=False)
        bench.profiler = prof
        for _ in range(rounds):
            if mode == "uncached":
                st.cache_data.clear()
            runs.append(bench.run(page, switch=False))
    bench.profiler = None
    profiled = {bench.timers.run - i for i in range(len(runs))}
    sql: dict[tuple[str, str], list] = {}
    for run, path, name, secs in bench.timers.records:
        if run in profiled and name.startswith("sql:"):
            where = "store.version()" if "version" in path else ("a view" if "compute" in path else "page")
            label = name[4:]
            entry = sql.setdefault((where, label.removeprefix("fetch: ")), [0.0, 0])
            entry[0] += secs
            entry[1] += not label.startswith("fetch: ")
    stats = pstats.Stats(prof)
    n = len(runs)
    entries = []
    for (filename, line, func), (cc, nc, tt, ct, callers) in stats.stats.items():
        entries.append({"where": _short(filename, line, func), "calls": nc / n, "tottime": tt / n,
                        "cumtime": ct / n, "project": _is_project(filename)})
    print(json.dumps({"runs": n, "wall": [r["wall"] for r in runs], "script": [r["script"] for r in runs],
                      "problems": [p for r in runs for p in r["problems"]], "entries": entries,
                      "sql": [[w, label, secs / n, calls / n] for (w, label), (secs, calls) in
                              sorted(sql.items(), key=lambda kv: -kv[1][0])[:12]]}))


def _is_project(filename: str) -> bool:
    return "/src/statistik/" in filename or "/app_pages/" in filename or filename.endswith("dashboard.py")


def _short(filename: str, line: int, func: str) -> str:
    if filename.endswith("pages_bench.py") and func in ("execute", "fetch"):
        return f"DuckDB {'execute' if func == 'execute' else 'fetch/.df()'} (SQL on the store; bench timer)"
    if filename == "~":
        return func
    for marker in ("/src/", "/site-packages/", "/lib/python3.11/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    else:
        filename = filename.replace(str(PROJECT) + "/", "")
    return f"{filename}:{line} {func}"


# --------------------------------------------------------------------------- orchestration


@dataclass
class PageResult:
    page: str
    first: list[float] = field(default_factory=list)         # cold first run, fresh process (s)
    first_script: list[float] = field(default_factory=list)
    first_parts: list[dict] = field(default_factory=list)
    process_first: list[float] = field(default_factory=list)  # import AppTest + first run (s)
    peak_mb: list[float] = field(default_factory=list)
    rerun: list[float] = field(default_factory=list)         # same page rerun, warm (s)
    visit: float = float("nan")                              # first visit after Oversigt (s)
    warm: list[float] = field(default_factory=list)          # switch_page + run, warm (s)
    warm_script: list[float] = field(default_factory=list)
    warm_parts: list[dict] = field(default_factory=list)
    uncached: list[float] = field(default_factory=list)
    uncached_script: list[float] = field(default_factory=list)
    uncached_parts: list[dict] = field(default_factory=list)
    uncached_views: list[dict] = field(default_factory=list)
    others: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    profiles: dict[str, dict] = field(default_factory=dict)


def run_cold(pages: dict[str, PageResult], template: Path, workdir: Path) -> None:
    for i in range(1, ARGS.cold_repeat + 1):
        for page, res in pages.items():
            db = fresh_copy(template, workdir / "run.duckdb")
            run = measure(["--_child", "cold", page, str(ARGS.rounds)], child_env(db),
                          workdir / "logs" / f"cold-{page}-{i}")
            clean(db)
            if run.data is None:
                res.problems.append(f"cold #{i}: exit {run.returncode}: {run.stderr.strip()[-1500:]}")
                log(f"cold {page} #{i} FAILED: {run.stderr.strip()[-500:]}")
                continue
            d = run.data
            res.first.append(d["first"]["wall"])
            res.first_script.append(d["first"]["script"])
            res.first_parts.append(d["first"]["parts"])
            res.process_first.append(d["since_start_s"])
            res.rerun += [w["wall"] for w in d["warm"]]
            res.peak_mb.append(run.peak_mb)
            res.others.append(run.others)
            for r in [d["first"], *d["warm"]]:
                res.problems += [f"cold #{i}: {p}" for p in r["problems"]]
            log(f"cold {page} #{i}: first {d['first']['wall']:.2f} s, rerun median "
                f"{1000 * statistics.median([w['wall'] for w in d['warm']]):.0f} ms, peak {run.peak_mb:,.0f} MB"
                + (f", other processes {run.others:.0f}%" if run.others >= 5 else ""))


def run_tour(pages: dict[str, PageResult], template: Path, workdir: Path, label: str) -> tuple[Run, dict]:
    db = fresh_copy(template, workdir / "run.duckdb")
    run = measure(["--_child", "tour", str(ARGS.rounds), str(ARGS.uncached_rounds)], child_env(db),
                  workdir / "logs" / f"tour-{label}")
    clean(db)
    if run.data is None:
        raise RuntimeError(f"tour on {label} failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
    d = run.data
    pages["oversigt"].visit = d["first"]["wall"]
    for v in d["visits"]:
        pages[v["page"]].visit = v["wall"]
    for r in d["warm"]:
        p = pages[r["page"]]
        p.warm.append(r["wall"])
        p.warm_script.append(r["script"])
        p.warm_parts.append(r["parts"])
    for r in d["uncached"]:
        p = pages[r["page"]]
        p.uncached.append(r["wall"])
        p.uncached_script.append(r["script"])
        p.uncached_parts.append(r["parts"])
        p.uncached_views.append(r["views"])
    for r in [d["first"], *d["visits"], *d["warm"], *d["uncached"]]:
        pages[r["page"] or "oversigt"].problems += [f"tour ({label}): {p}" for p in r["problems"]]
    for r in pages.values():
        r.others.append(run.others)
    log(f"tour {label}: peak {run.peak_mb:,.0f} MB, other processes {run.others:.0f}%, "
        + ", ".join(f"{p} {1000 * med(r.warm):.0f} ms" for p, r in pages.items()))
    return run, d


def run_profile(page: str, mode: str, template: Path, workdir: Path) -> dict:
    db = fresh_copy(template, workdir / "run.duckdb")
    rounds = 1 if mode == "first" else ARGS.profile_rounds
    run = measure(["--_child", "profile", page, mode, str(rounds)], child_env(db),
                  workdir / "logs" / f"profile-{page}-{mode}")
    clean(db)
    if run.data is None:
        raise RuntimeError(f"profile {page} {mode} failed:\n{run.stderr[-3000:]}")
    return run.data


def build_store(db: Path, f: LongFile | None, workdir: Path, label: str) -> tuple[Run, dict]:
    clean(db)
    args = ["--_child", "build", str(db), str(f.path) if f else "", *(f.categories if f else [])]
    run = measure(args, {**os.environ, "STATISTIK_DB": str(db)}, workdir / "logs" / f"build-{label}")
    if run.data is None:
        raise RuntimeError(f"building the {label} store failed:\n{run.stderr[-3000:]}")
    d = run.data
    if f is not None:
        if d["stored_cells"] != f.rows or d["stored_total"] != f.total or d["plan_new"] != f.rows:
            raise RuntimeError(f"the import stored {d['stored_cells']} cells summing to {d['stored_total']} "
                               f"(plan: {d['plan_new']} new), expected {f.rows} summing to {f.total}")
    log(f"{label} store: {d['figures']:,} figures, {db.stat().st_size / 1e6:,.0f} MB, built in {run.seconds:.1f} s"
        + (f" (import {d['import_s']:.1f} s, peak {run.peak_mb:,.0f} MB)" if f else ""))
    return run, d


def first_load_unseeded(workdir: Path) -> Run:
    db = workdir / "unseeded.duckdb"
    clean(db)
    env = {**child_env(db), "PAGES_BENCH_NATIONAL": "0"}
    run = measure(["--_child", "cold", "oversigt", "0"], env, workdir / "logs" / "cold-unseeded")
    clean(db)
    return run


# --------------------------------------------------------------------------- report


def med(xs: list[float]) -> float:
    xs = [x for x in xs if x == x]
    return statistics.median(xs) if xs else float("nan")


def p90(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.9 * (len(xs) - 1))))] if xs else float("nan")


def ms(x: float) -> str:
    return "–" if x != x else f"{1000 * x:,.0f}"


def med_part(parts: list[dict], key: str) -> float:
    return med([p.get(key, 0.0) for p in parts]) if parts else float("nan")


def main_table(pages: dict[str, PageResult]) -> list[str]:
    lines = [
        "| page | first load s (new process, page opened first) | same, from process start s "
        "| first visit s (after Oversigt) "
        "| warm median ms (p90) | warm rerun median ms | after a store change ms (uncached run) "
        "| of which view compute ms | peak MB | aim |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for page, r in pages.items():
        warm, first = med(r.warm), med(r.first)
        ok_warm = warm * 1000 < AIM_WARM_MS
        ok_first = first < AIM_FIRST_S
        aim = ("warm ok" if ok_warm else "warm MISSED") + (
            ", first load ok" if ok_first else ", first load MISSED")
        if r.problems:
            aim += f", {len(r.problems)} PROBLEM(S)"
        lines.append(
            f"| {page} | {first:.2f} | {med(r.process_first):.2f} | {r.visit:.2f} | {ms(warm)} ({ms(p90(r.warm))}) | {ms(med(r.rerun))} "
            f"| {ms(med(r.uncached))} | {ms(med_part(r.uncached_parts, 'compute'))} "
            f"| {max(r.peak_mb, default=float('nan')):,.0f} | {aim} |")
    return lines


def split_table(pages: dict[str, PageResult], which: str) -> list[str]:
    """Where a run's time goes: views (compute, SQL), charts, tables, the rest of the script."""
    lines = [
        "| page | AppTest run ms | script ms | views via load() ms | of which compute ms | SQL ms (all, version() incl.) "
        "| load() calls | store.version() ms | chart builders ms | st.plotly_chart ms | tables (Styler + st.dataframe) ms "
        "| downloads ms | cards ms | rest of script ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page, r in pages.items():
        parts = {"warm": r.warm_parts, "uncached": r.uncached_parts, "first": r.first_parts}[which]
        walls = {"warm": r.warm, "uncached": r.uncached, "first": r.first}[which]
        scripts = {"warm": r.warm_script, "uncached": r.uncached_script, "first": r.first_script}[which]
        if not parts:
            continue
        top = {k: med_part(parts, f"top:{k}") for k in
               ("load", "build", "chart", "table", "downloads", "card", "trends.table", "version")}
        rest = med([s - sum(p.get(k, 0.0) for k in p if k.startswith("top:")) for s, p in zip(scripts, parts)])
        lines.append(
            f"| {page} | {ms(med(walls))} | {ms(med(scripts))} | {ms(top['load'])} | {ms(med_part(parts, 'compute'))} "
            f"| {ms(med_part(parts, 'sql'))} | {med_part(parts, 'loads'):.0f} | {ms(med_part(parts, 'version'))} "
            f"| {ms(med_part(parts, 'build'))} | {ms(med_part(parts, 'plotly_chart'))} "
            f"| {ms(top['table'])} | {ms(top['downloads'])} | {ms(top['card'])} | {ms(rest)} |")
    return lines


def views_table(pages: dict[str, PageResult]) -> list[str]:
    lines = ["| page | view (via load) | uncached compute ms (median) | calls per run |", "|---|---|---:|---:|"]
    for page, r in pages.items():
        if not r.uncached_views:
            continue
        names = sorted({n for v in r.uncached_views for n in v},
                       key=lambda n: -med([v.get(n, [0, 0, 0])[1] for v in r.uncached_views]))
        for n in names:
            lines.append(f"| {page} | `{n}` | {ms(med([v.get(n, [0, 0, 0])[1] for v in r.uncached_views]))} "
                         f"| {med([v.get(n, [0, 0, 0])[2] for v in r.uncached_views]):.0f} |")
    return lines


def profile_lines(page: str, mode: str, prof: dict) -> list[str]:
    entries = prof["entries"]
    wall = med(prof["wall"])
    lines = [f"#### {page}, {mode} ({prof['runs']} run(s) profiled; {ms(wall)} ms per run under cProfile)", "",
             "Project functions by cumulative time (per run):", "",
             "| function | cumulative ms | own ms | calls |", "|---|---:|---:|---:|"]
    proj = sorted((e for e in entries if e["project"]), key=lambda e: -e["cumtime"])[:18]
    lines += [f"| `{e['where']}` | {ms(e['cumtime'])} | {ms(e['tottime'])} | {e['calls']:,.0f} |" for e in proj]
    lines += ["", "Everything by own time (per run):", "",
              "| function | own ms | cumulative ms | calls |", "|---|---:|---:|---:|"]
    own = sorted(entries, key=lambda e: -e["tottime"])[:15]
    lines += [f"| `{e['where']}` | {ms(e['tottime'])} | {ms(e['cumtime'])} | {e['calls']:,.0f} |" for e in own]
    if prof.get("sql"):
        lines += ["", "Slowest SQL (execute + fetch, per run):", "",
                  "| called from | statement | ms | calls |", "|---|---|---:|---:|"]
        lines += [f"| {w} | `{label.replace('|', '/')}` | {ms(secs)} | {calls:.0f} |"
                  for w, label, secs, calls in prof["sql"]]
    return lines + [""]


def environment() -> list[str]:
    import duckdb
    import pandas
    import plotly
    import streamlit

    mem = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), float("nan"))
    return [
        f"- Code measured: {GIT_STATE}",
        f"- Python {platform.python_version()}, Streamlit {streamlit.__version__}, DuckDB {duckdb.__version__}, "
        f"pandas {pandas.__version__}, plotly {plotly.__version__}; {os.cpu_count()} CPUs, {mem:.0f} GB RAM, "
        f"{platform.platform()}",
        f"- STATISTIK_MEMORY_LIMIT = {os.environ.get('STATISTIK_MEMORY_LIMIT') or '1GB (default)'}; no login "
        "(the reader's pages); default filters (the pages' own defaults, no link parameters).",
    ]


def report(pages, base_pages, store_info, base_info, unseeded, tour_run, base_tour, f: LongFile, argv) -> str:
    by_source = ", ".join(f"{s} {k}: {n:,}" for s, k, n in store_info["by_source"])
    lines = [
        "# statistik page benchmark",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}: `python bench/pages_bench.py {' '.join(argv)}`. "
        f"Aim: every page under {AIM_WARM_MS} ms after the first load, the first load under {AIM_FIRST_S:.0f} s "
        "on a fresh store.",
        "",
        f"National-scale store: the shipped figures plus `{f.path.name}` imported with "
        f"`statistik.ingest.import_file` ({f.rows:,} rows: 98 municipalities x {len(f.categories)} police "
        f"categories x {store_info['months']} months {first_month(store_info['months']):%Y-%m} .. 2025-12; three "
        f"are the focus categories {', '.join(FOCUS_NAMES)}). {store_info['figures']:,} figures "
        f"({by_source}); store file {store_info['size_mb']:,.0f} MB. Building it took "
        f"{store_info['build_s']:.1f} s (import {store_info['import_s']:.1f} s).",
        "",
        *main_table(pages),
        "",
        "- **first load**: a new Python process (AppTest imported first, not counted) runs the dashboard once "
        "with this page open, as when a link to it is opened on a freshly started dashboard: importing the "
        "dashboard's modules, opening the store (cache_resource), computing and drawing. Fresh copy of the "
        f"store each time (file in the OS page cache). Median of {ARGS.cold_repeat}.",
        "- **same, from process start**: also Python start-up and importing Streamlit and AppTest (the dashboard "
        "server pays these once, before anyone opens a page).",
        "- **first visit**: one process opens Oversigt, then each page once in the order shown "
        "(store open, that page's views not cached yet).",
        f"- **warm**: the same process, then {ARGS.rounds} rounds over all pages with `switch_page` + `run()` "
        "(Streamlit's caches filled); **warm rerun**: the page rerun in the cold process "
        f"({ARGS.rounds} reruns x {ARGS.cold_repeat} processes).",
        f"- **after a store change**: `st.cache_data.clear()` before each page run ({ARGS.uncached_rounds} rounds), "
        "which is what a new upload, undo, annotation or target costs the next viewer (the store version in the "
        "cache key changes); **view compute** = the view functions behind `load()` in those runs.",
        f"- **peak MB**: max RSS of the cold process (first load + {ARGS.rounds} reruns), read with os.wait4() by a "
        f"launcher. The tour process (every page, {ARGS.rounds} warm and {ARGS.uncached_rounds} uncached rounds) "
        f"peaked at {tour_run.peak_mb:,.0f} MB.",
        "- Times are AppTest wall clock (`at.run()`), which includes AppTest's own work (a script thread per run, "
        "parsing the element tree); the split below shows the script's share.",
        "",
        f"First load of Oversigt with a store that does not exist yet (the dashboard seeds the shipped figures "
        f"first): {unseeded.data['first']['wall']:.2f} s, peak {unseeded.peak_mb:,.0f} MB." if unseeded.data else
        f"First load on an unseeded store FAILED: {unseeded.stderr[-500:]}",
        "",
        "### Warm runs: where the time goes (medians)",
        "",
        *split_table(pages, "warm"),
        "",
        "### After a store change (uncached): where the time goes (medians)",
        "",
        *split_table(pages, "uncached"),
        "",
        "### First load: where the time goes (medians)",
        "",
        *split_table(pages, "first"),
        "",
        "The rest of the script is the page code itself outside the timed calls: importing the dashboard's "
        "modules (first load), widgets, text, and, for `load()` on a cache hit, Streamlit's hashing of the "
        "arguments and unpickling of the cached value (counted under views).",
        "",
        "### View functions after a store change (uncached compute, per page run)",
        "",
        *views_table(pages),
        "",
    ]
    if base_pages:
        lines += [
            "### For comparison: the store with only the shipped figures",
            "",
            f"{base_info['figures']:,} figures, store file {base_info['size_mb']:,.0f} MB; same tour "
            f"(peak {base_tour.peak_mb:,.0f} MB).",
            "",
            "| page | first visit s | warm median ms | after a store change ms | national store warm ms "
            "| national store after a change ms |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for page, b in base_pages.items():
            r = pages[page]
            lines.append(f"| {page} | {b.visit:.2f} | {ms(med(b.warm))} | {ms(med(b.uncached))} "
                         f"| {ms(med(r.warm))} | {ms(med(r.uncached))} |")
        lines.append("")
    lines += ["### Environment", "", *environment(),
              f"- Other processes used at most {max((o for r in pages.values() for o in r.others), default=0):.0f}% "
              "of the machine during a measured process (each one first waits up to "
              f"{ARGS.quiet_wait:.0f} s for an idle machine).", ""]
    problems = [f"- {page}: {p}" for page, r in pages.items() for p in dict.fromkeys(r.problems)]
    problems += [f"- shipped-only store, {page}: {p}" for page, r in (base_pages or {}).items()
                 for p in dict.fromkeys(r.problems)]
    if problems:
        lines += ["## Problems", "", *problems, ""]
    profiled = [(page, mode, prof) for page, r in pages.items() for mode, prof in r.profiles.items()]
    if profiled:
        lines += ["## Profiles (cProfile in the script thread)", ""]
        for page, mode, prof in profiled:
            lines += profile_lines(page, mode, prof)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--months", type=int, default=228, metavar="M",
                   help="months of police figures, ending 2025-12 (default 228: from 2007-01)")
    p.add_argument("--categories", type=int, default=90, metavar="C",
                   help="police categories, the three focus categories included (default 90)")
    p.add_argument("--rounds", type=int, default=10, metavar="R", help="warm runs per page (default 10)")
    p.add_argument("--uncached-rounds", type=int, default=5, metavar="U",
                   help="runs per page after clearing st.cache_data (default 5)")
    p.add_argument("--cold-repeat", type=int, default=3, metavar="N",
                   help="fresh processes per page for the first load (default 3)")
    p.add_argument("--workdir", type=Path, default=OUT_DIR / "work", metavar="DIR",
                   help="where files and stores go (default bench/out/work)")
    p.add_argument("--no-baseline", action="store_true", help="skip the tour on the shipped-only store")
    p.add_argument("--no-profile", action="store_true", help="profile no page")
    p.add_argument("--profile-all", action="store_true",
                   help="profile every page (first load, warm and uncached), not only those missing the aims")
    p.add_argument("--profile-rounds", type=int, default=5, metavar="P", help="runs per profile (default 5)")
    p.add_argument("--quiet-wait", type=float, default=60, metavar="S",
                   help="before each child wait up to S seconds for other processes to go idle (default 60)")
    p.add_argument("--out", type=Path, default=OUT_DIR / "pages_results.md", help=argparse.SUPPRESS)
    p.add_argument("--_child", nargs="+", help=argparse.SUPPRESS)
    return p.parse_args(argv)


ARGS: argparse.Namespace
GIT_STATE = "?"


def child(args: list[str]) -> int:
    global NATIONAL
    mode, rest = args[0], args[1:]
    if mode == "build":
        build_child(rest[0], rest[1] or None, rest[2:])
        return 0
    import logging

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    NATIONAL = os.environ.get("PAGES_BENCH_NATIONAL", "1") == "1"
    if mode == "cold":
        cold_child(rest[0], int(rest[1]))
    elif mode == "tour":
        tour_child(int(rest[0]), int(rest[1]))
    elif mode == "profile":
        profile_child(rest[0], rest[1], int(rest[2]))
    else:
        raise SystemExit(f"unknown child mode {mode}")
    return 0


def main(argv: list[str] | None = None) -> int:
    global ARGS, GIT_STATE
    argv = sys.argv[1:] if argv is None else argv
    ARGS = args = parse_args(argv)
    if args._child:
        return child(args._child)
    GIT_STATE = git_state()
    workdir = args.workdir.resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / "no-users.toml").unlink(missing_ok=True)

    f = long_file(workdir, args.months, args.categories)
    template = workdir / f"sider_{args.months}x{args.categories}.duckdb"
    build_run, info = build_store(template, f, workdir, "national")
    info.update(months=args.months, size_mb=template.stat().st_size / 1e6, build_s=build_run.seconds)

    pages = {p: PageResult(p) for p in PAGES}
    log("tour on the national store")
    tour_run, _ = run_tour(pages, template, workdir, "national")
    log("cold first loads")
    run_cold(pages, template, workdir)
    unseeded = first_load_unseeded(workdir)
    if unseeded.data:
        log(f"first load on an unseeded store: {unseeded.data['first']['wall']:.2f} s")

    base_pages, base_info, base_tour = None, None, None
    if not args.no_baseline:
        base = workdir / "sider_shipped.duckdb"
        _, base_info = build_store(base, None, workdir, "shipped-only")
        base_info["size_mb"] = base.stat().st_size / 1e6
        base_pages = {p: PageResult(p) for p in PAGES}
        os.environ["PAGES_BENCH_NATIONAL"] = "0"
        base_tour, _ = run_tour(base_pages, base, workdir, "shipped")
        os.environ.pop("PAGES_BENCH_NATIONAL")
        clean(base)

    if not args.no_profile:
        for page, r in pages.items():
            modes = []
            if args.profile_all or med(r.warm) * 1000 >= AIM_WARM_MS:
                modes.append("warm")
            if args.profile_all or med(r.first) >= AIM_FIRST_S:
                modes.append("first")
            if args.profile_all or med(r.uncached) * 1000 >= AIM_WARM_MS:
                modes.append("uncached")
            for mode in modes:
                log(f"profiling {page} ({mode})")
                r.profiles[mode] = run_profile(page, mode, template, workdir)

    text = report(pages, base_pages, info, base_info, unseeded, tour_run, base_tour, f, argv)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    log(f"written to {args.out}")
    return 1 if any(r.problems for r in pages.values()) or (base_pages and any(
        r.problems for r in base_pages.values())) else 0


if __name__ == "__main__":
    sys.exit(main())
