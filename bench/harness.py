"""What the benches share: a national-scale store built through the public API, child processes measured
for wall time and their own peak memory, a wait for a quiet machine, and Markdown tables.

The national-scale store is the shipped DST figures plus one long police file: all 98 municipalities
x C categories x M months ending 2025-12 (default 90 x 228: 2,010,960 figures), written with DuckDB
COPY (deterministic counts) and imported with `statistik.ingest.import_file` inside `Store.write()`.
Nothing here patches or reads a private name of the project.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
PROJECT = BENCH_DIR.parent
OUT_DIR = BENCH_DIR / "out"
LAST_MONTH = dt.date(2025, 12, 1)
FOCUS = ["Kontaktbedrageri", "Opioider", "Lomme- og tricktyveri"]   # real police categories, seeded

# Runs `argv` and writes its exit code and the child's own peak RSS (os.wait4) as JSON to argv[1].
_LAUNCHER = """
import json, os, sys, time
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
json.dump({"seconds": time.perf_counter() - start, "exit": os.waitstatus_to_exitcode(status),
           "peak_mb": usage.ru_maxrss / 1024}, open(sys.argv[1], "w"))
"""


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def machine_cpu() -> float:
    """CPU seconds the whole machine has spent busy (not idle, not waiting for I/O) since it started."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:8]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def busy_cores(seconds: float = 1.0) -> float:
    """How many cores the whole machine kept busy over `seconds`."""
    before = machine_cpu()
    time.sleep(seconds)
    return (machine_cpu() - before) / seconds


def wait_for_quiet(max_wait: float, threshold: float = 0.3) -> float:
    """Wait up to `max_wait` s for other processes to go idle; returns the load found (cores busy)."""
    deadline = time.monotonic() + max_wait
    load = busy_cores(0.5)
    while load > threshold and time.monotonic() < deadline:
        load = busy_cores()
    return load


@dataclass
class Run:
    seconds: float
    peak_mb: float
    exit: int
    stdout: str
    stderr: str


def measure(argv: list[str], env: dict[str, str] | None = None, cwd: Path = PROJECT) -> Run:
    """Run a command in a process of its own: wall time, its peak RSS, its output."""
    work = OUT_DIR / "runs"
    work.mkdir(parents=True, exist_ok=True)
    result = work / f"run-{os.getpid()}.json"
    done = subprocess.run([sys.executable, "-S", "-c", _LAUNCHER, str(result), *argv], env=env, cwd=cwd,
                          capture_output=True, text=True)
    data = json.loads(result.read_text())
    return Run(data["seconds"], data["peak_mb"], data["exit"], done.stdout, done.stderr)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: list[float], share: float) -> float:
    """The `share` (0..1) percentile, by the nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """A Markdown table (right-aligned after the first column)."""
    return ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|",
            *["| " + " | ".join(row) + " |" for row in rows]]


def report(text: str, name: str, smoke: bool) -> None:
    """Print a bench's result; a full run also keeps it as bench/out/<name>_results.md."""
    print(text)
    if not smoke:
        (OUT_DIR / f"{name}_results.md").write_text(text + "\n")


def environment(load: float) -> str:
    """One line on where and when the figures were measured."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT, capture_output=True,
                            text=True).stdout.strip() or "?"
    return (f"Measured {time.strftime('%Y-%m-%d %H:%M')} at {commit} on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}; other processes kept "
            f"{load:.1f} cores busy at the start{' (a loaded machine: figures are noisy)' if load > 0.5 else ''}.")


# ---------------------------------------------------------------------- the national-scale store


def categories(n: int) -> list[str]:
    """The three real focus categories, then 'Kategori 04' .. 'Kategori NN'."""
    return FOCUS + [f"Kategori {i:02d}" for i in range(len(FOCUS) + 1, n + 1)]


def municipalities() -> list[str]:
    """The 98 municipality names from the shipped area list."""
    import csv
    with open(PROJECT / "data" / "omraader.csv", encoding="utf-8") as f:
        return [r["navn"] for r in csv.DictReader(f, delimiter=";") if r["type"] == "kommune"]


def long_file(path: Path, months: int, names: list[str], first: dt.date | None = None) -> int:
    """Write `periode;kommune;kategori;antal` for every municipality x category x month; returns rows."""
    import duckdb
    if first is None:
        m = LAST_MONTH.year * 12 + LAST_MONTH.month - 1 - (months - 1)
        first = dt.date(m // 12, m % 12 + 1, 1)
    con = duckdb.connect()
    kommuner, kategorier = municipalities(), names
    con.execute("SET VARIABLE kommuner = ?", [kommuner])
    con.execute("SET VARIABLE kategorier = ?", [kategorier])
    con.execute(f"""COPY (SELECT strftime(DATE '{first}' + to_months(m), '%Y-%m') AS periode,
                                 getvariable('kommuner')[k] AS kommune, getvariable('kategorier')[c] AS kategori,
                                 CAST(hash(m, k, c) % 40 AS INTEGER) AS antal
                          FROM range({months}) a(m), range(1, {len(kommuner) + 1}) b(k),
                               range(1, {len(kategorier) + 1}) d(c) ORDER BY m, k, c)
                    TO '{path}' (HEADER, DELIMITER ';')""")
    con.close()
    return months * len(kommuner) * len(kategorier)


def national_store(workdir: Path, months: int = 228, n_categories: int = 90) -> Path:
    """A seeded store with the long police file imported (built once per shape, then reused)."""
    from statistik.bootstrap import ready_store
    from statistik.ingest import import_file
    from statistik.reference import add_category, category_names

    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"national_{months}x{n_categories}.duckdb"
    if path.exists():
        return path
    building = workdir / f"building_{months}x{n_categories}.duckdb"
    for leftover in workdir.glob(f"{building.name}*"):
        leftover.unlink()
    names = categories(n_categories)
    data = workdir / f"lang_{months}x{n_categories}.csv"
    started = time.perf_counter()
    rows = long_file(data, months, names)
    store = ready_store(building)
    with store.write(purpose="bench: national-scale store") as con:
        known = {n.casefold() for n in category_names(con).values()}
        for name in names:
            if name.casefold() not in known:
                add_category(con, name)
        import_file(con, data, user="bench", today=max(dt.date.today(), dt.date(2026, 1, 1)))
    shutil.move(building, path)
    log(f"built {path.name}: {rows:,} police figures in {time.perf_counter() - started:.1f} s")
    return path


def fresh_copy(template: Path, folder: Path) -> Path:
    """A copy of a store to change freely, without what an earlier run's pages asked for (views.warming's file)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / template.name
    shutil.copyfile(template, copy)
    copy.with_name(f"{copy.name}.varm.json").unlink(missing_ok=True)
    return copy
