"""Benchmark: `statistik briefing` as PDF and as DOCX on a fresh store with the shipped data.

Each run is a new process (Python start, store open, content, one browser for all charts,
layout, write), timed on the wall clock; peak memory is the child's max RSS (os.wait4).
Aim: under 15 s each.

    python bench/briefing_bench.py [--repeat 3] [--suppress-below 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"


def run(args: list[str], env: dict) -> tuple[float, float]:
    """Wall seconds and peak MB of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(args)}\n{proc.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--suppress-below", type=int, default=None)
    options = parser.parse_args()
    statistik = [sys.executable, "-m", "statistik.cli"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="briefing-bench-") as tmp:
        env = {**os.environ, "STATISTIK_DB": str(Path(tmp) / "statistik.duckdb")}
        run([*statistik, "uploads"], env)  # seed the store before timing
        for fmt in ("pdf", "docx"):
            extra = ["--suppress-below", str(options.suppress_below)] if options.suppress_below else []
            results = [run([*statistik, "briefing", "--meeting", "2026-01-15", "--out",
                            str(Path(tmp) / f"bilag.{fmt}"), *extra], env) for _ in range(options.repeat)]
            size = (Path(tmp) / f"bilag.{fmt}").stat().st_size
            rows.append((fmt, statistics.median(r[0] for r in results), max(r[1] for r in results), size,
                         ", ".join(f"{r[0]:.1f}" for r in results)))
    lines = [
        f"# statistik briefing benchmark ({time.strftime('%Y-%m-%d %H:%M')}, median of {options.repeat})",
        "",
        "| format | median s | peak MB | file KB | runs s |",
        "|---|---:|---:|---:|---|",
        *(f"| {fmt} | {median:.1f} | {peak:.0f} | {size / 1024:.0f} | {runs} |"
          for fmt, median, peak, size, runs in rows),
        "",
        "Aim: under 15 s each. Shipped data (STRAF11 2016K1–2025K4, FOLK1A 2016–2025); each run is a new "
        "process, including Python start-up and the browser that renders all charts.",
    ]
    text = "\n".join(lines)
    print(text)
    OUT.mkdir(exist_ok=True)
    (OUT / "briefing_results.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
