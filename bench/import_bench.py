"""Import benchmark: `statistik import` against plain DuckDB `read_csv`, on generated files.

    python bench/import_bench.py [--reports-rows N] [--long-months M] [--workdir DIR] [--repeat R]
                                 [--only reports|long]

Makes two files itself (with DuckDB COPY, deterministic):

* a file of single reports, `dato;kommune;kategori;journalnr`, N rows (default 10,000,000),
  dates spread evenly over M months from 2007-01 (default 228: 2007-01 .. 2025-12);
* a long file, `periode;kommune;kategori;antal`, every municipality x category x month
  (98 x 90 x M = 2,010,960 rows at the default).

Municipalities are the 98 real `kommune` names from data/omraader.csv; the 90 categories
("Kategori 01" .. "Kategori 90") are registered in a seeded template store first. Every
measurement then runs on a fresh copy of that template (STATISTIK_DB), as a subprocess:

* `statistik import FILE --user bench` (wall clock, peak RSS of the child);
* plain DuckDB: `CREATE TABLE t AS SELECT * FROM read_csv(FILE)` into a fresh on-disk file.

Peak memory is the measured process's own max RSS, read with os.wait4() on that pid by a tiny
launcher process (see LAUNCHER: a child forked from this big process would inherit our RSS
high-water mark). Each is repeated --repeat times (default 3), import and plain alternating,
and the median reported; before each run the script waits (--quiet-wait) for other processes
to go idle and records how much CPU they took anyway. Every import is checked: exit 0,
`statistik uploads --json` (rows, cells_new > 0 and = the distinct cells in the file), and the
stored cells and their sum in the figure table.

Finally each file is imported once more in-process (in a child) with timing wrapped around the
importer's phases and every SQL statement it runs, to show where the time goes.

The Markdown report goes to stdout and to bench/out/import_results.md (bench/out is ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
DATA_DIR = PROJECT / "data"
N_CATEGORIES = 90
START = "2007-01-01"
GOAL_RATIO = 0.5
GOAL_PEAK_MB = 2048


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def category_names() -> list[str]:
    return [f"Kategori {i:02d}" for i in range(1, N_CATEGORIES + 1)]


def municipality_names() -> list[str]:
    import duckdb

    rows = duckdb.sql(
        f"""SELECT navn FROM read_csv('{DATA_DIR / 'omraader.csv'}', delim = ';', header = true,
                                      all_varchar = true)
            WHERE type = 'kommune' ORDER BY "OMRÅDE" """
    ).fetchall()
    return [r[0] for r in rows]


# --------------------------------------------------------------------------- data generation


@dataclass
class DataFile:
    kind: str            # 'reports' or 'long'
    path: Path
    rows: int            # data rows (header not counted)
    cells: int           # distinct (month, municipality, category): cells the import must store
    total: int           # sum of the counts the import must store
    size: int = 0


def _sql_list(items: list[str]) -> str:
    return "[" + ", ".join("'" + s.replace("'", "''") + "'" for s in items) + "]"


def generate(workdir: Path, reports_rows: int, months: int, reuse: bool) -> list[DataFile]:
    """Write both files with DuckDB COPY; returns them with what a correct import stores."""
    import duckdb

    workdir.mkdir(parents=True, exist_ok=True)
    kommuner, kategorier = municipality_names(), category_names()
    assert len(kommuner) == 98, len(kommuner)
    nk, nc = len(kommuner), len(kategorier)
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET VARIABLE kommuner = {_sql_list(kommuner)}")
    con.execute(f"SET VARIABLE kategorier = {_sql_list(kategorier)}")
    ndays = con.execute(
        f"SELECT date_diff('day', DATE '{START}', DATE '{START}' + to_months({months}))"
    ).fetchone()[0]
    out: list[DataFile] = []

    # Reports: sorted by date (as an export from the case system would be); municipality and
    # category by hash of the row number, so uniform and deterministic.
    reports = workdir / f"anmeldelser_{reports_rows}.csv"
    gen = f"""
        SELECT i,
               DATE '{START}' + CAST((i * {ndays}) // {reports_rows} AS INTEGER) AS day,
               1 + CAST(h % {nk} AS INTEGER) AS k,
               1 + CAST((h // {nk}) % {nc} AS INTEGER) AS c
        FROM (SELECT i, hash(i) AS h FROM range({reports_rows}) r(i))"""
    meta = reports.with_suffix(".json")
    if reuse and reports.exists() and meta.exists():
        log(f"reusing {reports}")
        cells = json.loads(meta.read_text())["cells"]
    else:
        t = time.perf_counter()
        con.execute(
            f"""COPY (
                  SELECT strftime(day, '%Y-%m-%d') AS dato,
                         getvariable('kommuner')[k] AS kommune,
                         getvariable('kategorier')[c] AS kategori,
                         printf('0100-%05d-%05d-%02d', i // 100000, i % 100000,
                                year(day) % 100) AS journalnr
                  FROM ({gen}) ORDER BY i
                ) TO '{reports}' (HEADER, DELIMITER ';')"""
        )
        cells = con.execute(
            f"SELECT count(*) FROM (SELECT DISTINCT date_trunc('month', day), k, c FROM ({gen}))"
        ).fetchone()[0]
        meta.write_text(json.dumps({"cells": cells}))
        log(f"wrote {reports} in {time.perf_counter() - t:.1f} s")
    out.append(DataFile("reports", reports, reports_rows, cells, reports_rows))

    long = workdir / f"lang_{months}.csv"
    gen = f"""
        SELECT m, k, c, CAST(hash(m, k, c) % 40 AS INTEGER) AS antal
        FROM range({months}) a(m), range(1, {nk + 1}) b(k), range(1, {nc + 1}) d(c)"""
    meta = long.with_suffix(".json")
    if reuse and long.exists() and meta.exists():
        log(f"reusing {long}")
        total = json.loads(meta.read_text())["total"]
    else:
        t = time.perf_counter()
        con.execute(
            f"""COPY (
                  SELECT strftime(DATE '{START}' + to_months(m), '%Y-%m') AS periode,
                         getvariable('kommuner')[k] AS kommune,
                         getvariable('kategorier')[c] AS kategori, antal
                  FROM ({gen}) ORDER BY m, k, c
                ) TO '{long}' (HEADER, DELIMITER ';')"""
        )
        total = con.execute(f"SELECT sum(antal) FROM ({gen})").fetchone()[0]
        meta.write_text(json.dumps({"total": int(total)}))
        log(f"wrote {long} in {time.perf_counter() - t:.1f} s")
    n = months * nk * nc
    out.append(DataFile("long", long, n, n, int(total)))
    con.close()
    for f in out:
        f.size = f.path.stat().st_size
    return out


def make_template(workdir: Path) -> Path:
    """A seeded store with the 90 benchmark categories registered (built in a child)."""
    template = workdir / "template.duckdb"
    for p in (template, Path(f"{template}.wal")):
        p.unlink(missing_ok=True)
    code = (
        "import sys\n"
        "from statistik.bootstrap import open_store\n"
        "from statistik.reference import add_category\n"
        "con = open_store(sys.argv[1])\n"
        "for name in sys.argv[2:]:\n"
        "    add_category(con, name)\n"
        "con.execute('CHECKPOINT')\n"
        "con.close()\n"
    )
    subprocess.run([sys.executable, "-c", code, str(template), *category_names()], check=True)
    return template


# --------------------------------------------------------------------------- measuring


@dataclass
class Run:
    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    others: float = 0.0   # CPU used by other processes during the run, in % of the machine


# Linux keeps a process's RSS high-water mark across fork and exec (exec records the old
# address space's peak in the process's maxrss), so a child forked straight from this big
# benchmark process would report *our* peak. A tiny launcher (a fresh, small Python) starts
# the measured command instead, times it and reads its own peak with wait4() on that pid alone.
LAUNCHER = r"""
import json, os, subprocess, sys, time
out, err, result, cmd = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
with open(out, "wb") as o, open(err, "wb") as e:
    t = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=o, stderr=e)
    _, status, usage = os.wait4(p.pid, 0)
    seconds = time.perf_counter() - t
p.returncode = os.waitstatus_to_exitcode(status)
with open(result, "w") as f:
    json.dump({"seconds": seconds, "maxrss_kb": usage.ru_maxrss, "exit": p.returncode,
               "cpu_s": usage.ru_utime + usage.ru_stime}, f)
"""


def _busy_seconds() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def wait_for_quiet(max_wait: float, threshold: float = 0.15) -> None:
    """Wait (up to max_wait s) until other processes use under `threshold` of one core."""
    if max_wait <= 0:
        return
    deadline = time.monotonic() + max_wait
    announced = False
    while True:
        before = _busy_seconds()
        time.sleep(1.0)
        busy = _busy_seconds() - before
        if busy < threshold or time.monotonic() > deadline:
            if announced:
                log(f"machine {'quiet' if busy < threshold else 'still busy'} ({busy:.2f} cores busy)")
            return
        if not announced:
            log(f"other processes are using {busy:.2f} cores; waiting up to {max_wait:.0f} s")
            announced = True



def measure(cmd: list[str], env: dict[str, str], logdir: Path) -> Run:
    """Run `cmd` via the launcher: wall time and the command's own peak RSS."""
    logdir.mkdir(parents=True, exist_ok=True)
    out_path, err_path, res_path = logdir / "stdout.txt", logdir / "stderr.txt", logdir / "run.json"
    res_path.unlink(missing_ok=True)
    wait_for_quiet(ARGS.quiet_wait)
    busy = _busy_seconds()
    subprocess.run([sys.executable, "-S", "-c", LAUNCHER, str(out_path), str(err_path),
                    str(res_path), *cmd], env=env, check=True)
    busy = _busy_seconds() - busy
    res = json.loads(res_path.read_text())
    others = max(0.0, busy - res["cpu_s"]) / (res["seconds"] * (os.cpu_count() or 1))
    return Run(res["seconds"], res["maxrss_kb"] / 1024, res["exit"],
               out_path.read_text(errors="replace"), err_path.read_text(errors="replace"),
               100 * others)


def fresh_store(template: Path, path: Path) -> Path:
    clean(path)
    shutil.copy(template, path)
    return path


def clean(db: Path) -> None:
    for p in (db, Path(f"{db}.wal"), Path(f"{db}.lock")):
        p.unlink(missing_ok=True)
    shutil.rmtree(f"{db}.tmp", ignore_errors=True)


def statistik_exe() -> str:
    exe = Path(sys.executable).parent / "statistik"
    return str(exe) if exe.exists() else shutil.which("statistik") or "statistik"


def check_import(f: DataFile, run: Run, db: Path, env: dict[str, str]) -> str | None:
    """None if the import stored exactly what the file holds, else what is wrong."""
    if run.returncode != 0:
        return f"exit {run.returncode}: {run.stderr.strip()[-2000:]}"
    res = subprocess.run([statistik_exe(), "uploads", "--json"], env=env, capture_output=True, text=True)
    if res.returncode != 0:
        return f"`statistik uploads --json` exit {res.returncode}: {res.stderr.strip()[-1000:]}"
    first = json.loads(res.stdout)[0]
    problems = []
    if first["user"] != "bench" or first["file"] != f.path.name:
        problems.append(f"newest upload is not ours: {first}")
    if not first["cells_new"] > 0:
        problems.append(f"cells_new = {first['cells_new']}")
    if first["cells_new"] != f.cells:
        problems.append(f"cells_new = {first['cells_new']}, expected {f.cells}")
    if first["rows"] != f.rows:
        problems.append(f"rows = {first['rows']}, expected {f.rows}")
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    n, total = con.execute(
        "SELECT count(*), coalesce(sum(count), 0) FROM figure WHERE upload_id = ?", [first["id"]]
    ).fetchone()
    con.close()
    if n != f.cells or total != f.total:
        problems.append(f"stored {n} cells summing to {total}, expected {f.cells} summing to {f.total}")
    return "; ".join(problems) or None


PLAIN = (
    "import sys, duckdb\n"
    "db, path, limit = sys.argv[1:4]\n"
    "con = duckdb.connect(db, config={'memory_limit': limit} if limit else {})\n"
    "con.execute('SET enable_progress_bar = false')\n"
    "con.execute('CREATE TABLE t AS SELECT * FROM read_csv($p)', {'p': path})\n"
    "print(con.execute('SELECT count(*) FROM t').fetchone()[0])\n"
    "con.close()\n"
)


@dataclass
class Result:
    file: DataFile
    imports: list[Run] = field(default_factory=list)
    plains: list[Run] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    profile: dict | None = None


def bench_file(f: DataFile, template: Path, workdir: Path, repeat: int, plain_limit: str) -> Result:
    result = Result(f)
    db = workdir / "run.duckdb"
    plain_db = workdir / "plain.duckdb"
    env = {**os.environ, "STATISTIK_DB": str(db)}
    for i in range(1, repeat + 1):
        fresh_store(template, db)
        run = measure([statistik_exe(), "import", str(f.path), "--user", "bench"], env,
                      workdir / "logs" / f"{f.kind}-import-{i}")
        error = check_import(f, run, db, env)
        log(f"{f.kind} import #{i}: {run.seconds:.2f} s, {f.rows / run.seconds:,.0f} rows/s, "
            f"peak {run.peak_mb:,.0f} MB" + (f" -- FAILED: {error}" if error else ""))
        result.imports.append(run)
        if error:
            result.errors.append(f"import #{i}: {error}")
        clean(db)

        clean(plain_db)
        run = measure([sys.executable, "-c", PLAIN, str(plain_db), str(f.path), plain_limit or ""],
                      os.environ.copy(), workdir / "logs" / f"{f.kind}-plain-{i}")
        ok = run.returncode == 0 and run.stdout.split()[-1:] == [str(f.rows)]
        log(f"{f.kind} plain  #{i}: {run.seconds:.2f} s, {f.rows / run.seconds:,.0f} rows/s, "
            f"peak {run.peak_mb:,.0f} MB" + ("" if ok else f" -- FAILED: {run.stdout} {run.stderr}"))
        if not ok:
            result.errors.append(f"plain #{i}: exit {run.returncode}, {run.stdout.strip()} rows, "
                                 f"{run.stderr.strip()[-500:]}")
        if re.search(r"\d%", run.stdout + run.stderr):
            result.errors.append(f"plain #{i}: DuckDB printed a progress bar (not timed cleanly)")
        result.plains.append(run)
        clean(plain_db)
    return result


def startup_overhead(template: Path, workdir: Path) -> tuple[float, float]:
    """Wall time of `statistik uploads` on a seeded store, and of python + import duckdb."""
    db = fresh_store(template, workdir / "startup.duckdb")
    env = {**os.environ, "STATISTIK_DB": str(db)}
    cli = min(measure([statistik_exe(), "uploads"], env, workdir / "logs" / "startup").seconds
              for _ in range(3))
    plain = min(measure([sys.executable, "-c", "import duckdb; duckdb.connect().close()"],
                        os.environ.copy(), workdir / "logs" / "startup").seconds for _ in range(3))
    clean(db)
    return cli, plain


# --------------------------------------------------------------------------- phase profile


def _label(sql: str) -> str:
    s = " ".join(sql.split())
    for pattern, fmt in (
        (r"^CREATE (?:OR REPLACE )?TEMP TABLE (\w+)", "create temp {}"),
        (r"^INSERT INTO (\w+)", "insert into {}"),
        (r"^UPDATE (\w+)", "update {}"),
        (r"^WITH src AS", "locate (re-read file)"),
    ):
        m = re.match(pattern, s)
        if m:
            return fmt.format(*m.groups())
    return s[:70]


def _vm(field_name: str) -> float:
    """VmRSS / VmHWM of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def profile_child(path: Path, db: Path) -> None:
    """Import `path` into `db` like the CLI does, timing phases and SQL; JSON on stdout."""
    t_script = time.perf_counter()
    import statistik.cli  # noqa: F401  (the CLI's imports, as a real run pays them)
    import statistik.ingest as ing
    import statistik.ingest.layout as lay
    import statistik.ingest.plan as planmod
    import statistik.ingest.textfile as textfile
    import statistik.ingest.findings as fnd
    import statistik.ingest.accounting as acc
    from statistik import bootstrap, reference

    local = threading.local()
    phases: dict[str, dict] = {}
    queries: list[tuple[str, str, float]] = []
    t0 = time.perf_counter()

    def stack() -> list[str]:
        if not hasattr(local, "stack"):
            local.stack = []
        return local.stack

    def record(name: str, start: float, end: float) -> None:
        p = phases.setdefault(name, {"seconds": 0.0, "calls": 0, "start": start - t0})
        p["seconds"] += end - start
        p["calls"] += 1
        p["end"] = end - t0
        p["hwm_mb"] = _vm("VmHWM")

    def timed(name: str, fn):
        def wrapper(*args, **kwargs):
            st = stack()
            st.append(name)
            full = "/".join(st)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                record(full, start, time.perf_counter())
                st.pop()
        return wrapper

    class TimedCon:
        """Passes everything to a DuckDB connection, timing each execute()."""

        def __init__(self, real):
            self._real = real

        def cursor(self):
            return TimedCon(self._real.cursor())

        def execute(self, sql, *params):
            start = time.perf_counter()
            try:
                return self._real.execute(sql, *params)
            finally:
                queries.append(("/".join(stack()), _label(sql), time.perf_counter() - start))

        def __getattr__(self, name):
            return getattr(self._real, name)

    # Wrap the importer's public steps where they are looked up (module globals), without editing
    # src/ and without touching private names. A name the importer no longer has is skipped (its
    # time shows up in the enclosing phase).
    def wrap(module, attr: str, name: str | None = None) -> None:
        if hasattr(module, attr):
            setattr(module, attr, timed(name or attr, getattr(module, attr)))

    wrap(ing, "sha256_of", "sha256 (worker thread)")
    wrap(ing, "open_text_file")
    wrap(reference, "lexicons")
    wrap(lay, "detect_layout")
    wrap(ing, "stage", "stage (read_csv)")
    wrap(ing, "structural_problems")
    wrap(ing.spellings, "build_maps")
    wrap(ing.validation, "classify")
    for name in ("check_wide_totals", "build_cells"):
        wrap(ing.cells, name)
    for name in ("findings", "duplicates"):
        wrap(fnd, name)
    for name in ("account", "check_cells"):
        wrap(acc, name)
    wrap(planmod, "build", "plan.build")
    wrap(ing.direct, "eligible", "direct.eligible")
    wrap(ing.direct, "check_once", "direct.check_once")
    wrap(sys.modules["statistik.ingest.apply"], "check_written")
    wrap(ing, "apply")
    wrap(ing, "prepare")
    import_file = timed("import_file", ing.import_file)

    def top(name: str, fn, *args, **kwargs):
        return timed(name, fn)(*args, **kwargs)

    imports_s = t0 - t_script
    con = top("open_store", bootstrap.open_store, db)
    top("cli: area and category names", lambda: (reference.area_names(con), reference.category_names(con)))
    plan, upload_id = import_file(TimedCon(con), path, user="bench")
    top("describe", planmod.describe, plan, reference.area_names(con), reference.category_names(con))
    top("close (checkpoint)", con.close)
    total = time.perf_counter() - t0
    standalone_sha = time.perf_counter()
    textfile.sha256_of(path)
    standalone_sha = time.perf_counter() - standalone_sha
    print(json.dumps({
        "imports_s": imports_s, "total_s": total, "upload_id": upload_id,
        "sha256_standalone_s": standalone_sha, "peak_mb": _vm("VmHWM"),
        "phases": phases, "queries": queries,
        "plan": {"new": plan.new, "rows_read": plan.rows_read},
    }))


def run_profile(f: DataFile, template: Path, workdir: Path) -> dict:
    db = fresh_store(template, workdir / "profile.duckdb")
    env = {**os.environ, "STATISTIK_DB": str(db)}
    run = measure([sys.executable, __file__, "--_profile", str(f.path), str(db)], env,
                  workdir / "logs" / f"{f.kind}-profile")
    clean(db)
    if run.returncode != 0:
        raise RuntimeError(f"profile of {f.path} failed:\n{run.stderr}")
    data = json.loads(run.stdout.strip().splitlines()[-1])
    data["wall_s"] = run.seconds
    data["child_peak_mb"] = run.peak_mb
    return data


# --------------------------------------------------------------------------- report


def _fmt_int(n: float) -> str:
    return f"{n:,.0f}"


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def summary_table(results: list[Result]) -> list[str]:
    lines = [
        "| file | rows | size MB | import s | import rows/s | import peak MB "
        "| plain s | plain rows/s | plain peak MB | ratio (import/plain speed) "
        "| ratio, fastest runs | goal |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        f = r.file
        imp_s, pl_s = _median([x.seconds for x in r.imports]), _median([x.seconds for x in r.plains])
        imp_mb, pl_mb = _median([x.peak_mb for x in r.imports]), _median([x.peak_mb for x in r.plains])
        ratio = (f.rows / imp_s) / (f.rows / pl_s)
        best = min(x.seconds for x in r.plains) / min(x.seconds for x in r.imports)
        ok_ratio, ok_mem = ratio >= GOAL_RATIO, max(x.peak_mb for x in r.imports) < GOAL_PEAK_MB
        goal = ("speed ok" if ok_ratio else "speed MISSED") + ", " + ("memory ok" if ok_mem else "memory MISSED")
        if r.errors:
            goal += f", {len(r.errors)} FAILED run(s)"
        lines.append(
            f"| {f.path.name} | {_fmt_int(f.rows)} | {f.size / 1e6:,.0f} | {imp_s:.2f} "
            f"| {_fmt_int(f.rows / imp_s)} | {imp_mb:,.0f} | {pl_s:.2f} | {_fmt_int(f.rows / pl_s)} "
            f"| {pl_mb:,.0f} | {ratio:.2f} | {best:.2f} | {goal} |"
        )
    return lines


def runs_table(results: list[Result]) -> list[str]:
    lines = ["| file | what | seconds per run | peak MB per run | CPU used by other processes (% of machine) |",
             "|---|---|---|---|---|"]
    for r in results:
        for what, runs in (("statistik import", r.imports), ("plain DuckDB", r.plains)):
            lines.append(f"| {r.file.path.name} | {what} | "
                         + ", ".join(f"{x.seconds:.2f}" for x in runs) + " | "
                         + ", ".join(f"{x.peak_mb:,.0f}" for x in runs) + " | "
                         + ", ".join(f"{x.others:.0f}%" for x in runs) + " |")
    return lines


def profile_section(r: Result) -> list[str]:
    p = r.profile
    if not p:
        return []
    imp = p["phases"]["import_file"]["seconds"]
    lines = [
        f"#### {r.file.path.name} ({_fmt_int(r.file.rows)} rows)",
        "",
        f"In-process run: module imports {p['imports_s']:.2f} s (before the clock below), "
        f"total {p['total_s']:.2f} s, of which `import_file` {imp:.2f} s; "
        f"peak RSS {p['peak_mb']:,.0f} MB. "
        f"sha256 of the file alone (single thread, warm cache): {p['sha256_standalone_s']:.2f} s.",
        "",
        "| phase (nested: a/b is b inside a) | seconds | % of import_file | calls | peak RSS so far MB |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, ph in sorted(p["phases"].items(), key=lambda kv: kv[1]["start"]):
        label = " / ".join(name.split("/"))
        pct = "" if not name.startswith(("import_file", "sha256")) else f"{100 * ph['seconds'] / imp:.0f}%"
        lines.append(f"| {label} | {ph['seconds']:.2f} | {pct} "
                     f"| {ph['calls']} | {ph['hwm_mb']:,.0f} |")
    sha = p["phases"].get("sha256 (worker thread)")
    if sha:
        lines += ["", f"sha256 runs in a worker thread from {sha['start']:.2f} s to {sha['end']:.2f} s "
                      "(same clock as the phases), alongside DuckDB's own threads on this 2-core machine."]
    agg: dict[tuple[str, str], list[float]] = {}
    for where, label, secs in p["queries"]:
        agg.setdefault((where.split("/", 1)[-1] if "/" in where else where, label), []).append(secs)
    top_q = sorted(agg.items(), key=lambda kv: -sum(kv[1]))[:12]
    lines += ["", "Slowest SQL statements (summed by phase and statement):", "",
              "| phase | statement | seconds | calls |", "|---|---|---:|---:|"]
    for (where, label), secs in top_q:
        lines.append(f"| {where} | `{label.replace('|', '/')}` | {sum(secs):.2f} | {len(secs)} |")
    return lines + [""]


def git_state() -> str:
    """Commit and uncommitted changes under src/ (read-only git commands)."""
    def git(*args: str) -> str:
        res = subprocess.run(["git", "-C", str(PROJECT), *args], capture_output=True, text=True)
        return res.stdout.rstrip() if res.returncode == 0 else "?"

    changed = git("status", "--porcelain", "--", "src").splitlines()
    state = f"commit {git('rev-parse', '--short', 'HEAD')}"
    if changed:
        state += (f" plus uncommitted changes in {len(changed)} file(s) under src/: "
                  + ", ".join(line[3:] for line in changed[:8]) + (" …" if len(changed) > 8 else ""))
    return state


def environment() -> list[str]:
    import duckdb

    mem = next((int(line.split()[1]) / 1024 ** 2 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), float("nan"))
    return [
        f"- Code measured: {GIT_STATE}",
        f"- Python {platform.python_version()}, DuckDB {duckdb.__version__}, "
        f"{os.cpu_count()} CPUs, {mem:.0f} GB RAM, {platform.platform()}",
        f"- STATISTIK_MEMORY_LIMIT = {os.environ.get('STATISTIK_MEMORY_LIMIT') or '1GB (default)'} "
        "for the import; plain DuckDB runs with "
        + ("DuckDB's default memory limit (80% of RAM)" if not ARGS.plain_memory_limit
           else f"memory_limit = {ARGS.plain_memory_limit}"),
        "- Times are wall clock of the whole child process (Python start-up, imports, open, "
        "work, close/checkpoint); files are in the page cache (just written). Import and plain "
        "runs alternate, so load from other processes hits both; each run first waits (up to "
        f"{ARGS.quiet_wait:.0f} s) for the machine to be idle, and the per-run table shows how much "
        "CPU other processes took anyway (from /proc/stat minus the child's own CPU time).",
    ]


def report(results: list[Result], startup: tuple[float, float], gen_args: str) -> str:
    lines = [
        "# statistik import benchmark",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M')}: `python bench/import_bench.py {gen_args}` "
        f"(median of {ARGS.repeat} runs each). Goal: import at least {GOAL_RATIO:.0%} of plain "
        f"DuckDB's speed, peak memory under {GOAL_PEAK_MB} MB.",
        "",
        *summary_table(results),
        "",
        "Per run:",
        "",
        *runs_table(results),
        "",
        f"Fixed start-up cost in these times: `statistik uploads` on a seeded store "
        f"{startup[0]:.2f} s; `python -c 'import duckdb'` {startup[1]:.2f} s.",
        "",
        *environment(),
        "",
    ]
    errors = [f"- {r.file.path.name}: {e}" for r in results for e in r.errors]
    if errors:
        lines += ["## Failures", "", *errors, ""]
    if any(r.profile for r in results):
        lines += ["## Where the import spends its time", ""]
        for r in results:
            lines += profile_section(r)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--reports-rows", type=int, default=10_000_000, metavar="N",
                   help="rows in the reports file (default 10,000,000)")
    p.add_argument("--long-months", type=int, default=228, metavar="M",
                   help="months from 2007-01 in both files (default 228: up to 2025-12)")
    p.add_argument("--workdir", type=Path, default=OUT_DIR / "work", metavar="DIR",
                   help="where files and stores go (default bench/out/work)")
    p.add_argument("--repeat", type=int, default=3, metavar="R", help="runs per measurement (default 3)")
    p.add_argument("--reuse-data", action="store_true",
                   help="keep generated files from an earlier run with the same sizes")
    p.add_argument("--no-profile", action="store_true", help="skip the phase profile")
    p.add_argument("--only", choices=["reports", "long"], help="measure one of the two files")
    p.add_argument("--plain-memory-limit", default="", metavar="LIMIT",
                   help="memory_limit for the plain DuckDB load (default: DuckDB's own default)")
    p.add_argument("--quiet-wait", type=float, default=120, metavar="S",
                   help="before each run wait up to S seconds for other processes to go idle "
                        "(default 120; 0 = never wait)")
    p.add_argument("--smoke", action="store_true",
                   help="a tiny run that checks the bench works (3,000 reports, 2 months, 1 run, no waiting)")
    p.add_argument("--out", type=Path, default=OUT_DIR / "import_results.md", help=argparse.SUPPRESS)
    p.add_argument("--_profile", nargs=2, metavar=("FILE", "DB"), help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.smoke:
        args.reports_rows, args.long_months, args.repeat, args.quiet_wait = 3000, 2, 1, 0
    return args


ARGS: argparse.Namespace
GIT_STATE = "?"


def main(argv: list[str] | None = None) -> int:
    global ARGS
    ARGS = args = parse_args(argv)
    if args._profile:
        profile_child(Path(args._profile[0]), Path(args._profile[1]))
        return 0
    global GIT_STATE
    GIT_STATE = git_state()  # at the start: src/ may change while the benchmark runs
    workdir = args.workdir.resolve()
    files = generate(workdir, args.reports_rows, args.long_months, args.reuse_data)
    template = make_template(workdir)
    log(f"template store {template} ({template.stat().st_size / 1e6:.1f} MB)")
    startup = startup_overhead(template, workdir)
    results = []
    for f in [f for f in files if args.only in (None, f.kind)]:
        log(f"{f.path.name}: {f.rows:,} rows, {f.size / 1e6:,.0f} MB, expect {f.cells:,} cells")
        r = bench_file(f, template, workdir, args.repeat, args.plain_memory_limit)
        if not args.no_profile:
            log(f"profiling {f.path.name}")
            r.profile = run_profile(f, template, workdir)
        results.append(r)
    gen_args = " ".join(a for a in (argv if argv is not None else sys.argv[1:]))
    text = report(results, startup, gen_args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    print(text)
    log(f"written to {args.out}")
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
