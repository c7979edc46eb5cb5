"""Page benchmark: every dashboard page under AppTest on the national-scale store, for one user.

    python bench/pages_bench.py [--months M] [--categories C] [--rounds R] [--settle S] [--smoke]

For each page a process of its own (its peak memory is the page's figure) opens the dashboard
(AppTest), switches to the page and measures:

* first load: the first run of the page in a new process (imports, opening the store, every query);
* warm: the median of R further runs (the views' results cached for the store's version);
* after a store change: the median of R runs each right after a write by another process would
  have published a new version (every cached result of the old version is recomputed);
* after an import: the median of R runs each right after `statistik import` in another process of one
  new month for every municipality and category (the figures and their history change, so what is
  cached on the history is computed again too);
* and the same --settle seconds (default 5) after such an import, as for a user who reads the
  import's message first: meanwhile the dashboard makes the views it was asked for again in the
  background (`views.warming`; STATISTIK_VARM=0 turns that off, to compare).

Every run must end without an exception or an error message. The store is the harness's
national-scale store (the shipped figures plus 98 municipalities x 90 categories x 228 months);
`--smoke` uses a tiny one, two pages and one round, to check the bench still runs. Nothing is patched.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402

PAGES = ["oversigt", "udvikling", "kommuner", "sammenligning", "datastatus", "om_data"]
AIM_MS = 300
SETTLE_S = 5.0


def _child(page: str, rounds: int, categories: int, settle: float) -> None:
    """In the measured process: time the page's runs, print them as JSON."""
    started = time.perf_counter()
    from streamlit.testing.v1 import AppTest

    from statistik.store import Store

    def run(at) -> float:
        t = time.perf_counter()
        at.run()
        seconds = time.perf_counter() - t
        problems = [e.value for e in at.exception] + [e.value for e in at.error]
        if problems:
            raise SystemExit(f"{page}: {problems[0]}")
        return seconds

    at = AppTest.from_file(str(harness.PROJECT / "dashboard.py"), default_timeout=600)
    if page != "oversigt":
        at.run()
        at.switch_page(f"app_pages/{page}.py")
    first = run(at)
    first_total = time.perf_counter() - started
    warm = [run(at) for _ in range(rounds)]
    store, changed = Store(), []
    for i in range(rounds):
        with store.write(purpose="bench: a change") as con:      # a new version, as another process makes
            con.execute("INSERT OR REPLACE INTO meta VALUES ('bench', ?)", [str(i)])
        changed.append(run(at))
    imported, settled = [], []
    for i in range(2 * rounds):
        month = Path(os.environ["STATISTIK_DB"]).with_name(f"maaned_{i}.csv")
        harness.long_file(month, 1, harness.categories(categories), first=dt.date(2026 + i // 12, i % 12 + 1, 1))
        done = subprocess.run([sys.executable, "-m", "statistik.cli", "import", str(month), "--user", "bench"],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise SystemExit(f"{page}: import {done.stderr.strip()}")
        if i >= rounds:
            time.sleep(settle)   # a user who reads the import's message first: the dashboard warms meanwhile
        (settled if i >= rounds else imported).append(run(at))
    print(json.dumps({"first": first, "first_total": first_total, "warm": warm, "changed": changed,
                      "imported": imported, "settled": settled}))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, default=228)
    parser.add_argument("--categories", type=int, default=90)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--smoke", action="store_true", help="a tiny store and one round: does it still run?")
    parser.add_argument("--workdir", type=Path, default=harness.OUT_DIR / "work")
    parser.add_argument("--settle", type=float, default=SETTLE_S,
                        help="seconds between an import and the page run in the last column")
    parser.add_argument("--_child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args._child:
        _child(args._child[0], int(args._child[1]), int(args._child[2]), float(args._child[3]))
        return 0
    pages = PAGES
    if args.smoke:
        args.months, args.categories, args.rounds, args.settle, pages = 3, 3, 1, 0.5, PAGES[:2]
    template = harness.national_store(args.workdir, args.months, args.categories)
    load = harness.wait_for_quiet(0 if args.smoke else 60)
    rows, failed = [], False
    for page in pages:
        db = harness.fresh_copy(template, args.workdir / "pages")
        env = {**os.environ, "STATISTIK_DB": str(db), "STATISTIK_USERS": str(db.parent / "ingen.toml")}
        run = harness.measure([sys.executable, __file__, "--_child", page, str(args.rounds), str(args.categories),
                               str(args.settle)],
                              env)
        if run.exit != 0:
            failed = True
            rows.append([page, "fejl", run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "?", "", "", "", ""])
            continue
        r = json.loads(run.stdout.strip().splitlines()[-1])
        times = [harness.median(r[key]) * 1000 for key in ("warm", "changed", "imported", "settled")]
        rows.append([page, f"{r['first_total']:.2f} s ({r['first'] * 1000:.0f} ms run)",
                     *(f"{ms:.0f} ms" + (" ✗" if ms > AIM_MS else "") for ms in times), f"{run.peak_mb:.0f} MB"])
    text = "\n".join([
        f"Pages on a store of {args.months} months x {args.categories} police categories "
        f"(+ the shipped DST figures), {args.rounds} rounds; aim: under {AIM_MS} ms warm and after a change.",
        harness.environment(load), "",
        *harness.table(["page", "first load (process)", "warm (median)", "after a store change (median)",
                        "right after an import (median)", f"{args.settle:g} s after an import (median)",
                        "peak memory"], rows)])
    harness.report(text, "pages", args.smoke)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
